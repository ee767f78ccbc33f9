// `cardsync serve` under systemd's Type=notify: the real binary, with NOTIFY_SOCKET naming a
// datagram socket this test listens on as the service manager would. READY=1 must mean
// usable (the admin server accepts connections at that moment), and SIGTERM must announce
// STOPPING=1 before the process exits 0.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstring>
#include <string>

#include "cli_fixture.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::HasSubstr;

class ServeReadinessTest : public CliTest {
 protected:
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    if (sock_ >= 0) ::close(sock_);
    CliTest::TearDown();
  }

  // The manager's end: a bound datagram socket; recv gives up after 60 s so a serve that
  // never notifies fails the test instead of hanging it.
  std::string listen_for_notifications() {
    sock_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = (dir_ / "notify.sock").string();
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    EXPECT_EQ(::bind(sock_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval deadline{60, 0};
    ::setsockopt(sock_, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof(deadline));
    return path;
  }

  std::string next_notification() {
    std::array<char, 4096> buf{};
    auto n = ::recv(sock_, buf.data(), buf.size(), 0);
    return n > 0 ? std::string(buf.data(), static_cast<size_t>(n)) : std::string();
  }

  void start_serve(const std::string& config, const std::string& notify_socket) {
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      ::setenv("NOTIFY_SOCKET", notify_socket.c_str(), 1);
      ::execl(CARDSYNC_BINARY, CARDSYNC_BINARY, "--config", config.c_str(), "--plugin-dir",
              CARDSYNC_PLUGIN_DIR, "serve", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }

  pid_t child_ = -1;
  int sock_ = -1;
};

bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

TEST_F(ServeReadinessTest, NotifiesReadyOnceListeningAndStoppingOnSigterm) {
  auto config = write("cardsync.json", R"({
    "storage": {"sqlite": {"path": ")" + (dir_ / "cardsync.db").string() +
                                           R"("}},
    "admin": {"listen": "127.0.0.1:0", "auth": {"enabled": false}}
  })");
  auto notify_socket = listen_for_notifications();
  start_serve(config.string(), notify_socket);

  auto ready = next_notification();
  ASSERT_THAT(ready, HasSubstr("READY=1"));
  auto at = ready.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << ready;
  int port = std::stoi(ready.substr(at + std::strlen("http://127.0.0.1:")));
  EXPECT_TRUE(accepts_connections(port)) << "READY=1 sent before the admin server listens";
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cardsync.db")) << "READY=1 before the storage";

  ASSERT_EQ(::kill(child_, SIGTERM), 0);
  EXPECT_THAT(next_notification(), HasSubstr("STOPPING=1"));
  int status = 0;
  ASSERT_EQ(::waitpid(child_, &status, 0), child_);
  child_ = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace cardsync::cli::testing
