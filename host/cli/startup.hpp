#pragma once
// Everything a command needs before it may do any work: the config parsed, the plugins it
// names loaded, the whole file validated, the logger set up. Problems are collected, not
// thrown one by one, so the user sees all of them at once and nothing has started.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/global_options.hpp"
#include "cli/provider_sections.hpp"
#include "config/config_parser.hpp"
#include "config/schema_set.hpp"
#include "log/logger.hpp"
#include "plugin/plugin_registry.hpp"

namespace cardsync::cli {

// The storage used when the config has no storage section; start_up writes its section in.
inline constexpr const char* kDefaultStorage = "sqlite";

struct Startup {
  std::string config_label;        // the file, or "(no config file)" when none was found
  std::string config_why;          // which lookup rule chose it, e.g. "given by --config"
  config::ParsedConfig effective;  // validated, defaults applied (after resolve)
  config::SchemaSet schemas;
  std::shared_ptr<log::Logger> logger;
  std::unique_ptr<plugin::Registry> plugins;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<ProviderSection> provider_sections;  // one per providers.<name> with a plugin
};

// Thrown when start-up found problems; each line is one complete, printable message.
class StartupFailed : public std::runtime_error {
 public:
  explicit StartupFailed(std::vector<std::string> lines);
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// The built-in plugin directory: <dir of the executable>/../lib/cardsync.
std::filesystem::path builtin_plugin_dir();

// Parses, loads and validates. Throws StartupFailed. `partial` (may be null) receives what
// was loaded even when it throws, so `plugins list` can still show the good plugins.
Startup start_up(const GlobalOptions& opts, const config::EnvLookup& env,
                 Startup* partial = nullptr);

}  // namespace cardsync::cli
