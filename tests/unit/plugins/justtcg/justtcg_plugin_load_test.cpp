// The built cardsync-provider-justtcg.so, loaded the way the host loads it: the registry's ABI
// checks, the config schema composed into the host's config validation, and one call through
// the vtable of an instance created from a config section.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "support/provider_plugin_load.hpp"

namespace cardsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

class JustTcgPluginLoad : public test::ProviderPluginLoad {
 protected:
  JustTcgPluginLoad() : ProviderPluginLoad(CARDSYNC_JUSTTCG_PLUGIN) {}
};

TEST_F(JustTcgPluginLoad, RegistryLoadsItAsTheJustTcgProvider) {
  expect_provider(
      "justtcg",
      {"justtcg.games", "justtcg.sets", "justtcg.cards", "justtcg.refresh", "justtcg.card"},
      {"variant"});
  rapidjson::Document schema;
  schema.Parse(lib_->config_schema().data(), lib_->config_schema().size());
  ASSERT_FALSE(schema.HasParseError());
  EXPECT_TRUE(schema["properties"].HasMember("api_key"));
}

TEST_F(JustTcgPluginLoad, ConfigSchemaValidatesAndFillsDefaultsInTheHost) {
  auto good = resolve(R"({"api_key":"tcg_abc"})");
  ASSERT_TRUE(good.problems.empty()) << good.problems.front().message;
  const auto& section = good.section("justtcg");
  EXPECT_STREQ(section["plan"].GetString(), "free");
  EXPECT_STREQ(section["mode"].GetString(), "incremental");
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.justtcg.com/v1");

  auto bad = resolve(R"({"api_key":"k","plan":"gold","pagesize":5})");
  ASSERT_EQ(bad.problems.size(), 2U);
  EXPECT_EQ(bad.problems[0].path, "/providers/justtcg/plan");
  EXPECT_EQ(bad.problems[1].path, "/providers/justtcg/pagesize");
}

TEST_F(JustTcgPluginLoad, AnInstanceFromTheLibraryBuildsRequests) {
  EXPECT_THAT(
      start_urls(R"({"api_key":"tcg_abc","plan":"starter","base_url":"http://127.0.0.1:9/v1"})",
                 "justtcg.sets", "pokemon"),
      ElementsAre("http://127.0.0.1:9/v1/sets?game=pokemon&limit=100&offset=0"));
  EXPECT_THAT(refusal(R"({"api_key":"k","plan":"free","page_size":50})"),
              Optional(HasSubstr("page_size 50 is above the 20")))
      << "a page size above the plan must be refused";
}

}  // namespace
}  // namespace cardsync
