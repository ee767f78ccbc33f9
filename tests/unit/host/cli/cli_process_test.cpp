// The real binary: exit codes and streams as a shell script sees them.
#include <gmock/gmock.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "cli/exit_codes.hpp"
#include "cli_fixture.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::HasSubstr;

struct Proc {
  int code;
  std::string output;
};
Proc run_binary(const std::string& args) {
  std::string cmd = std::string(CARDSYNC_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(CliTest, BinaryPrintsVersionAndHelp) {
  auto v = run_binary("--version");
  EXPECT_EQ(v.code, kExitOk);
  EXPECT_THAT(v.output, ::testing::ContainsRegex(
                            "cardsync [0-9]+\\.[0-9]+\\.[0-9]+ \\(plugin ABI 1\\.[0-9]+\\)"));
  auto h = run_binary("--help");
  EXPECT_EQ(h.code, kExitOk);
  EXPECT_THAT(h.output, HasSubstr("config check"));
  EXPECT_THAT(h.output, HasSubstr("Exit codes"));
}

// `cardsync <command> --help` is that command's: its usage and options, not the list of all.
TEST_F(CliTest, ACommandsHelpIsItsOwn) {
  const auto global = run_binary("--help");
  const auto queue = run_binary("queue --help");
  EXPECT_EQ(queue.code, kExitOk);
  EXPECT_NE(queue.output, global.output);
  EXPECT_THAT(queue.output, HasSubstr("Usage: cardsync [options] queue stats [--json]"));
  EXPECT_THAT(queue.output, HasSubstr("--all-failed"));
  EXPECT_THAT(queue.output, ::testing::Not(HasSubstr("manifest try")));
  // After a subcommand, and for a provider's lookup alias, too.
  EXPECT_EQ(run_binary("queue stats --help").output, queue.output);
  const auto token = run_binary("token create --help");
  EXPECT_EQ(token.code, kExitOk);
  EXPECT_THAT(token.output, HasSubstr("--private-key FILE"));
  EXPECT_THAT(run_binary("psa lookup --help").output, HasSubstr("--kind K"));
  for (const char* command :
       {"config", "plugins", "run", "worker", "serve", "enqueue", "lookup", "manifest", "token"}) {
    const auto h = run_binary(std::string(command) + " --help");
    EXPECT_EQ(h.code, kExitOk) << command;
    EXPECT_THAT(h.output, HasSubstr(std::string("Usage: cardsync [options] ") + command))
        << command;
  }
  const auto unknown = run_binary("frobnicate --help");
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command 'frobnicate'"));
}

TEST_F(CliTest, BinaryExitsTwoOnBadConfig) {
  auto file = write("bad.json", R"({"log": {"level": "nope"}})");
  auto r = run_binary("--config " + file.string() + " config check");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.output, HasSubstr("/log/level"));
}

TEST_F(CliTest, BinaryRejectsUnknownOption) {
  auto r = run_binary("--frobnicate");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.output, HasSubstr("frobnicate"));
}

}  // namespace
}  // namespace cardsync::cli::testing
