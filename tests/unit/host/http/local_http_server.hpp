#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (ephemeral port) for real-socket tests and
// benchmarks of the curl client. One thread per connection, keep-alive honoured.
//
// Paths:
//   /ok                 200 "ok"
//   /echo               200, body lists method, request headers and body
//   /bytes/<n>          200 with n bytes and a Content-Length
//   /chunked/<n>        200 with n bytes, chunked (no Content-Length)
//   /gzip               200, a text body gzip-encoded when the client accepts gzip
//   /gzip-bomb/<n>      200, n zero bytes gzip-encoded (tiny on the wire)
//   /status/<code>      that status
//   /hang               reads the request and never answers
//   /gate               answers once open_gate() is called

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace cardsync::testing {

class LocalHttpServer {
 public:
  LocalHttpServer();
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path) const;

  int connections_accepted() const { return accepted_.load(); }
  int requests_received() const { return requests_.load(); }
  int in_flight() const;      // requests received and not yet answered
  int max_in_flight() const;  // highest in_flight seen
  int held_at_gate() const;
  int hanging() const;
  void open_gate();

 private:
  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    boost::asio::ip::tcp::socket socket;
    bool closed = false;
    std::thread thread;
  };
  void accept_loop();
  void serve(Connection& c);
  std::string respond(const std::string& target, bool& hang_up);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::list<std::unique_ptr<Connection>> connections_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  int held_ = 0;
  int hanging_ = 0;
  bool gate_open_ = false;
};

}  // namespace cardsync::testing
