#pragma once
// The queue's writes that run inside the caller's write transaction: the queue operations use
// them, and so does write_batch, whose follow-up jobs and transitions commit with its records.

#include <cardsync/sdk.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#include "sqlite_connection.hpp"

namespace cardsync::sqlite {

// Appends one entry to a job's error history and trims the history to its last entries.
void append_error(Connection& conn, int64_t job_id, int64_t attempt, int64_t at_ms,
                  std::string_view message, int64_t http_status, std::string_view request_id);

// Enqueues each spec, or reports the live job that already holds its (type, key).
void enqueue_in(Connection& conn, const std::vector<sdk::JobSpec>& specs, int64_t now_ms,
                std::vector<sdk::EnqueueResult>& out);

// Applies one transition; false when the job no longer holds that lease.
bool transition_in(Connection& conn, const sdk::Transition& t);

}  // namespace cardsync::sqlite
