#include "sandbox/http_server.hpp"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

namespace cardsync::sandbox {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// POST /cards carries at most a few hundred lookups; anything larger is a client bug.
constexpr std::uint64_t kBodyLimit = 1U << 20U;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerContext& context)
      : stream_(std::move(socket)), context_(context), timer_(stream_.get_executor()) {}

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return close();
    request_ = parser_->release();
    std::string_view target(request_.target().data(), request_.target().size());
    auto question = target.find('?');
    path_ = std::string(target.substr(0, question));
    query_ = question == std::string_view::npos ? std::string{}
                                                : std::string(target.substr(question + 1));
    match_ = context_.router.match(request_.method(), path_);
    upstream_ =
        match_.route != nullptr ? match_.route->upstream : context_.router.upstream_for(path_);
    label_ = match_.route != nullptr ? match_.route->label : std::string("unmatched");
    decision_ = upstream_ != nullptr ? context_.faults.decide() : FaultDecision{};
    if (decision_.latency.count() > 0) {
      timer_.expires_after(decision_.latency);
      timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (wait_ec) return self->close();
        self->respond();
      });
      return;
    }
    respond();
  }

  void respond() {
    RequestStats& stats = context_.stats;
    if (decision_.kind == FaultKind::kHang) {
      stats.record(label_, "hang", upstream_->name());
      stats.add(StatCounter::kHang);
      return hang();
    }
    ApiResponse res;
    switch (decision_.kind) {
      case FaultKind::kOutage:
        res = upstream_->error(503, "SERVICE_UNAVAILABLE",
                               "The service is temporarily unavailable for maintenance");
        stats.add(StatCounter::kOutage);
        break;
      case FaultKind::kServerError:
        res = upstream_->error(500, "INTERNAL_ERROR", "Internal server error");
        stats.add(StatCounter::kServerError);
        break;
      case FaultKind::kUnavailable:
        res = upstream_->error(503, "SERVICE_UNAVAILABLE", "Service unavailable");
        stats.add(StatCounter::kServerError);
        break;
      case FaultKind::kThrottle:
        res = upstream_->error(429, "RATE_LIMIT_EXCEEDED",
                               "Rate limit exceeded. Please slow down your requests.");
        if (auto value = context_.faults.retry_after_value()) {
          res.headers.emplace_back("Retry-After", *value);
        }
        stats.add(StatCounter::kThrottle);
        break;
      case FaultKind::kNone:
      case FaultKind::kHang:
        res = route();
        break;
    }
    bool truncate = upstream_ != nullptr && decision_.truncate && res.status == 200;
    if (upstream_ != nullptr) stats.record(label_, std::to_string(res.status), upstream_->name());
    if (truncate) stats.add(StatCounter::kTruncated);
    write(std::move(res), truncate);
  }

  ApiResponse route() {
    if (match_.route != nullptr) {
      try {
        ApiRequest req{request_, path_, QueryParams::parse(query_), match_.params};
        return match_.route->handler(req);
      } catch (const std::exception& e) {
        if (upstream_ != nullptr) return upstream_->error(500, "INTERNAL_ERROR", e.what());
        return ApiResponse::json(500, std::string(R"({"error":"internal error"})"));
      }
    }
    unsigned status = match_.path_known ? 405 : 404;
    const char* code = match_.path_known ? "METHOD_NOT_ALLOWED" : "NOT_FOUND";
    std::string message = "No route for " + path_;
    if (upstream_ != nullptr) return upstream_->error(status, code, message);
    return ApiResponse::json(status, std::string(R"({"error":"not found","code":"NOT_FOUND"})"));
  }

  void write(ApiResponse res, bool truncate) {
    response_ = {};
    response_.version(request_.version());
    response_.result(res.status);
    response_.set(http::field::server, "cardsync-sandbox");
    response_.set(http::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers) response_.set(name, value);
    response_.keep_alive(request_.keep_alive());
    response_.body() = std::move(res.body);
    response_.prepare_payload();
    if (truncate) {
      // The header promises the whole body; the connection closes part-way through it.
      std::ostringstream os;
      os << response_;
      raw_ = os.str();
      std::size_t body = response_.body().size();
      std::size_t head = raw_.size() - body;
      raw_.resize(head +
                  static_cast<std::size_t>(static_cast<double>(body) * decision_.truncate_at));
      asio::async_write(
          stream_, asio::buffer(raw_),
          [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
      return;
    }
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->response_.keep_alive()) return self->close();
                        self->read();
                      });
  }

  // Accepted and never answered: keep draining the socket until the client gives up.
  void hang() {
    stream_.async_read_some(asio::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->hang();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const ServerContext& context_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  http::response<http::string_body> response_;
  std::string raw_;
  std::array<char, 512> sink_{};
  std::string path_;
  std::string query_;
  Router::Match match_;
  const UpstreamApi* upstream_ = nullptr;
  std::string label_;
  FaultDecision decision_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, FaultInjector& faults, RequestStats& stats,
                       std::size_t threads)
    : context_{router, faults, stats},
      thread_count_(threads == 0 ? 1 : threads),
      ioc_(static_cast<int>(thread_count_)),
      acceptor_(ioc_) {}

HttpServer::~HttpServer() {
  stop();
}

std::uint16_t HttpServer::start(std::uint16_t port) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  accept();
  threads_.reserve(thread_count_);
  for (std::size_t i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { ioc_.run(); });
  return port_;
}

void HttpServer::stop() {
  if (threads_.empty()) return;
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void HttpServer::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      context_.stats.add(StatCounter::kConnections);
      std::make_shared<Session>(std::move(socket), context_)->run();
    }
    accept();
  });
}

}  // namespace cardsync::sandbox
