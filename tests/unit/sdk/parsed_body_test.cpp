// sdk::ParsedBody: the raw item a record or a quarantine keeps is the upstream's bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/parsed_body.hpp>

#include <string>

namespace cardsync::sdk {
namespace {

using ::testing::HasSubstr;

TEST(SdkParsedBody, ObjectsKeepTheirExactSourceText) {
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

TEST(SdkParsedBody, BrokenTextReportsWhere) {
  for (const char* bad : {"", "{\"data\":[{\"id\":\"a\"", "{} trailing", "[1,]", "nul"}) {
    ParsedBody body(bad);
    EXPECT_FALSE(body.ok()) << bad;
    EXPECT_THAT(body.error(), HasSubstr("at offset")) << bad;
  }
}

TEST(SdkParsedBody, EachItemKeepsItsOwnBytesEvenWhenItsTwinIsLaidOutDifferently) {
  const std::string text = R"([{"id": 1, "price": 2.50}, {"id":1,"price":2.50}])";
  ParsedBody body(text);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.raw(body.root()[0]), R"({"id": 1, "price": 2.50})");
  EXPECT_EQ(body.raw(body.root()[1]), R"({"id":1,"price":2.50})");
}

}  // namespace
}  // namespace cardsync::sdk
