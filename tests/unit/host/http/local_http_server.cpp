#include "local_http_server.hpp"

#include <sys/socket.h>
#include <zlib.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <stdexcept>

namespace cardsync::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string gzip(std::string_view in) {
  z_stream zs{};
  // 15 + 16: a gzip header rather than a raw zlib stream.
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  return out;
}

std::size_t number_after(std::string_view target, std::string_view prefix) {
  std::size_t n = 0;
  const auto rest = target.substr(prefix.size());
  std::from_chars(rest.data(), rest.data() + rest.size(), n);
  return n;
}

}  // namespace

LocalHttpServer::LocalHttpServer() : acceptor_(io_) {
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

LocalHttpServer::~LocalHttpServer() {
  stopping_ = true;
  {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
  // Wake the blocking accept with a connection of our own.
  {
    tcp::socket poke(io_);
    beast::error_code ec;
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  }
  accept_thread_.join();
  {
    // Unblock reads on live connections; the owning thread closes its socket under mu_,
    // so a descriptor is never shut down after it was closed (and possibly reused).
    std::lock_guard lock(mu_);
    for (auto& c : connections_) {
      if (!c->closed) ::shutdown(c->socket.native_handle(), SHUT_RDWR);
    }
  }
  for (auto& c : connections_) c->thread.join();
}

std::string LocalHttpServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

int LocalHttpServer::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}
int LocalHttpServer::max_in_flight() const {
  std::lock_guard lock(mu_);
  return max_in_flight_;
}
int LocalHttpServer::held_at_gate() const {
  std::lock_guard lock(mu_);
  return held_;
}
int LocalHttpServer::hanging() const {
  std::lock_guard lock(mu_);
  return hanging_;
}
void LocalHttpServer::open_gate() {
  std::lock_guard lock(mu_);
  gate_open_ = true;
  cv_.notify_all();
}

void LocalHttpServer::accept_loop() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (stopping_) return;
    if (ec) continue;
    accepted_.fetch_add(1);
    std::lock_guard lock(mu_);
    auto& c = connections_.emplace_back(std::make_unique<Connection>(std::move(socket)));
    Connection* raw = c.get();
    c->thread = std::thread([this, raw] { serve(*raw); });
  }
}

void LocalHttpServer::serve(Connection& c) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    beast::error_code ec;
    http::read(c.socket, buffer, req, ec);
    if (ec) break;
    requests_.fetch_add(1);
    {
      std::lock_guard lock(mu_);
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    }
    const std::string target(req.target());
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "cardsync-test");
    res.keep_alive(req.keep_alive());
    bool answer = true;
    if (target == "/ok") {
      res.body() = "ok";
    } else if (target == "/echo") {
      std::string body = std::string(req.method_string()) + "\n";
      for (const auto& f : req) {
        body += std::string(f.name_string()) + ": " + std::string(f.value()) + "\n";
      }
      body += "\n" + req.body();
      res.body() = std::move(body);
    } else if (target.starts_with("/bytes/")) {
      res.body() = std::string(number_after(target, "/bytes/"), 'x');
    } else if (target.starts_with("/chunked/")) {
      res.body() = std::string(number_after(target, "/chunked/"), 'x');
    } else if (target == "/gzip") {
      std::string text;
      for (int i = 0; i < 1000; ++i) text += "cardsync keeps the catalog in step. ";
      const auto accepted = req[http::field::accept_encoding];
      if (accepted.find("gzip") != beast::string_view::npos) {
        res.set(http::field::content_encoding, "gzip");
        res.body() = gzip(text);
      } else {
        res.body() = text;
      }
    } else if (target.starts_with("/gzip-bomb/")) {
      res.set(http::field::content_encoding, "gzip");
      res.body() = gzip(std::string(number_after(target, "/gzip-bomb/"), '\0'));
    } else if (target.starts_with("/status/")) {
      res.result(static_cast<unsigned>(number_after(target, "/status/")));
      if (res.result() != http::status::no_content && res.result() != http::status::not_modified) {
        res.body() = "status";
      }
    } else if (target == "/hang") {
      std::unique_lock lock(mu_);
      ++hanging_;
      cv_.wait(lock, [&] { return stopping_.load(); });
      --hanging_;
      answer = false;
    } else if (target == "/gate") {
      std::unique_lock lock(mu_);
      ++held_;
      cv_.wait(lock, [&] { return gate_open_ || stopping_.load(); });
      --held_;
      res.body() = "through";
    } else {
      res.result(http::status::not_found);
    }
    {
      std::lock_guard lock(mu_);
      --in_flight_;
    }
    if (!answer || stopping_) break;
    res.prepare_payload();
    // Erases Content-Length, so the client cannot know the size before reading.
    if (target.starts_with("/chunked/")) res.chunked(true);
    // A HEAD answer keeps its Content-Length but carries no body bytes.
    if (req.method() == http::verb::head) res.body().clear();
    http::write(c.socket, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  std::lock_guard lock(mu_);
  beast::error_code ignored;
  c.socket.shutdown(tcp::socket::shutdown_both, ignored);
  c.socket.close(ignored);
  c.closed = true;
}

}  // namespace cardsync::testing
