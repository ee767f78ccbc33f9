// The built cardsync-provider-scryfall.so, loaded the way the host loads it: the registry's
// ABI checks and the config schema composed into the host's config validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "config/config_parser.hpp"
#include "config/schema_set.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"

namespace cardsync {
namespace {

using ::testing::HasSubstr;

config::ParsedConfig parsed(const std::string& text) {
  auto result = config::parse_text(text, "cardsync.json",
                                   [](std::string_view) { return std::optional<std::string>{}; });
  return std::move(std::get<config::ParsedConfig>(result));
}

TEST(ScryfallPluginLoad, TheHostLoadsItAndValidatesItsSectionWithDefaults) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = reg.load_file(CARDSYNC_SCRYFALL_PLUGIN);
  EXPECT_EQ(lib->kind(), plugin::Kind::provider);
  EXPECT_EQ(lib->name(), "scryfall");
  EXPECT_EQ(lib->version(), "1.0.0");

  config::SchemaSet schemas;
  schemas.add_plugin("providers", "scryfall", lib->config_schema());
  auto good = parsed(R"({"providers":{"scryfall":{}}})");
  auto problems = schemas.resolve(good);
  ASSERT_TRUE(problems.empty()) << problems.front().message;
  const auto& section = good.doc["providers"]["scryfall"];
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.scryfall.com");
  EXPECT_EQ(section["requests_per_second"].GetDouble(), 10);
  EXPECT_EQ(section["currencies"].Size(), 2U);

  auto bad = parsed(
      R"({"providers":{"scryfall":{"requests_per_second":50,"currencies":["tix"],"set":[]}}})");
  auto errors = schemas.resolve(bad);
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_EQ(errors[0].path, "/providers/scryfall/requests_per_second");
  EXPECT_EQ(errors[1].path, "/providers/scryfall/currencies/0");
  EXPECT_EQ(errors[2].path, "/providers/scryfall/set");

  auto instance = plugin::Instance::create(lib, R"({"base_url":"http://127.0.0.1:9/scryfall"})");
  EXPECT_NE(instance->handle(), nullptr);
  try {
    plugin::Instance::create(lib, R"({"currencies":[]})");
    FAIL() << "an empty currency list must be refused";
  } catch (const plugin::PluginError& e) {
    EXPECT_THAT(e.what(), HasSubstr("currencies must not be empty"));
  }
}

}  // namespace
}  // namespace cardsync
