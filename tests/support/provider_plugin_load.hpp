#pragma once
// A provider plugin's built shared library, loaded the way the host loads it: what every
// provider's *_plugin_load_test checks (the registry's view of it, its config schema composed
// into the host's validation, an instance created from a config section), so each provider's
// test keeps only the names, defaults and messages that are its own.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "config/diagnostic.hpp"
#include "plugin/plugin_registry.hpp"

namespace cardsync::test {

class ProviderPluginLoad : public ::testing::Test {
 protected:
  explicit ProviderPluginLoad(const std::filesystem::path& plugin);

  // The registry holds it as the provider `name` serving `name`, with these job types, and its
  // item schemas parse and describe each of `item_kinds`.
  void expect_provider(const std::string& name, const std::vector<std::string>& job_types,
                       const std::vector<std::string>& item_kinds) const;

  // A config file whose providers.<name> section is `section_json`, through the host's
  // validation with this plugin's schema composed in: the problems, or the effective config.
  struct Resolved {
    config::ParsedConfig config;
    std::vector<config::Diagnostic> problems;
    const rapidjson::Value& section(const std::string& name) const {
      return config.doc["providers"][name.c_str()];
    }
  };
  Resolved resolve(const std::string& section_json) const;

  // The URLs an instance created from `instance_config` asks for when it starts a job.
  std::vector<std::string> start_urls(const std::string& instance_config, const std::string& type,
                                      const std::string& key) const;

  // Why the library refuses to create an instance from `instance_config`; nullopt when it
  // does not refuse.
  std::optional<std::string> refusal(const std::string& instance_config) const;

  plugin::Registry registry_;
  std::shared_ptr<const plugin::Library> lib_;
};

}  // namespace cardsync::test
