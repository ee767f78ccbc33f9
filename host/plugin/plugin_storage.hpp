#pragma once
// Storage over a loaded storage plugin: converts the host's calls into the C vtable's
// structs and back. Host callbacks never unwind through plugin code: an exception thrown by
// a visitor stops the iteration and is rethrown once the plugin has returned.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "plugin/plugin_instance.hpp"
#include "queue/storage.hpp"

namespace cardsync::plugin {

class PluginStorage final : public queue::Storage {
 public:
  // Throws PluginError when the instance is not a storage plugin or was built
  // against an SDK whose storage vtable lacks operations this host calls.
  explicit PluginStorage(std::shared_ptr<Instance> instance);

  void migrate() override;
  std::vector<sdk::EnqueueResult> enqueue(const std::vector<sdk::JobSpec>& specs,
                                          int64_t now_ms) override;
  std::vector<queue::StoredJob> claim(const sdk::ClaimRequest& request) override;
  bool heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                 int64_t now_ms) override;
  std::vector<bool> transition(const std::vector<sdk::Transition>& transitions) override;
  sdk::Storage::RetryFailedResult retry_failed(int64_t job_id, std::string_view type,
                                               int64_t now_ms) override;
  sdk::Storage::RescueResult rescue_expired(int64_t now_ms) override;
  std::vector<queue::StatCount> stats() override;
  using queue::Storage::list_jobs;
  void list_jobs(const sdk::JobQuery& query,
                 const std::function<bool(const sdk::JobRow&)>& visit) override;
  sdk::WriteResult write_batch(const sdk::WriteBatch& batch) override;
  void append_logs(const std::vector<sdk::LogRow>& rows) override;
  std::vector<queue::StoredLog> query_logs(const sdk::LogQuery& query) override;
  int64_t delete_logs_before(int64_t before_ms) override;
  std::optional<std::string> read_cursor(std::string_view name) override;
  std::vector<queue::StoredRecordRow> read_records(const sdk::RecordQuery& query) override;
  std::vector<queue::StoredQuarantine> query_quarantine(const sdk::QuarantineQuery& query) override;
  std::optional<queue::StoredCursor> read_cursor_entry(std::string_view name) override;
  bool notifies_jobs() const override;
  bool wait_for_jobs(int64_t timeout_ms) override;

  // The first FATAL failure any call reported (a full disk, a read-only database): the
  // storage cannot be used until someone acts, so a worker stops and says why instead of
  // retrying. Empty while every failure was transient or about a bad input.
  std::optional<std::string> unusable() const;

  const Instance& instance() const { return *instance_; }

 private:
  // Throws StorageError naming the plugin and operation when `status` is not OK, and keeps
  // the first FATAL one for unusable().
  void check(cs_status status, const cs_error& err, std::string_view op) const;
  // Throws a PERMANENT StorageError when the plugin's vtable ends before `member_end`.
  void require(size_t member_end, const void* fn, std::string_view op) const;

  std::shared_ptr<Instance> instance_;
  const cs_storage_vtable* vt_;
  mutable std::mutex unusable_mu_;
  mutable std::optional<std::string> unusable_;
};

}  // namespace cardsync::plugin
