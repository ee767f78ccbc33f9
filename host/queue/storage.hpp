#pragma once
// The host's view of a storage plugin: the storage contract as C++ calls with owned results.
// plugin::PluginStorage (host/plugin) implements it over a loaded plugin's C vtable; tests
// substitute fakes. Every method is thread-safe and throws StorageError when the plugin
// reports a failure.

#include <cardsync/sdk.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::queue {

// A storage call failed. `status` is the plugin's classification: RETRY (transient: try
// again with backoff), PERMANENT (this input is bad), FATAL (the storage cannot be used).
class StorageError : public std::runtime_error {
 public:
  StorageError(cs_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  cs_status status() const noexcept { return status_; }
  bool transient() const noexcept { return status_ == CS_RETRY; }

 private:
  cs_status status_;
};

struct StoredJobError {
  int attempt = 0;
  int64_t at_ms = 0;
  int http_status = 0;
  std::string message;
  std::string request_id;
};

// A job row copied out of the storage.
struct StoredJob {
  int64_t id = 0;
  sdk::JobState state = sdk::JobState::queued;
  std::string type, key, payload, cursor, request_id;
  int attempts = 0;
  int max_attempts = 0;
  int64_t run_at_ms = 0, created_at_ms = 0, updated_at_ms = 0;
  std::string lease_owner, lease_token;
  int64_t lease_until_ms = 0;
  std::vector<StoredJobError> errors;  // oldest first; filled when asked for

  static StoredJob from(const sdk::JobRow& row);
};

struct StatCount {
  std::string type;
  sdk::JobState state = sdk::JobState::queued;
  int64_t count = 0;
  int64_t next_run_at_ms = 0;
};

struct StoredLog {
  int64_t id = 0;
  cs_log_level level = CS_LOG_INFO;
  int64_t ts_ms = 0;
  std::string request_id, message, fields_json;
};

// A stored record copied out (storages of ABI 1.1 and later).
struct StoredRecordRow {
  uint32_t kind = 0;  // cs_record_kind
  std::string key, parent_key, source, core_json, raw_json, content_hash;
  int64_t version = 0, created_at_ms = 0, updated_at_ms = 0;
};

struct StoredQuarantine {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string source, job_type, job_key, reason, json_path, raw_item, request_id;
};

// A sync cursor with the batch time that last wrote it.
struct StoredCursor {
  std::string value;
  int64_t updated_at_ms = 0;
};

std::string_view to_string(sdk::JobState state) noexcept;

class Storage {
 public:
  Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  virtual ~Storage() = default;

  virtual void migrate() = 0;
  virtual std::vector<sdk::EnqueueResult> enqueue(const std::vector<sdk::JobSpec>& specs,
                                                  int64_t now_ms) = 0;
  virtual std::vector<StoredJob> claim(const sdk::ClaimRequest& request) = 0;
  virtual bool heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                         int64_t now_ms) = 0;
  // One flag per transition: true = applied, false = stale.
  virtual std::vector<bool> transition(const std::vector<sdk::Transition>& transitions) = 0;
  virtual sdk::Storage::RetryFailedResult retry_failed(int64_t job_id, std::string_view type,
                                                       int64_t now_ms) = 0;
  virtual sdk::Storage::RescueResult rescue_expired(int64_t now_ms) = 0;
  virtual std::vector<StatCount> stats() = 0;
  // Streams rows (views valid during the call); return false to stop.
  virtual void list_jobs(const sdk::JobQuery& query,
                         const std::function<bool(const sdk::JobRow&)>& visit) = 0;
  virtual sdk::WriteResult write_batch(const sdk::WriteBatch& batch) = 0;
  virtual void append_logs(const std::vector<sdk::LogRow>& rows) = 0;
  virtual std::vector<StoredLog> query_logs(const sdk::LogQuery& query) = 0;
  virtual int64_t delete_logs_before(int64_t before_ms) = 0;
  virtual std::optional<std::string> read_cursor(std::string_view name) = 0;

  // Reads back what was stored. Storages built against ABI 1.0 throw a PERMANENT
  // StorageError saying the operation is not supported.
  virtual std::vector<StoredRecordRow> read_records(const sdk::RecordQuery& query);
  virtual std::vector<StoredQuarantine> query_quarantine(const sdk::QuarantineQuery& query);
  virtual std::optional<StoredCursor> read_cursor_entry(std::string_view name);

  // Whether wait_for_jobs blocks until another process makes jobs claimable; when false the
  // caller polls.
  virtual bool notifies_jobs() const { return false; }
  // Blocks up to timeout_ms of real time; true when woken by new or requeued jobs.
  virtual bool wait_for_jobs(int64_t timeout_ms);

  // Convenience over the streaming list_jobs.
  std::vector<StoredJob> list_jobs(const sdk::JobQuery& query);
};

}  // namespace cardsync::queue
