// sdk::member and friends (json_fields.hpp) and sdk::parse_object / malformed_body
// (json_body.hpp): absent and null read alike, numbers sent as text are read, and a body or
// spec that is not JSON says so in words an operator can act on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace cardsync::sdk {
namespace {

using ::testing::HasSubstr;

TEST(SdkJsonFields, AbsentAndNullReadAlike) {
  rapidjson::Document d;
  d.Parse(R"({"a": null, "s": "x", "n": 42, "big": 18446744073709551615, "f": 1.5, "b": true})");
  EXPECT_EQ(member(d, "a"), nullptr);
  EXPECT_EQ(member(d, "missing"), nullptr);
  EXPECT_EQ(member(d["s"], "s"), nullptr);  // not an object
  EXPECT_EQ(text_member(d, "s"), "x");
  EXPECT_EQ(text_member(d, "n", "fallback"), "fallback");
  EXPECT_EQ(text_or_number(member(d, "s")), "x");
  EXPECT_EQ(text_or_number(member(d, "n")), "42");
  EXPECT_EQ(text_or_number(member(d, "big")), "18446744073709551615");
  EXPECT_EQ(text_or_number(member(d, "f")), "1.5");
  EXPECT_EQ(text_or_number(member(d, "b")), std::nullopt);
  EXPECT_EQ(text_or_number(member(d, "a")), std::nullopt);
  EXPECT_EQ(json_text(d["s"]), R"("x")");
}

TEST(SdkJsonFields, IntegersComeAsNumbersOrAsTheirText) {
  rapidjson::Document d;
  d.Parse(R"(["1234", 1234, "-5", "12.5", " 7", "", "1e3", 2.5, null])");
  EXPECT_EQ(integer_of(&d[0]), 1234);
  EXPECT_EQ(integer_of(&d[1]), 1234);
  EXPECT_EQ(integer_of(&d[2]), -5);
  for (rapidjson::SizeType i = 3; i < d.Size(); ++i)
    EXPECT_EQ(integer_of(&d[i]), std::nullopt) << i;
  EXPECT_EQ(integer_of(nullptr), std::nullopt);
}

TEST(SdkJsonBody, BlankTextIsAnEmptyObjectAndAnythingElseMustBeOne) {
  ASSERT_TRUE(parse_object(" \n"));
  EXPECT_TRUE(parse_object("")->IsObject());
  EXPECT_EQ((*parse_object(R"({"a":1})"))["a"].GetInt(), 1);
  EXPECT_FALSE(parse_object("[1]"));
  EXPECT_FALSE(parse_object("{"));
  try {
    require_object("[1]", "the sync spec");
    FAIL();
  } catch (const Permanent& e) {
    EXPECT_STREQ(e.what(), "the sync spec is not a JSON object: [1]");
  }
}

TEST(SdkJsonBody, AMalformedBodyIsWorthARetryAndSaysWhereItBroke) {
  const Retry r = malformed_body("Up", "GET /cards", 200, 700, "Invalid value. at offset 17");
  EXPECT_STREQ(r.what(),
               "Up sent a truncated or malformed body for GET /cards (HTTP 200, 700 bytes: "
               "Invalid value. at offset 17)");
  EXPECT_EQ(r.status(), CS_RETRY);
  rapidjson::Document d;
  d.Parse("{\"a\":");
  EXPECT_THAT(parse_error_text(d), HasSubstr("at offset 5"));
}

}  // namespace
}  // namespace cardsync::sdk
