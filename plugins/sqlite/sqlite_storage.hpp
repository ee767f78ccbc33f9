#pragma once
// cardsync's SQLite storage: the canonical catalog, the job queue and logs in one file.
// Writes go through one connection under an in-process mutex (so this process's threads
// queue on a mutex rather than on SQLite's sleeping busy handler) and always start with
// BEGIN IMMEDIATE (so other processes are serialised by the busy timeout, never by a
// read-then-write upgrade that would fail with "database is locked"). Reads use a pool.
// The members are defined by concern: sqlite_queue.cpp (jobs), sqlite_records.cpp (the write
// batch, records, quarantine, cursors), sqlite_logs.cpp; sqlite_storage.cpp sets up.

#include <cardsync/sdk.hpp>

#include <memory>
#include <mutex>
#include <vector>

#include "sqlite_connection.hpp"
#include "sqlite_options.hpp"

namespace cardsync::sqlite {

class SqliteStorage final : public sdk::Storage {
 public:
  static constexpr const char* kName = "sqlite";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "SQLite storage: catalog, job queue and logs in one local file (the default)";
  static const char* const kConfigSchema;

  explicit SqliteStorage(const rapidjson::Value& config);

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

 private:
  // A pooled read connection, returned to the pool when the lease ends.
  class ReadLease {
   public:
    explicit ReadLease(SqliteStorage& owner);
    ~ReadLease();
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    Connection& operator*() const { return *conn_; }

   private:
    SqliteStorage& owner_;
    std::unique_ptr<Connection> conn_;
  };

  StorageOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by pool_mu_
};

}  // namespace cardsync::sqlite
