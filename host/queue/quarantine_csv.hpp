#pragma once
// Quarantined items as CSV for the admin API, written the same way as failed_jobs_csv
// (RFC 4180, header row, CRLF). Columns: id, at, source, job_type, job_key, reason,
// json_path, request_id, raw_item.

#include <ostream>
#include <vector>

#include "queue/storage.hpp"

namespace cardsync::queue {

void write_quarantine_csv(std::ostream& out, const std::vector<StoredQuarantine>& items);

}  // namespace cardsync::queue
