#pragma once
// cardsync's PostgreSQL storage: the canonical catalog, the job queue and logs in one schema
// of a database that many cardsync processes share. Operations take a pooled connection for
// one statement or one transaction and hand rows to the host only after the connection is
// back in the pool, so a visitor that calls into the storage cannot starve it.
// The members are defined by concern: postgres_queue.cpp (jobs), postgres_records.cpp (the
// write batch, records, quarantine, cursors), postgres_logs.cpp; postgres_storage.cpp sets up.

#include <cardsync/sdk.hpp>

#include <memory>
#include <string>
#include <vector>

#include "postgres_job_listener.hpp"
#include "postgres_options.hpp"
#include "postgres_pool.hpp"

namespace cardsync::postgres {

class PostgresStorage final : public sdk::Storage {
 public:
  static constexpr const char* kName = "postgres";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "PostgreSQL storage: catalog, job queue and logs in a database shared by many cardsync "
      "processes";
  static const char* const kConfigSchema;

  explicit PostgresStorage(const rapidjson::Value& config);

  void migrate() override;
  void enqueue(const std::vector<JobSpec>& specs, int64_t now_ms,
               std::vector<EnqueueResult>& out) override;
  void claim(const ClaimRequest& request, const sdk::JobVisitor& visit) override;
  bool heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                 int64_t now_ms) override;
  void transition(const std::vector<Transition>& transitions, std::vector<bool>& applied) override;
  RetryFailedResult retry_failed(int64_t job_id, std::string_view type, int64_t now_ms) override;
  RescueResult rescue_expired(int64_t now_ms) override;
  void stats(const sdk::StatVisitor& visit) override;
  void list_jobs(const JobQuery& query, const sdk::JobVisitor& visit) override;
  void write_batch(const WriteBatch& batch, WriteResult& out) override;
  void append_logs(const std::vector<LogRow>& rows) override;
  void query_logs(const LogQuery& query, const sdk::LogVisitor& visit) override;
  int64_t delete_logs_before(int64_t before_ms) override;
  bool read_cursor(std::string_view name,
                   const std::function<void(std::string_view)>& visit) override;
  bool read_cursor_entry(std::string_view name,
                         const std::function<void(std::string_view, int64_t)>& visit) override;
  void read_records(const RecordQuery& query, const sdk::RecordVisitor& visit) override;
  void query_quarantine(const QuarantineQuery& query, const sdk::QuarantineVisitor& visit) override;
  // Blocks up to timeout_ms until another transaction (of any process) made jobs claimable.
  bool wait_for_jobs(int64_t timeout_ms);

 private:
  // Tells listeners, at commit, that jobs may be claimable.
  void notify(Connection& conn) const;

  StorageOptions options_;
  std::string channel_;
  Pool pool_;
  JobListener listener_;
};

}  // namespace cardsync::postgres
