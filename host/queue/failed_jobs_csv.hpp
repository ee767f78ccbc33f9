#pragma once
// Failed jobs as CSV for `cardsync queue failed --csv` and the admin API: RFC 4180 (fields
// with a comma, quote, CR or LF are quoted, quotes doubled, CRLF line ends), a header row,
// one row per job in the order given (list_jobs returns ascending ids: a stable order).
// Columns: id, type, key, attempts, max_attempts, created_at, failed_at, request_id,
// last_error, last_http_status, payload, errors (the history as a JSON array).

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "queue/storage.hpp"

namespace cardsync::queue {

void write_failed_jobs_csv(std::ostream& out, const std::vector<StoredJob>& jobs);

// One RFC 4180 field, quoted only when needed; text a spreadsheet would run as a formula
// (a leading =, +, -, @, tab or CR) is kept as text with a leading apostrophe.
std::string csv_field(std::string_view value);

// "2024-05-01T12:00:00.000Z"
std::string iso8601_utc(int64_t epoch_ms);

}  // namespace cardsync::queue
