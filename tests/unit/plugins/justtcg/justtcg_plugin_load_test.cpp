// The built cardsync-provider-justtcg.so, loaded the way the host loads it: the registry's ABI
// checks, the config schema composed into the host's config validation, and one call through
// the vtable of an instance created from a config section.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "config/schema_set.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"

namespace cardsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path kPlugin = CARDSYNC_JUSTTCG_PLUGIN;

std::shared_ptr<const plugin::Library> load(plugin::Registry& reg) {
  return reg.load_file(kPlugin);
}

TEST(JustTcgPluginLoad, RegistryLoadsItAsTheJustTcgProvider) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = load(reg);
  EXPECT_EQ(lib->kind(), plugin::Kind::provider);
  EXPECT_EQ(lib->name(), "justtcg");
  EXPECT_EQ(reg.find(plugin::Kind::provider, "justtcg"), lib);
  ASSERT_NE(lib->provider(), nullptr);
  EXPECT_STREQ(lib->provider()->service, "justtcg");
  std::vector<std::string> types;
  for (const char* const* t = lib->provider()->job_types; *t != nullptr; ++t) {
    types.emplace_back(*t);
  }
  EXPECT_THAT(types,
              ElementsAre("justtcg.games", "justtcg.sets", "justtcg.cards", "justtcg.refresh"));

  rapidjson::Document schema;
  schema.Parse(lib->config_schema().data(), lib->config_schema().size());
  ASSERT_FALSE(schema.HasParseError());
  EXPECT_TRUE(schema["properties"].HasMember("api_key"));
  rapidjson::Document items;
  items.Parse(lib->provider()->item_schemas);
  ASSERT_FALSE(items.HasParseError());
  EXPECT_TRUE(items.HasMember("variant"));
}

config::ParsedConfig parsed(const std::string& text) {
  auto result = config::parse_text(text, "cardsync.json",
                                   [](std::string_view) { return std::optional<std::string>{}; });
  return std::move(std::get<config::ParsedConfig>(result));
}

TEST(JustTcgPluginLoad, ConfigSchemaValidatesAndFillsDefaultsInTheHost) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = load(reg);
  config::SchemaSet schemas;
  schemas.add_plugin("providers", "justtcg", lib->config_schema());

  auto good = parsed(R"({"providers":{"justtcg":{"api_key":"tcg_abc"}}})");
  auto problems = schemas.resolve(good);
  ASSERT_TRUE(problems.empty()) << problems.front().message;
  const auto& section = good.doc["providers"]["justtcg"];
  EXPECT_STREQ(section["plan"].GetString(), "free");
  EXPECT_STREQ(section["mode"].GetString(), "incremental");
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.justtcg.com/v1");

  auto bad = parsed(R"({"providers":{"justtcg":{"api_key":"k","plan":"gold","pagesize":5}}})");
  auto errors = schemas.resolve(bad);
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].path, "/providers/justtcg/plan");
  EXPECT_EQ(errors[1].path, "/providers/justtcg/pagesize");
}

TEST(JustTcgPluginLoad, AnInstanceFromTheLibraryBuildsRequests) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = load(reg);
  auto instance = plugin::Instance::create(
      lib, R"({"api_key":"tcg_abc","plan":"starter","base_url":"http://127.0.0.1:9/v1"})");

  struct Seen {
    std::vector<std::string> urls;
  } seen;
  cs_emit_api api{};
  api.struct_size = sizeof(cs_emit_api);
  api.request = [](cs_emit* e, const cs_request* r) {
    reinterpret_cast<Seen*>(e)->urls.emplace_back(sdk::view(r->url));
  };
  const std::string type = "justtcg.sets";
  const std::string key = "pokemon";
  cs_job job{sizeof(cs_job), 1, sdk::str(type), sdk::str(key), {}, {}, {}, 1};
  EXPECT_EQ(lib->provider()->start(instance->handle(), &job, &api,
                                   reinterpret_cast<cs_emit*>(&seen), nullptr),
            CS_OK);
  EXPECT_THAT(seen.urls, ElementsAre("http://127.0.0.1:9/v1/sets?game=pokemon&limit=100&offset=0"));

  try {
    plugin::Instance::create(lib, R"({"api_key":"k","plan":"free","page_size":50})");
    FAIL() << "a page size above the plan must be refused";
  } catch (const plugin::PluginError& e) {
    EXPECT_THAT(e.what(), HasSubstr("page_size 50 is above the 20"));
  }
}

}  // namespace
}  // namespace cardsync
