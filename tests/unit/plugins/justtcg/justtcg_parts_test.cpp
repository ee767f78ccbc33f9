// The provider's building blocks: cursors, config and URLs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "justtcg_config.hpp"
#include "justtcg_cursor.hpp"
#include "justtcg_endpoint.hpp"

namespace cardsync::justtcg {
namespace {

using ::testing::HasSubstr;

TEST(PassCursor, RoundTripsAndRejectsWhatItCannotRead) {
  PassCursor c{40, 1735000000, 1735600000};
  EXPECT_EQ(c.to_json(), R"({"offset":40,"updated_after":1735000000,"high_water":1735600000})");
  auto back = PassCursor::parse(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->offset, 40);
  EXPECT_EQ(back->updated_after, 1735000000);
  EXPECT_EQ(back->high_water, 1735600000);
  EXPECT_EQ(PassCursor{}.to_json(), "{}");
  auto empty = PassCursor::parse("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->offset);
  EXPECT_FALSE(PassCursor::parse("[]"));
  EXPECT_FALSE(PassCursor::parse(R"({"offset":-1})"));
  EXPECT_FALSE(PassCursor::parse(R"({"offset":"4"})"));
}

Config config_of(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  return Config::from_json(d);
}

TEST(JustTcgConfig, DefaultsFollowTheSchema) {
  const Config c = config_of(R"({"api_key":"k"})");
  EXPECT_EQ(c.base_url, "https://api.justtcg.com/v1");
  EXPECT_EQ(c.plan, Plan::free);
  EXPECT_EQ(c.mode, Mode::incremental);
  EXPECT_EQ(c.page_size, 20);
  EXPECT_TRUE(c.games.empty());
}

TEST(JustTcgConfig, PlanSetsThePageSizeAndOverridesStayWithinIt) {
  EXPECT_EQ(config_of(R"({"api_key":"k","plan":"starter"})").page_size, 100);
  EXPECT_EQ(config_of(R"({"api_key":"k","plan":"professional"})").page_size, 100);
  EXPECT_EQ(config_of(R"({"api_key":"k","plan":"enterprise"})").page_size, 200);
  EXPECT_EQ(config_of(R"({"api_key":"k","plan":"enterprise","page_size":150})").page_size, 150);
  try {
    config_of(R"({"api_key":"k","plan":"starter","page_size":150})");
    FAIL();
  } catch (const sdk::Fatal& e) {
    EXPECT_THAT(e.what(), HasSubstr("page_size 150 is above the 100 the starter plan allows"));
  }
}

TEST(JustTcgConfig, ReadsEveryOptionAndToleratesHostKeys) {
  const Config c =
      config_of(R"({"api_key":"k","base_url":"http://127.0.0.1:8080/v1/","mode":"full",)"
                R"("games":["pokemon","yugioh"],"resilience":{"rate":5}})");
  EXPECT_EQ(c.base_url, "http://127.0.0.1:8080/v1");
  EXPECT_EQ(c.mode, Mode::full);
  EXPECT_EQ(c.games, (std::vector<std::string>{"pokemon", "yugioh"}));
}

TEST(JustTcgConfig, UnusableValuesAreFatal) {
  for (const char* bad :
       {R"({})", R"({"api_key":""})", R"({"api_key":"k","plan":"gold"})",
        R"({"api_key":"k","mode":"sometimes"})", R"({"api_key":"k","base_url":"ftp://x"})",
        R"({"api_key":"k","games":"pokemon"})", R"({"api_key":"k","page_size":0})"}) {
    EXPECT_THROW(config_of(bad), sdk::Fatal) << bad;
  }
}

TEST(JustTcgEndpoint, QueryValuesAreEncodedAndReadBack) {
  Config c = config_of(R"({"api_key":"k"})");
  auto r = get_request(c, "/cards", {{"set", "a b&c=d/é"}, {"offset", "40"}});
  EXPECT_EQ(r.url, "https://api.justtcg.com/v1/cards?set=a%20b%26c%3Dd%2F%C3%A9&offset=40");
  EXPECT_EQ(query_value(r.url, "set"), "a b&c=d/é");
  EXPECT_EQ(query_value(r.url, "offset"), "40");
  EXPECT_EQ(query_value(r.url, "limit"), std::nullopt);
  EXPECT_EQ(query_value("https://x/cards", "offset"), std::nullopt);
}

}  // namespace
}  // namespace cardsync::justtcg
