// The real binary as a script or an integration test drives it: port 0, the bound port on
// the first stdout line, serving until SIGTERM, exit 2 on a bad flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <array>
#include <cstdio>
#include <string>

#include "http_test_client.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child spawn(const std::vector<std::string>& args) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    std::string binary = CARDSYNC_SANDBOX_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  return Child{pid, fdopen(fds[0], "r")};
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SandboxBinary, PrintsItsPortServesAndStopsOnSigterm) {
  Child child = spawn({"--port", "0", "--games", "1", "--cards-per-set", "3"});
  ASSERT_NE(child.out, nullptr);
  std::array<char, 256> line{};
  ASSERT_NE(fgets(line.data(), line.size(), child.out), nullptr);
  std::string first(line.data());
  ASSERT_THAT(first, ::testing::StartsWith("listening on 127.0.0.1:"));
  auto port = static_cast<std::uint16_t>(std::stoi(first.substr(first.rfind(':') + 1)));
  {
    HttpTestClient client(port);
    auto r = client.get("/v1/games", {{"x-api-key", "tcg_sandbox"}});
    EXPECT_EQ(r.status, 200U);
    EXPECT_THAT(r.body, HasSubstr("\"pokemon\""));
    EXPECT_EQ(client.get("/_sandbox/truth").status, 200U);
  }
  kill(child.pid, SIGTERM);
  EXPECT_EQ(wait_exit(child.pid), 0);
  fclose(child.out);
}

TEST(SandboxBinary, BadFlagExitsTwoNamingIt) {
  Child child = spawn({"--throttle-rate", "7"});
  std::string out;
  std::array<char, 256> buf{};
  while (fgets(buf.data(), buf.size(), child.out) != nullptr) out += buf.data();
  fclose(child.out);
  EXPECT_EQ(wait_exit(child.pid), 2);
  EXPECT_THAT(out, HasSubstr("--throttle-rate"));
}

}  // namespace
}  // namespace cardsync::sandbox::testing
