#pragma once
// wait_for_jobs over LISTEN/NOTIFY. Operations that make jobs claimable send
// pg_notify(channel) inside their transaction, so the notification arrives only if they
// commit, and at every process listening on the schema's channel. The listener keeps its own
// connection (a pooled one would be taken from the workers for the whole wait) and blocks on
// its socket with poll().

#include <libpq-fe.h>

#include <cstdint>
#include <mutex>
#include <string>

#include "postgres_options.hpp"

namespace cardsync::postgres {

// The channel of one schema: two schemas in one database never wake each other.
std::string job_channel(const std::string& schema);

class JobListener {
 public:
  JobListener(ConnectionOptions options, std::string channel);
  ~JobListener();
  JobListener(const JobListener&) = delete;
  JobListener& operator=(const JobListener&) = delete;

  // True when a notification arrived (or may have been missed while reconnecting), false
  // after `timeout_ms` of real time. Throws DatabaseError (RETRY) when the database cannot
  // be reached, so the host backs off instead of spinning. Meant for one waiting thread; a
  // second concurrent waiter queues behind the first.
  bool wait(int64_t timeout_ms);

 private:
  void connect();
  bool drain() noexcept;
  void drop() noexcept;

  ConnectionOptions options_;  // the storage's, plus keepalives
  const std::string channel_;
  std::mutex mu_;
  PGconn* conn_ = nullptr;  // guarded by mu_
  bool lost_ = false;       // guarded by mu_: a connection was lost since the last wait
};

}  // namespace cardsync::postgres
