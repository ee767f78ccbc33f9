#pragma once
// The HTTP/1.1 server every emulated upstream runs on: Boost.Beast on a small io_context
// thread pool, keep-alive, bound to 127.0.0.1 only. It plays the injected faults (latency,
// outage, 5xx, 429, hang, truncated body) around the routed handlers, so the APIs never
// implement faults themselves.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <thread>
#include <vector>

#include "sandbox/fault_injector.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/router.hpp"

namespace cardsync::sandbox {

struct ServerContext {
  const Router& router;
  FaultInjector& faults;
  RequestStats& stats;
};

class HttpServer {
 public:
  // Everything referenced must outlive the server.
  HttpServer(const Router& router, FaultInjector& faults, RequestStats& stats, std::size_t threads);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds 127.0.0.1:`port` (0 picks a free port) and starts serving; returns the bound port.
  // Throws boost::system::system_error when the port cannot be bound.
  std::uint16_t start(std::uint16_t port);
  // Stops accepting, drops every connection (hung ones included) and joins the threads.
  // Idempotent.
  void stop();
  std::uint16_t port() const { return port_; }

 private:
  void accept();

  ServerContext context_;
  std::size_t thread_count_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

}  // namespace cardsync::sandbox
