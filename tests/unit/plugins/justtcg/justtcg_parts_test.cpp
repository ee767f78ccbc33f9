// The provider's building blocks: exact decimal conversion, raw item text, cursors, config
// and URLs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "decimal_number.hpp"
#include "justtcg_config.hpp"
#include "justtcg_cursor.hpp"
#include "justtcg_endpoint.hpp"
#include "parsed_body.hpp"

namespace cardsync::justtcg {
namespace {

using ::testing::HasSubstr;

std::optional<std::int64_t> cents(std::string_view text) {
  return scale_decimal(text, 2, Rounding::half_away_from_zero);
}

TEST(DecimalNumber, DecimalTextBecomesExactCents) {
  EXPECT_EQ(cents("12.34"), 1234);
  EXPECT_EQ(cents("12.345"), 1235);  // half away from zero, as round(x * 100)
  EXPECT_EQ(cents("12.3449"), 1234);
  EXPECT_EQ(cents("0.005"), 1);
  EXPECT_EQ(cents("-1.005"), -101);
  EXPECT_EQ(cents("7"), 700);
  EXPECT_EQ(cents("+7"), 700);
  EXPECT_EQ(cents(".5"), 50);
  EXPECT_EQ(cents("1."), 100);
  EXPECT_EQ(cents("1e2"), 10000);
  EXPECT_EQ(cents("1.5E-1"), 15);
  EXPECT_EQ(cents("0000.10"), 10);
  EXPECT_EQ(cents("0"), 0);
  EXPECT_EQ(cents("92233720368547758.07"), std::nullopt);  // past 18 digits
  for (const char* bad : {"", "abc", "1,5", "1.2.3", " 1", "1 ", "-", ".", "1e", "0x10", "N/A"}) {
    EXPECT_EQ(cents(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(scale_decimal("1735689500.9", 0, Rounding::toward_zero), 1735689500);
}

TEST(DecimalNumber, JsonNumbersRoundAsTheirDigitsRead) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(
      R"([420.10, 1.005, 150, 0.1, 25000.0, "3.99", true, null, 1735689300, 18446744073709551615])");
  auto at = [&](int i) {
    return scale_json_number(d[static_cast<rapidjson::SizeType>(i)], 2,
                             Rounding::half_away_from_zero);
  };
  EXPECT_EQ(at(0), 42010);
  EXPECT_EQ(at(1), 101);  // a plain llround(1.005 * 100) gives 100
  EXPECT_EQ(at(2), 15000);
  EXPECT_EQ(at(3), 10);
  EXPECT_EQ(at(4), 2500000);
  EXPECT_EQ(at(5), 399);
  EXPECT_EQ(at(6), std::nullopt);
  EXPECT_EQ(at(7), std::nullopt);
  EXPECT_EQ(scale_json_number(d[8], 0, Rounding::toward_zero), 1735689300);
  EXPECT_EQ(at(9), std::nullopt);  // does not fit once scaled
}

TEST(ParsedBody, ObjectsKeepTheirExactSourceText) {
  const std::string text =
      "{ \"data\" : [ {\"id\":\"a\",  \"price\": 1.50, \"v\":[{\"x\" : 1}]},\n"
      "{\"id\":\"b\",\"s\":\"}{\"} ], \"n\": 5 }";
  ParsedBody body(text);
  ASSERT_TRUE(body.ok()) << body.error();
  const auto& data = body.root()["data"];
  EXPECT_EQ(body.raw(data[0]), R"({"id":"a",  "price": 1.50, "v":[{"x" : 1}]})");
  EXPECT_EQ(body.raw(data[0]["v"][0]), R"({"x" : 1})");
  EXPECT_EQ(body.raw(data[1]), R"({"id":"b","s":"}{"})");
  EXPECT_EQ(body.raw(body.root()), text);
  EXPECT_EQ(body.raw(body.root()["n"]), "5");  // not an object: compact re-serialisation
}

TEST(ParsedBody, BrokenTextReportsWhere) {
  for (const char* bad : {"", "{\"data\":[{\"id\":\"a\"", "{} trailing", "[1,]", "nul"}) {
    ParsedBody body(bad);
    EXPECT_FALSE(body.ok()) << bad;
    EXPECT_THAT(body.error(), HasSubstr("at offset")) << bad;
  }
}

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
