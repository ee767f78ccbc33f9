// The connection-level behaviour: the event stream, keep-alive, and a slowloris client that
// must not stop anyone else being served.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <future>
#include <thread>

#include "admin_test_support.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;

class AdminStreamTest : public ::testing::Test {
 protected:
  AdminStreamTest()
      : clock_(false, wall_origin()),
        logger_(clock_, log::Level::info),
        queue_(*db_.storage, clock_) {}

  void SetUp() override {
    options_.port = 0;
    options_.auth.hs256_secret = kSecret;
    options_.read_timeout = std::chrono::seconds(1);
    options_.threads = 2;
    logger_.add_sink(broadcast_);
    AdminContext ctx(*db_.storage, queue_, clock_, logger_);
    ctx.log_broadcast = broadcast_;
    api_ = std::make_unique<AdminApi>(options_, std::move(ctx));
    server_ = std::make_unique<HttpServer>(options_, *api_);
    server_->start();
  }
  void TearDown() override {
    server_->stop();
    logger_.remove_sink(broadcast_);
  }

  int connect_raw() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
  static void send_all(int fd, std::string_view s) {
    while (!s.empty()) {
      const auto n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      s.remove_prefix(static_cast<size_t>(n));
    }
  }
  // Reads until `needle` appears, the peer closes or the receive timeout passes.
  static std::string read_until(int fd, std::string_view needle) {
    std::string got;
    char buf[4096];
    while (got.find(needle) == std::string::npos) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  }
  std::string token() {
    return make_token(JWT_ALG_HS256, kSecret, "viewer", epoch_seconds(clock_) + 3600);
  }

  SqliteStorage db_;
  ManualClock clock_;
  log::Logger logger_;
  queue::JobQueue queue_;
  std::shared_ptr<LogBroadcast> broadcast_ = std::make_shared<LogBroadcast>();
  AdminOptions options_;
  std::unique_ptr<AdminApi> api_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(AdminStreamTest, EventStreamSendsStatsThenMatchingLogLines) {
  const int fd = connect_raw();
  send_all(fd,
           "GET /api/v1/events?level=info&request_id=watch-me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Authorization: Bearer " +
               token() + "\r\n\r\n");
  const auto head = read_until(fd, "lag_seconds");
  EXPECT_THAT(head, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(head, HasSubstr("Content-Type: text/event-stream"));
  EXPECT_THAT(head, HasSubstr("X-Request-Id: "));
  EXPECT_THAT(head, HasSubstr("event: stats\ndata: {\"totals\""));
  logger_.info("not for this stream", "someone-else");
  logger_.debug("below the level", "watch-me");
  logger_.info("hello stream", "watch-me", {{"job_id", 5}});
  const auto log_event = read_until(fd, "hello stream");
  EXPECT_THAT(log_event, HasSubstr("event: log\ndata: {"));
  EXPECT_THAT(log_event, HasSubstr("\"request_id\":\"watch-me\""));
  EXPECT_THAT(log_event, HasSubstr("\"fields\":{\"job_id\":5}"));
  EXPECT_THAT(log_event, ::testing::Not(HasSubstr("not for this stream")));
  EXPECT_THAT(log_event, ::testing::Not(HasSubstr("below the level")));
  // A new job changes the stats: a stats event follows without waiting for the interval.
  queue_.enqueue(queue::NewJob{"psa.cert", "1", "", "", {}, 0});
  clock_.advance(std::chrono::seconds(1));  // the stream looks for changes once a second
  EXPECT_THAT(read_until(fd, "\"queued\":1"), HasSubstr("event: stats"));
  ::close(fd);
}

TEST_F(AdminStreamTest, KeepAliveServesManyRequestsOnOneConnection) {
  const int fd = connect_raw();
  for (int i = 0; i < 3; ++i) {
    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_THAT(read_until(fd, "{\"status\":\"ok\"}"), HasSubstr("HTTP/1.1 200"));
  }
  ::close(fd);
}

TEST_F(AdminStreamTest, ASlowlorisClientDoesNotStopOthersAndIsCutOff) {
  // More dribbling clients than server threads, each holding a half-sent request.
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(connect_raw());
    send_all(slow.back(), "GET /api/v1/queue/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ");
  }
  std::atomic<bool> dribbling{true};
  std::thread dribbler([&] {
    while (dribbling) {
      for (int fd : slow) send_all(fd, "a");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the attack's own pace
    }
  });
  int served = 0;
  for (int i = 0; i < 20; ++i) {
    RequestSpec r;
    r.path = "/api/v1/queue/stats";
    r.token = token();
    served += http(server_->port(), r).status == 200 ? 1 : 0;
  }
  EXPECT_EQ(served, 20);
  // The dribblers never finish their headers: the read deadline (1 s) closes them, which
  // recv sees as an orderly close (0) well before its own 10 s timeout.
  for (int fd : slow) {
    char buf[256];
    const auto start = std::chrono::steady_clock::now();
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    EXPECT_LE(n, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(9));
  }
  dribbling = false;
  dribbler.join();
  for (int fd : slow) ::close(fd);
}

TEST_F(AdminStreamTest, AMalformedRequestIs400AndClosed) {
  const int fd = connect_raw();
  send_all(fd, "NOT-HTTP\r\n\r\n");
  const auto got = read_until(fd, "}");
  EXPECT_THAT(got, HasSubstr("400"));
  EXPECT_THAT(got, HasSubstr("bad_request"));
  ::close(fd);
}

}  // namespace
}  // namespace cardsync::admin::testing
