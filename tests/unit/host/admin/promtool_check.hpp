#pragma once
// Runs Prometheus's own linter (`promtool check metrics`) over an exposition. Absent
// promtool skips the check, unless CARDSYNC_REQUIRE_PROMTOOL=1 (CI, which installs it) makes
// its absence a failure.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace cardsync::admin::testing {

inline bool promtool_required() {
  const char* v = std::getenv("CARDSYNC_REQUIRE_PROMTOOL");
  return v != nullptr && std::string(v) == "1";
}

inline bool promtool_installed() {
  return std::system("command -v promtool >/dev/null 2>&1") == 0;
}

struct PromtoolResult {
  int exit_code = -1;
  std::string output;
};

// nullopt when promtool is not installed.
inline std::optional<PromtoolResult> promtool_check_metrics(const std::string& exposition) {
  if (!promtool_installed()) return std::nullopt;
  const auto file = std::filesystem::temp_directory_path() /
                    ("cardsync-metrics-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(file) << exposition;
  const std::string command = "promtool check metrics < '" + file.string() + "' 2>&1";
  PromtoolResult r;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[512];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::filesystem::remove(file);
  return r;
}

}  // namespace cardsync::admin::testing

// Skips the current test when promtool is absent and not required; fails it when required.
#define CARDSYNC_NEED_PROMTOOL()                                                     \
  do {                                                                               \
    if (!::cardsync::admin::testing::promtool_installed()) {                         \
      if (::cardsync::admin::testing::promtool_required()) {                         \
        FAIL() << "CARDSYNC_REQUIRE_PROMTOOL=1 but promtool is not on PATH";         \
      }                                                                              \
      GTEST_SKIP() << "promtool not installed (Debian: apt-get install prometheus)"; \
    }                                                                                \
  } while (false)
