#include "queue/storage.hpp"

namespace cardsync::queue {

StoredJob StoredJob::from(const sdk::JobRow& row) {
  StoredJob j;
  j.id = row.id;
  j.state = row.state;
  j.type = row.type;
  j.key = row.key;
  j.payload = row.payload;
  j.cursor = row.cursor;
  j.request_id = row.request_id;
  j.attempts = row.attempts;
  j.max_attempts = row.max_attempts;
  j.run_at_ms = row.run_at_ms;
  j.created_at_ms = row.created_at_ms;
  j.updated_at_ms = row.updated_at_ms;
  j.lease_owner = row.lease_owner;
  j.lease_token = row.lease_token;
  j.lease_until_ms = row.lease_until_ms;
  j.errors.reserve(row.errors.size());
  for (const auto& e : row.errors) {
    j.errors.push_back(StoredJobError{e.attempt, e.at_ms, e.http_status, std::string(e.message),
                                      std::string(e.request_id)});
  }
  return j;
}

std::string_view to_string(sdk::JobState state) noexcept {
  switch (state) {
    case sdk::JobState::queued:
      return "queued";
    case sdk::JobState::processing:
      return "processing";
    case sdk::JobState::done:
      return "done";
    case sdk::JobState::failed:
      return "failed";
  }
  return "unknown";
}

std::vector<StoredRecordRow> Storage::read_records(const sdk::RecordQuery& /*query*/) {
  throw StorageError(CS_PERMANENT, "this storage cannot read records back");
}

std::vector<StoredQuarantine> Storage::query_quarantine(const sdk::QuarantineQuery& /*query*/) {
  throw StorageError(CS_PERMANENT, "this storage cannot list quarantined items");
}

std::optional<StoredCursor> Storage::read_cursor_entry(std::string_view /*name*/) {
  throw StorageError(CS_PERMANENT, "this storage cannot read cursor times");
}

bool Storage::wait_for_jobs(int64_t /*timeout_ms*/) {
  return false;
}

std::vector<StoredJob> Storage::list_jobs(const sdk::JobQuery& query) {
  std::vector<StoredJob> out;
  list_jobs(query, [&](const sdk::JobRow& row) {
    out.push_back(StoredJob::from(row));
    return true;
  });
  return out;
}

}  // namespace cardsync::queue
