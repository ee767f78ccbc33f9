// The built cardsync-provider-psa.so, loaded the way the host loads it: the registry's ABI
// checks, the config schema composed into the host's validation (with its defaults), and one
// call through the vtable of an instance created from a config section.
#include <gmock/gmock.h>

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

const std::filesystem::path kPlugin = CARDSYNC_PSA_PLUGIN;

config::ParsedConfig parsed(const std::string& text) {
  auto result = config::parse_text(text, "cardsync.json",
                                   [](std::string_view) { return std::optional<std::string>{}; });
  return std::move(std::get<config::ParsedConfig>(result));
}

TEST(PsaPluginLoad, RegistryLoadsItAsThePsaProvider) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = reg.load_file(kPlugin);
  EXPECT_EQ(lib->kind(), plugin::Kind::provider);
  EXPECT_EQ(lib->name(), "psa");
  ASSERT_NE(lib->provider(), nullptr);
  EXPECT_STREQ(lib->provider()->service, "psa");
  std::vector<std::string> types;
  for (const char* const* t = lib->provider()->job_types; *t != nullptr; ++t)
    types.emplace_back(*t);
  EXPECT_THAT(types, ElementsAre("psa.cert"));
  rapidjson::Document items;
  items.Parse(lib->provider()->item_schemas);
  ASSERT_FALSE(items.HasParseError());
  EXPECT_TRUE(items.HasMember("cert"));
  EXPECT_TRUE(items.HasMember("image"));
}

TEST(PsaPluginLoad, ConfigSchemaFillsTheCacheDefaultsAndNeedsAToken) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = reg.load_file(kPlugin);
  config::SchemaSet schemas;
  schemas.add_plugin("providers", "psa", lib->config_schema());

  auto good = parsed(R"({"providers":{"psa":{"token":"t"}}})");
  auto problems = schemas.resolve(good);
  ASSERT_TRUE(problems.empty()) << problems.front().message;
  const auto& section = good.doc["providers"]["psa"];
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.psacard.com/publicapi");
  EXPECT_EQ(section["daily_quota"].GetInt(), 100);
  EXPECT_EQ(section["ttl_seconds"].GetInt(), 7 * 24 * 3600);
  EXPECT_EQ(section["not_found_ttl_seconds"].GetInt(), 24 * 3600);
  EXPECT_EQ(section["lookup_deadline_seconds"].GetDouble(), 5.0);

  auto bad = parsed(R"({"providers":{"psa":{"ttl_seconds":0}}})");
  auto errors = schemas.resolve(bad);
  ASSERT_EQ(errors.size(), 2U);
}

TEST(PsaPluginLoad, AnInstanceFromTheLibraryBuildsTheCertRequest) {
  plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto lib = reg.load_file(kPlugin);
  auto instance =
      plugin::Instance::create(lib, R"({"token":"t","base_url":"http://127.0.0.1:9/publicapi"})");
  struct Seen {
    std::vector<std::string> urls;
  } seen;
  cs_emit_api api{};
  api.struct_size = sizeof(cs_emit_api);
  api.request = [](cs_emit* e, const cs_request* r) {
    reinterpret_cast<Seen*>(e)->urls.emplace_back(sdk::view(r->url));
  };
  const std::string type = "psa.cert";
  const std::string key = "00012345";
  cs_job job{sizeof(cs_job), 1, sdk::str(type), sdk::str(key), {}, {}, {}, 1};
  EXPECT_EQ(lib->provider()->start(instance->handle(), &job, &api,
                                   reinterpret_cast<cs_emit*>(&seen), nullptr),
            CS_OK);
  EXPECT_THAT(seen.urls, ElementsAre("http://127.0.0.1:9/publicapi/cert/GetByCertNumber/00012345"));
  try {
    plugin::Instance::create(lib, R"({"base_url":"http://127.0.0.1:9/publicapi"})");
    FAIL() << "a section without a token must be refused";
  } catch (const plugin::PluginError& e) {
    EXPECT_THAT(e.what(), HasSubstr("providers.psa.token"));
  }
}

}  // namespace
}  // namespace cardsync
