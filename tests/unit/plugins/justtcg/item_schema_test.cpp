// The SDK's item validation helper (cardsync/validation.hpp) and the item schemas the JustTCG
// plugin ships: quirks accepted, genuinely bad items refused with the rule and the path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/validation.hpp>

#include <rapidjson/document.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "justtcg_schemas.hpp"

namespace cardsync::justtcg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

rapidjson::Document doc(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

std::optional<sdk::Rejection> check(const sdk::ItemSchema& schema, const std::string& item) {
  return schema.validate(doc(item));
}

constexpr const char* kSchema = R"({
  "type": "object",
  "required": ["id", "tags"],
  "properties": {
    "id": {"type": "string", "minLength": 2, "pattern": "^[a-z]+$"},
    "n": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
    "kind": {"enum": ["a", "b"]},
    "tags": {"type": "array", "maxItems": 2, "items": {"type": "object", "required": ["k"],
             "properties": {"k": {"type": "string"}, "a/b": {"type": "boolean"}}}},
    "strict": {"type": "object", "additionalProperties": false,
               "properties": {"x": {"type": "integer"}}}
  }
})";

TEST(ItemSchema, ValidItemsPass) {
  sdk::ItemSchema schema(kSchema);
  EXPECT_FALSE(check(schema, R"({"id":"abc","tags":[],"n":null,"extra":true})"));
  EXPECT_FALSE(check(schema, R"({"id":"abc","tags":[{"k":"v"}],"n":10,"kind":"b"})"));
}

TEST(ItemSchema, EachRejectionNamesTheRuleAndThePath) {
  sdk::ItemSchema schema(kSchema);
  struct Case {
    std::string item, reason, path;
  };
  for (const auto& t : std::vector<Case>{
           {R"({"tags":[]})", R"(required: missing required property "id")", "/id"},
           {R"({"id":7,"tags":[]})", "type: expected string, found integer 7", "/id"},
           {R"({"id":"a","tags":[]})",
            "minLength: expected a string of at least 2 characters, found string \"a\"", "/id"},
           {R"({"id":"AB","tags":[]})",
            R"(pattern: expected a string matching "^[a-z]+$", found string "AB")", "/id"},
           {R"({"id":"ab","tags":[],"n":-1})", "minimum: expected a number >= 0, found integer -1",
            "/n"},
           {R"({"id":"ab","tags":[],"n":11})", "maximum: expected a number <= 10, found integer 11",
            "/n"},
           {R"({"id":"ab","tags":[],"n":1.5})", "type: expected integer or null, found number 1.5",
            "/n"},
           {R"({"id":"ab","tags":[],"kind":"c"})",
            R"(enum: expected one of ["a","b"], found string "c")", "/kind"},
           {R"({"id":"ab","tags":[{"k":"a"},{"k":"b"},{"k":"c"}]})",
            "maxItems: expected an array of at most 2 items, found an array of 3 items", "/tags"},
           {R"({"id":"ab","tags":[{"k":"v"},{"x":1}]})",
            R"(required: missing required property "k")", "/tags/1/k"},
           {R"({"id":"ab","tags":[{"k":"v","a/b":"yes"}]})",
            R"(type: expected boolean, found string "yes")", "/tags/0/a~1b"},
           {R"({"id":"ab","tags":[],"strict":{"x":1,"y":2}})",
            R"(additionalProperties: unexpected property "y")", "/strict/y"},
           {R"([1])", "type: expected object, found an array of 1 items", ""},
       }) {
    auto r = check(schema, t.item);
    ASSERT_TRUE(r) << t.item;
    EXPECT_EQ(r->reason, t.reason) << t.item;
    EXPECT_EQ(r->json_path, t.path) << t.item;
  }
}

TEST(ItemSchema, LongValuesAreShortenedInReasons) {
  sdk::ItemSchema schema(kSchema);
  auto r = check(schema, R"({"id":")" + std::string(500, 'X') + R"(","tags":[]})");
  ASSERT_TRUE(r);
  EXPECT_LT(r->reason.size(), 200U);
  EXPECT_THAT(r->reason, HasSubstr("..."));
}

TEST(ItemSchema, UnusableSchemaTextIsRefused) {
  EXPECT_THROW(sdk::ItemSchema("{not json"), std::invalid_argument);
  EXPECT_THROW(sdk::ItemSchema("[]"), std::invalid_argument);
}

// RapidJSON 1.1 keeps regex match state in the compiled schema; concurrent validations of a
// schema with patterns must still each get their own correct answer.
TEST(ItemSchema, ConcurrentValidationsAgree) {
  sdk::ItemSchema schema(kSchema);
  const auto good = doc(R"({"id":"abcdef","tags":[{"k":"v"}]})");
  const auto bad = doc(R"({"id":"abcDef","tags":[{"k":"v"}]})");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (schema.validate(good)) ++wrong;
        auto r = schema.validate(bad);
        if (!r || r->json_path != "/id") ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- the shipped JustTCG schemas --------------------------------------------------------------

TEST(JustTcgItemSchemas, AcceptTheDocumentedQuirks) {
  const ItemSchemas& s = item_schemas();
  EXPECT_FALSE(check(s.game, R"({"id":"pokemon","name":"Pokemon","last_updated":"1712345678",)"
                             R"("count":"25000","game_value_usd":"12.5"})"));
  EXPECT_FALSE(check(s.game, R"({"id":"g","name":"G","last_updated":null,"sets_count":3})"));
  EXPECT_FALSE(check(s.set, R"({"id":"s","name":"S","release_date":null,"count":"4"})"));
  EXPECT_FALSE(check(s.card, R"({"id":"c","name":"C","number":"N/A","rarity":null,)"
                             R"("tcgplayerId":null,"details":null,"variants":[{"bad":1}]})"));
  EXPECT_FALSE(check(s.card, R"({"id":"c","name":"C","number":null,"tcgplayerId":123})"));
  EXPECT_FALSE(check(s.variant, R"({"id":"v","condition":"Near Mint","price":"0.50",)"
                                R"("lastUpdated":"1735689500","priceChange7d":null,)"
                                R"("avgPrice":"3.10","covPrice7d":0.02,"language":null,)"
                                R"("maxPriceAllTimeDate":"2024-01-01T00:00:00Z","newStat":"x"})"));
  EXPECT_FALSE(check(s.variant, R"({"id":"v","condition":"NM","price":null})"));
  EXPECT_FALSE(check(s.variant, R"({"id":"v","condition":"NM","price":0,)"
                                R"("priceHistory":[{"p":1.5,"t":1735689500},{"p":"2","t":"1"}]})"));
}

TEST(JustTcgItemSchemas, RejectGenuinelyBadItems) {
  const ItemSchemas& s = item_schemas();
  struct Case {
    const sdk::ItemSchema* schema;
    std::string item, keyword, path;
  };
  for (const auto& t : std::vector<Case>{
           {&s.game, R"({"name":"No id"})", "required", "/id"},
           {&s.game, R"({"id":"g","name":"G","last_updated":"yesterday"})", "pattern",
            "/last_updated"},
           {&s.game, R"({"id":"g","name":"G","cards_count":-3})", "minimum", "/cards_count"},
           {&s.set, R"({"id":17,"name":"S"})", "type", "/id"},
           {&s.set, R"({"id":"s","name":["S"]})", "type", "/name"},
           {&s.card, R"({"id":"","name":"C"})", "minLength", "/id"},
           {&s.card, R"({"id":"c","name":"C","variants":{}})", "type", "/variants"},
           {&s.card, R"({"id":"c","name":"C","number":true})", "type", "/number"},
           {&s.variant, R"({"condition":"NM","price":1})", "required", "/id"},
           {&s.variant, R"({"id":"v","condition":"NM","price":-0.01})", "minimum", "/price"},
           {&s.variant, R"({"id":"v","condition":"NM","price":"-1"})", "pattern", "/price"},
           {&s.variant, R"({"id":"v","condition":"NM","price":"$5"})", "pattern", "/price"},
           {&s.variant, R"({"id":"v","condition":"NM","price":{"usd":5}})", "type", "/price"},
           {&s.variant, R"({"id":"v","condition":"NM","lastUpdated":true})", "type",
            "/lastUpdated"},
           {&s.variant, R"({"id":"v","condition":"NM","avgPrice":"n/a"})", "pattern", "/avgPrice"},
           {&s.variant, R"({"id":"v","condition":"NM","priceHistory":[{"p":"x","t":1}]})",
            "pattern", "/priceHistory/0/p"},
       }) {
    auto r = check(*t.schema, t.item);
    ASSERT_TRUE(r) << t.item;
    EXPECT_THAT(r->reason, StartsWith(t.keyword + ": ")) << t.item << " -> " << r->reason;
    EXPECT_EQ(r->json_path, t.path) << t.item;
  }
}

}  // namespace
}  // namespace cardsync::justtcg
