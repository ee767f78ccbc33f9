#pragma once
// The admin server's HTTP/1.1 transport on Boost.Beast: asynchronous, keep-alive, a small
// pool of threads. A connection holds no thread while it waits, so a client that dribbles its
// request (slowloris) costs one socket until its read deadline, never a worker. Limits:
// header bytes (431), body bytes (413, refused from the Content-Length before it is read),
// time to send a request once started (and a new connection's first byte), idle keep-alive
// time, connections at once and per client address (connection_limits.hpp). Ambiguous framing
// (a Transfer-Encoding other than a lone `chunked`) is refused with 400; HEAD gets GET's head.
// A reply that waits on something slow (Reply::blocking) is computed on a separate bounded
// pool (admin.lookup_threads, admin.max_queued_lookups), so the I/O threads keep serving
// every other connection meanwhile.

#include <cstdint>
#include <memory>
#include <string>

#include "admin/admin_options.hpp"
#include "admin/http_exchange.hpp"

namespace cardsync::admin {

class HttpServer {
 public:
  // `handler` must outlive the server. Nothing listens until start().
  HttpServer(const AdminOptions& options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads; throws std::runtime_error when it cannot bind.
  void start();
  // Idempotent; closes every connection and joins the threads.
  void stop();
  // The bound port (the chosen one when options.port was 0).
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cardsync::admin
