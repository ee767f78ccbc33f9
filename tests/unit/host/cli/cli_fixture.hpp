#pragma once
// Runs CLI commands in-process with a private environment and a scratch directory.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace cardsync::cli::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cardsync-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  static std::string plugin_dir(const std::string& name) {
    return (std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) / name).string();
  }

  // Runs `cardsync <args>` with the env in env_ only.
  CliResult run(std::vector<std::string> args) {
    args.insert(args.begin(), "cardsync");
    std::vector<const char*> argv;
    argv.reserve(args.size());
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int code = 0;
    try {
      GlobalOptions opts = parse_global_options(static_cast<int>(argv.size()), argv.data());
      auto env = [this](std::string_view name) -> std::optional<std::string> {
        auto it = env_.find(std::string(name));
        if (it == env_.end()) return std::nullopt;
        return it->second;
      };
      code = run_command(opts, env, out, err);
    } catch (const std::exception& e) {
      err << e.what();
      code = -1;
    }
    return {code, out.str(), err.str()};
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

}  // namespace cardsync::cli::testing
