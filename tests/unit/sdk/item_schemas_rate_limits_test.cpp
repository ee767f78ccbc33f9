// sdk::schema_map_json (the descriptor's item_schemas) and sdk::limit_value / limit_header
// (what an upstream reports is left, for the host's pacing).
#include <gtest/gtest.h>

#include <cardsync/item_schemas.hpp>
#include <cardsync/rate_limits.hpp>

#include <rapidjson/document.h>

#include <string>

namespace cardsync::sdk {
namespace {

TEST(SdkItemSchemas, MapsEachNameToItsSchemaAsWritten) {
  const std::string json = schema_map_json({{"set", R"({"type": "object"})"}, {"card", "{}"}});
  EXPECT_EQ(json, R"({"set":{"type": "object"},"card":{}})");
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError());
  EXPECT_EQ(schema_map_json({}), "{}");
}

TEST(SdkRateLimits, ReportedLimitsAreWholeNumbersOrMinusOne) {
  rapidjson::Document d;
  d.Parse(R"([100, "77", 9.9, -1, "many", null])");
  EXPECT_EQ(limit_value(&d[0]), 100);
  EXPECT_EQ(limit_value(&d[1]), 77);
  EXPECT_EQ(limit_value(&d[2]), 9);
  EXPECT_EQ(limit_value(&d[3]), -1);
  EXPECT_EQ(limit_value(&d[4]), -1);
  EXPECT_EQ(limit_value(&d[5]), -1);
  EXPECT_EQ(limit_value(nullptr), -1);

  const cs_header headers[] = {{str("X-RateLimit-Remaining"), str("42")},
                               {str("X-Bad"), str("soon")}};
  Response r;
  r.headers = headers;
  r.header_count = 2;
  EXPECT_EQ(limit_header(r, "x-ratelimit-remaining"), 42);
  EXPECT_EQ(limit_header(r, "X-Bad"), -1);
  EXPECT_EQ(limit_header(r, "Retry-After"), -1);
}

}  // namespace
}  // namespace cardsync::sdk
