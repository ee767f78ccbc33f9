// The built cardsync-provider-scryfall.so, loaded the way the host loads it: the registry's
// ABI checks and the config schema composed into the host's config validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/provider_plugin_load.hpp"

namespace cardsync {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

class ScryfallPluginLoad : public test::ProviderPluginLoad {
 protected:
  ScryfallPluginLoad() : ProviderPluginLoad(CARDSYNC_SCRYFALL_PLUGIN) {}
};

TEST_F(ScryfallPluginLoad, TheHostLoadsItAndValidatesItsSectionWithDefaults) {
  expect_provider("scryfall", {"scryfall.sets", "scryfall.cards", "scryfall.card"},
                  {"set", "card"});
  EXPECT_EQ(lib_->version(), "1.0.0");

  auto good = resolve("{}");
  ASSERT_TRUE(good.problems.empty()) << good.problems.front().message;
  const auto& section = good.section("scryfall");
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.scryfall.com");
  EXPECT_EQ(section["requests_per_second"].GetDouble(), 10);
  EXPECT_EQ(section["currencies"].Size(), 2U);

  auto bad = resolve(R"({"requests_per_second":50,"currencies":["tix"],"set":[]})");
  ASSERT_EQ(bad.problems.size(), 3U);
  EXPECT_EQ(bad.problems[0].path, "/providers/scryfall/requests_per_second");
  EXPECT_EQ(bad.problems[1].path, "/providers/scryfall/currencies/0");
  EXPECT_EQ(bad.problems[2].path, "/providers/scryfall/set");

  EXPECT_THAT(start_urls(R"({"base_url":"http://127.0.0.1:9/scryfall"})", "scryfall.sets", "all"),
              ::testing::ElementsAre("http://127.0.0.1:9/scryfall/sets"));
  EXPECT_THAT(refusal(R"({"currencies":[]})"), Optional(HasSubstr("currencies must not be empty")))
      << "an empty currency list must be refused";
}

}  // namespace
}  // namespace cardsync
