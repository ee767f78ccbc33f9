#pragma once
// Options every command accepts, parsed with Boost.Program_options.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cardsync::cli {

struct GlobalOptions {
  std::optional<std::filesystem::path> config;     // --config
  std::optional<std::string> log_level;            // --log-level
  std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir (added to plugin_dirs)
  bool help = false;
  bool version = false;
  std::string command;            // first positional word, e.g. "config"
  std::vector<std::string> args;  // the rest, for the command to parse
};

// Throws std::invalid_argument with a message fit for the user on bad usage.
GlobalOptions parse_global_options(int argc, const char* const* argv);
std::string global_help();

}  // namespace cardsync::cli
