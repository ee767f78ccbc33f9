// The admin server's transport against raw bytes, with a handler that echoes what it was
// handed: framing a proxy and the server could read differently is refused, HEAD carries no
// body, and sockets that never speak or come from one address cannot take every slot.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <string>
#include <vector>

#include "admin/connection_limits.hpp"
#include "admin/http_server.hpp"

namespace cardsync::admin {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

class ChunkOnce : public EventStream {
 public:
  std::string poll() override { return std::exchange(text_, ""); }

 private:
  std::string text_ = "data: hello\n\n";
};

// Answers every request with its method, target and body, so a test sees how the server
// framed what it read; /events answers as a stream.
class EchoHandler : public RequestHandler {
 public:
  Reply handle(const HttpRequest& request) noexcept override {
    ++handled;
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.version(11);
    if (request.target() == "/events") {
      reply.response.set(http::field::content_type, "text/event-stream");
      reply.stream = std::make_shared<ChunkOnce>();
      return reply;
    }
    reply.response.set(http::field::content_type, "text/plain");
    reply.response.body() = std::string(to_std(request.method_string())) + " " +
                            std::string(to_std(request.target())) + " [" + request.body() + "]";
    return reply;
  }
  HttpResponse refuse(const HttpRequest&, unsigned status, std::string_view code,
                      std::string_view message) noexcept override {
    HttpResponse response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, "application/json");
    response.body() =
        "{\"error\":\"" + std::string(code) + "\",\"message\":\"" + std::string(message) + "\"}";
    return response;
  }
  std::atomic<int> handled{0};
};

class HttpServerTest : public ::testing::Test {
 protected:
  void start(AdminOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, handler_);
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // A blocking client socket from `from` (a loopback address) to the server.
  std::unique_ptr<tcp::socket> connect(const char* from = "127.0.0.1") {
    auto socket = std::make_unique<tcp::socket>(ioc_);
    socket->open(tcp::v4());
    socket->bind(tcp::endpoint(net::ip::make_address(from), 0));
    socket->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    return socket;
  }

  // Sends `bytes` and reads until the server closes the connection.
  std::string exchange(const std::string& bytes) {
    auto socket = connect();
    net::write(*socket, net::buffer(bytes));
    return read_to_close(*socket);
  }

  static std::string read_to_close(tcp::socket& socket) {
    std::string out;
    boost::system::error_code ec;
    net::read(socket, net::dynamic_buffer(out), ec);
    return out;
  }

  static int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }

  net::io_context ioc_;
  EchoHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AChunkedBodyIsReadAsChunks) {
  start({});
  const auto answer = exchange(
      "POST /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("POST /a [abc]"), std::string::npos) << answer;
}

// A body that a front proxy frames by Transfer-Encoding and the server by Content-Length (or
// the reverse) would run as a second, smuggled request.
TEST_F(HttpServerTest, AnyTransferEncodingButALoneChunkedIsRefused) {
  start({});
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string coding : {"chunked, identity", "identity", "gzip", "gzip, chunked",
                                   "chunked\r\nTransfer-Encoding: chunked"}) {
    SCOPED_TRACE(coding);
    const int before = handler_.handled;
    std::string bytes = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ";
    bytes += coding;
    bytes += "\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n";
    bytes += smuggled;
    const auto answer = exchange(bytes);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_EQ(count(answer, "HTTP/1.1 "), 1) << answer;
    EXPECT_EQ(handler_.handled, before) << "nothing of the request reached the handler";
  }
  const auto both = exchange(
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n");
  EXPECT_EQ(both.rfind("HTTP/1.1 400", 0), 0u) << both;
}

TEST_F(HttpServerTest, HeadGetsTheHeadOfGetAndNoBody) {
  start({});
  auto socket = connect();
  // Two requests on one connection: a body after the HEAD answer would be read as the start
  // of the second answer.
  net::write(*socket, net::buffer(std::string("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                              "GET /next HTTP/1.1\r\nHost: x\r\nConnection: "
                                              "close\r\n\r\n")));
  const auto answer = read_to_close(*socket);
  const std::string get_body = "GET /next []";
  EXPECT_EQ(count(answer, "HTTP/1.1 200"), 2) << answer;
  EXPECT_EQ(answer.find("HEAD /healthz"), std::string::npos) << "HEAD answered with a body";
  EXPECT_NE(answer.find("Content-Length: 16"), std::string::npos)
      << "HEAD says how long GET's body is";
  EXPECT_EQ(answer.substr(answer.size() - get_body.size()), get_body);
}

TEST_F(HttpServerTest, HeadOfAStreamSendsTheHeadAndEnds) {
  start({});
  const auto answer = exchange("HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("text/event-stream"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("data: hello"), std::string::npos) << answer;
}

// The read below returns when the server closes the socket: within read_timeout (1 s) with
// the first-byte deadline, after idle_timeout (an hour, past the test's own timeout) without.
TEST_F(HttpServerTest, ANewConnectionThatSendsNothingIsClosedAfterTheReadTimeout) {
  AdminOptions options;
  options.read_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(3600);
  start(options);
  auto silent = connect();
  EXPECT_EQ(read_to_close(*silent), "");
}

TEST_F(HttpServerTest, OneAddressCannotTakeEverySlot) {
  AdminOptions options;
  options.max_connections_per_address = 3;
  start(options);
  std::vector<std::unique_ptr<tcp::socket>> held;
  held.reserve(3);
  for (int i = 0; i < 3; ++i) held.push_back(connect("127.0.0.2"));
  // The fourth from the same address is closed at accept, without an answer.
  auto refused = connect("127.0.0.2");
  net::write(*refused, net::buffer(std::string("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")));
  EXPECT_EQ(read_to_close(*refused), "");
  // Another address is still served.
  const auto answer = exchange("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(answer.find("GET /x []"), std::string::npos) << answer;
}

TEST(ConnectionLimitsTest, CountsPerAddressAndInAllAndFreesOnRelease) {
  ConnectionLimits limits(3, 2);
  const auto a = net::ip::make_address("10.0.0.1");
  const auto b = net::ip::make_address("10.0.0.2");
  auto a1 = limits.admit(a);
  auto a2 = limits.admit(a);
  ASSERT_TRUE(a1 && a2);
  EXPECT_EQ(limits.admit(a), nullptr) << "a third from one address";
  auto b1 = limits.admit(b);
  ASSERT_TRUE(b1);
  EXPECT_EQ(limits.admit(b), nullptr) << "a fourth in all";
  EXPECT_EQ(limits.open(), 3u);
  a1.reset();
  EXPECT_NE(limits.admit(a), nullptr) << "a released place is free again";
}

TEST(ConnectionLimitsTest, TheCapLeavesDescriptorsForEverythingElse) {
  EXPECT_EQ(clamp_to_open_files(1024, 1048576), 1024u);
  EXPECT_EQ(clamp_to_open_files(1024, 1024), 1024u - kReservedDescriptors);
  EXPECT_EQ(clamp_to_open_files(1024, 100), 100u - kReservedDescriptors);
  EXPECT_EQ(clamp_to_open_files(1024, 10), 1u);
}

}  // namespace
}  // namespace cardsync::admin
