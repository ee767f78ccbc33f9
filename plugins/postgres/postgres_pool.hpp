#pragma once
// A bounded pool of connections shared by the threads of one storage instance. A thread that
// finds every connection busy waits for one; a connection left broken by a failed call is
// discarded on release and replaced by a new one on a later acquire, so a database restart
// costs the calls in flight (reported RETRY) and nothing else.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "postgres_connection.hpp"

namespace cardsync::postgres {

class Pool {
 public:
  Pool(ConnectionOptions options, int max_connections);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease() { pool_.release(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  // Throws DatabaseError (RETRY when the server cannot be reached).
  Lease acquire();
  const ConnectionOptions& options() const { return options_; }

 private:
  void release(std::unique_ptr<Connection> conn) noexcept;

  const ConnectionOptions options_;
  const int max_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // idle + leased, guarded by mu_
};

}  // namespace cardsync::postgres
