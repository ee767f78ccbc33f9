// `cardsync serve` as a process: it refuses an unsafe admin config before doing anything, and
// otherwise serves until SIGTERM and then exits 0.
#include <gmock/gmock.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "admin_test_support.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;

class ServeProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cardsync-serve-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  pid_t spawn(const std::string& admin_json) {
    const auto config = dir_ / "cardsync.json";
    std::ofstream(config) << R"({"storage": {"sqlite": {"path": ")" << (dir_ / "cs.db").string()
                          << R"("}}, "log": {"format": "json"}, "admin": )" << admin_json << "}";
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string out = (dir_ / "out.txt").string();
      const std::string err = (dir_ / "err.txt").string();
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr)) {
        ::_exit(127);
      }
      ::execl(CARDSYNC_BINARY, CARDSYNC_BINARY, "--config", config.c_str(), "serve", nullptr);
      ::_exit(127);
    }
    return pid;
  }
  std::string read(const char* name) {
    std::ifstream in(dir_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static int exit_code(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
};

TEST_F(ServeProcessTest, RefusesToServeWithoutAuthOnANonLoopbackAddress) {
  const pid_t pid = spawn(R"({"listen": "0.0.0.0:0", "auth": {"enabled": false}})");
  EXPECT_EQ(exit_code(pid), 2);
  EXPECT_THAT(read("err.txt"), HasSubstr("not a loopback address"));
  EXPECT_THAT(read("out.txt"), ::testing::Not(HasSubstr("listening")));
}

TEST_F(ServeProcessTest, RefusesToServeWithAuthButNoSecret) {
  const pid_t pid = spawn(R"({"listen": "127.0.0.1:0"})");
  EXPECT_EQ(exit_code(pid), 2);
  EXPECT_THAT(read("err.txt"), HasSubstr("hs256_secret"));
}

TEST_F(ServeProcessTest, ServesUntilSigtermThenExitsZero) {
  const pid_t pid = spawn(std::string(R"({"listen": "127.0.0.1:0", "auth": {"hs256_secret": ")") +
                          kSecret + R"("}})");
  std::string out;
  // Waiting for the child process to bind (real time: it is another process).
  for (int i = 0; i < 300 && out.find("listening on") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    out = read("out.txt");
  }
  const auto at = out.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << read("err.txt");
  const auto port = static_cast<uint16_t>(std::stoi(out.substr(at + 17)));
  RequestSpec health;
  health.path = "/healthz";
  EXPECT_EQ(http(port, health).status, 200);
  RequestSpec stats;
  stats.path = "/api/v1/queue/stats";
  EXPECT_EQ(http(port, stats).status, 401);
  ::kill(pid, SIGTERM);
  EXPECT_EQ(exit_code(pid), 0);
  EXPECT_THAT(read("out.txt"), HasSubstr("stopped"));
}

}  // namespace
}  // namespace cardsync::admin::testing
