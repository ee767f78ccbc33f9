#include "admin/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "admin/blocking_pool.hpp"
#include "admin/connection_limits.hpp"
#include "admin/request_framing.hpp"

namespace cardsync::admin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Streams poll their source this often; the event stream's own intervals are multiples.
constexpr auto kStreamPoll = std::chrono::milliseconds(250);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
// After a failed accept (EMFILE, ENFILE, ENOBUFS) the next one waits, doubling up to the cap:
// retrying at once would spin while nothing frees a descriptor.
constexpr auto kFirstAcceptBackoff = std::chrono::milliseconds(10);
constexpr auto kMaxAcceptBackoff = std::chrono::milliseconds(1000);

struct Shared {
  Shared(const AdminOptions& o, RequestHandler& h)
      : options(o),
        handler(h),
        limits(clamp_to_open_files(o.max_connections, open_file_limit()),
               o.max_connections_per_address) {}
  const AdminOptions options;
  RequestHandler& handler;
  ConnectionLimits limits;
  BlockingPool* pool = nullptr;  // the server's; outlives every session that uses it
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared,
          std::unique_ptr<ConnectionLimits::Ticket> ticket)
      : stream_(std::move(socket)),
        shared_(std::move(shared)),
        ticket_(std::move(ticket)),
        timer_(stream_.get_executor()) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void run() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->wait_for_request(); });
  }

 private:
  // Between requests a keep-alive connection may idle for idle_timeout; a new connection must
  // send its first byte within read_timeout (a silent socket is not a client yet); once a
  // request's first byte arrives the whole request must follow within read_timeout.
  void wait_for_request() {
    if (buffer_.size() > 0) {
      read_request();
      return;
    }
    stream_.expires_after(
        served_ == 0 ? std::min(shared_->options.read_timeout, shared_->options.idle_timeout)
                     : shared_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.max_header_bytes));
    parser_->body_limit(shared_->options.max_body_bytes);
    stream_.expires_after(shared_->options.read_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    if (ambiguous_framing(parser_->get())) {
      return refuse(400, "bad_request",
                    "Transfer-Encoding must be exactly \"chunked\", without Content-Length");
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return refuse(413, "payload_too_large",
                    "the request body is larger than " +
                        std::to_string(shared_->options.max_body_bytes) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return refuse(431, "headers_too_large", "the request headers are too large");
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return close();
    }
    if (ec) return refuse(400, "bad_request", "malformed HTTP request");
    HttpRequest request = parser_->release();
    ++served_;
    Reply reply = shared_->handler.handle(request);
    const bool head_only = request.method() == http::verb::head;
    const bool keep_alive = request.keep_alive();
    if (reply.blocking) return respond_later(reply.blocking, head_only, keep_alive);
    respond(std::move(reply), head_only, keep_alive);
  }

  // The connection reads nothing more until the reply is sent, so its requests stay in order;
  // the session is kept alive by the task, and the reply goes back through the strand.
  void respond_later(const std::shared_ptr<BlockingReply>& blocking, bool head_only,
                     bool keep_alive) {
    auto task = [self = shared_from_this(), blocking, head_only, keep_alive]() {
      auto reply = std::make_shared<Reply>(blocking->run());
      net::post(self->stream_.get_executor(), [self, reply, head_only, keep_alive] {
        self->respond(std::move(*reply), head_only, keep_alive);
      });
    };
    if (!shared_->pool->try_submit(std::move(task))) {
      respond(blocking->refused(), head_only, keep_alive);
    }
  }

  void respond(Reply reply, bool head_only, bool keep_alive) {
    if (reply.stream && !head_only) return start_stream(std::move(reply));
    auto response = std::make_shared<HttpResponse>(std::move(reply.response));
    if (reply.stream) {
      // HEAD of a stream: the head GET would send, then the connection ends.
      response->chunked(true);
      response->keep_alive(false);
    } else {
      response->keep_alive(keep_alive);
      response->prepare_payload();
    }
    if (head_only) return write_head(response);
    write(response);
  }

  void refuse(unsigned status, std::string_view code, const std::string& message) {
    HttpRequest head;
    if (parser_) head = parser_->get();
    auto response =
        std::make_shared<HttpResponse>(shared_->handler.refuse(head, status, code, message));
    // What is left of the request was not read, so the connection cannot be reused.
    response->keep_alive(false);
    response->prepare_payload();
    write(response);
  }

  void write(const std::shared_ptr<HttpResponse>& response) {
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || !response->keep_alive()) return self->close();
                        self->wait_for_request();
                      });
  }

  // HEAD: GET's status and headers (Content-Length included), and no body.
  void write_head(const std::shared_ptr<HttpResponse>& response) {
    auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*response);
    stream_.expires_after(kWriteTimeout);
    http::async_write_header(
        stream_, *serializer,
        [self = shared_from_this(), response, serializer](beast::error_code ec, std::size_t) {
          if (ec || !response->keep_alive()) return self->close();
          self->wait_for_request();
        });
  }

  void start_stream(Reply reply) {
    events_ = std::move(reply.stream);
    head_ = std::make_shared<http::response<http::empty_body>>(reply.response.result(),
                                                               reply.response.version());
    for (const auto& field : reply.response.base()) head_->set(field.name_string(), field.value());
    head_->chunked(true);
    head_->keep_alive(false);
    serializer_ = std::make_shared<http::response_serializer<http::empty_body>>(*head_);
    stream_.expires_after(kWriteTimeout);
    http::async_write_header(stream_, *serializer_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->close();
                               self->poll_stream();
                             });
  }

  void poll_stream() {
    chunk_ = events_->poll();
    if (chunk_.empty()) {
      timer_.expires_after(kStreamPoll);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->poll_stream();
      });
      return;
    }
    stream_.expires_after(kWriteTimeout);
    net::async_write(stream_, http::make_chunk(net::buffer(chunk_)),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->timer_.expires_after(kStreamPoll);
                       self->timer_.async_wait([self](beast::error_code wait_ec) {
                         if (!wait_ec) self->poll_stream();
                       });
                     });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<ConnectionLimits::Ticket> ticket_;
  std::size_t served_ = 0;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  net::steady_timer timer_;
  std::shared_ptr<EventStream> events_;
  std::shared_ptr<http::response<http::empty_body>> head_;
  std::shared_ptr<http::response_serializer<http::empty_body>> serializer_;
  std::string chunk_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const AdminOptions& options, RequestHandler& handler)
      : shared(std::make_shared<Shared>(options, handler)),
        acceptor(ioc),
        backoff_timer(ioc),
        pool(options.lookup_threads, options.max_queued_lookups) {
    shared->pool = &pool;
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) return accept_later();
      backoff = std::chrono::milliseconds(0);
      admit(std::move(socket));
      accept();
    });
  }

  void accept_later() {
    backoff = std::min(kMaxAcceptBackoff, std::max(kFirstAcceptBackoff, backoff * 2));
    backoff_timer.expires_after(backoff);
    backoff_timer.async_wait([this](beast::error_code ec) {
      if (!ec && acceptor.is_open()) accept();
    });
  }

  void admit(tcp::socket socket) {
    beast::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    std::unique_ptr<ConnectionLimits::Ticket> ticket;
    if (!ec) ticket = shared->limits.admit(peer.address());
    if (!ticket) {
      socket.close(ec);
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(std::move(socket), shared, std::move(ticket))->run();
  }

  std::shared_ptr<Shared> shared;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer backoff_timer;
  // After ioc: its tasks hold sessions, which must go before the io_context does.
  BlockingPool pool;
  std::chrono::milliseconds backoff{0};
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(const AdminOptions& options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(options, handler)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  if (impl_->started) return;
  const auto& o = impl_->shared->options;
  beast::error_code ec;
  const auto address = net::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("admin.listen: \"" + o.host + "\" is not an IP address");
  const tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  impl_->started = true;
  impl_->accept();
  const int n = std::max(1, o.threads);
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void HttpServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->backoff_timer.cancel();
  });
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  // Waits for the blocking replies under way (each ends by its own deadline); their answers
  // are posted to the stopped io_context and dropped with it.
  impl_->pool.stop();
}

uint16_t HttpServer::port() const {
  return impl_->port.load();
}

}  // namespace cardsync::admin
