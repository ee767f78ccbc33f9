#include "postgres_job_listener.hpp"

#include <poll.h>

#include <cerrno>
#include <chrono>

#include "postgres_connection.hpp"

namespace cardsync::postgres {

std::string job_channel(const std::string& schema) {
  return "cardsync_jobs_" + schema;  // schema <= 48 characters: within the 63-byte limit
}

JobListener::JobListener(ConnectionOptions options, std::string channel)
    : options_(std::move(options)), channel_(std::move(channel)) {
  // An idle LISTEN connection sends nothing for long stretches: keepalives notice a peer
  // that vanished (a failover, a dropped NAT entry) instead of waiting on it forever.
  options_.parameters.emplace_back("keepalives", "1");
  options_.parameters.emplace_back("keepalives_idle", "30");
  options_.parameters.emplace_back("keepalives_interval", "10");
  options_.parameters.emplace_back("keepalives_count", "3");
}

JobListener::~JobListener() {
  drop();
}

void JobListener::drop() noexcept {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

void JobListener::connect() {
  conn_ = open_connection(options_);
  const std::string listen = "LISTEN " + quote_identifier(channel_);
  PGresult* r = PQexec(conn_, listen.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string message = ok ? "" : PQerrorMessage(conn_);
  PQclear(r);
  if (!ok) {
    drop();
    throw DatabaseError(CS_RETRY, "PostgreSQL: LISTEN failed: " + message, "");
  }
}

bool JobListener::drain() noexcept {
  bool woken = false;
  while (PGnotify* n = PQnotifies(conn_)) {
    woken = true;
    PQfreemem(n);
  }
  return woken;
}

bool JobListener::wait(int64_t timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(std::max<int64_t>(timeout_ms, 0));
  // A plain mutex: a timed one (pthread_mutex_clocklock) is invisible to ThreadSanitizer.
  std::lock_guard lock(mu_);
  if (conn_ == nullptr) {
    connect();
    if (lost_) {
      // Notifications sent while the connection was down are gone: wake so the caller
      // looks at the queue now rather than after its poll interval.
      lost_ = false;
      return true;
    }
  }
  for (;;) {
    if (PQconsumeInput(conn_) == 0) {
      drop();
      lost_ = true;
      throw DatabaseError(CS_RETRY, "PostgreSQL: the notification connection was lost", "");
    }
    if (drain()) return true;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    const int n = poll(&fd, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
    if (n < 0 && errno != EINTR) {
      drop();
      lost_ = true;
      throw DatabaseError(CS_RETRY, "PostgreSQL: waiting for notifications failed", "");
    }
  }
}

}  // namespace cardsync::postgres
