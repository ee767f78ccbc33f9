#include "log/log_options.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <stdexcept>
#include <string>

namespace cardsync::log {
namespace {

rapidjson::Document parse(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

bool schema_accepts(const char* section) {
  const rapidjson::Document schema_doc = parse(log_section_schema());
  const rapidjson::SchemaDocument schema(schema_doc);
  rapidjson::SchemaValidator validator(schema);
  const rapidjson::Document doc = parse(section);
  return doc.Accept(validator);
}

TEST(LogSchemaTest, IsADraft04SchemaWithDocumentedProperties) {
  const rapidjson::Document schema = parse(log_section_schema());
  ASSERT_TRUE(schema.IsObject());
  EXPECT_STREQ(schema["$schema"].GetString(), "http://json-schema.org/draft-04/schema#");
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
  for (const char* name : {"level", "format"}) {
    const auto& prop = schema["properties"][name];
    EXPECT_TRUE(prop.HasMember("description")) << name;
    EXPECT_TRUE(prop.HasMember("default")) << name;
  }
}

TEST(LogSchemaTest, DefaultsAgreeWithLogOptions) {
  const rapidjson::Document schema = parse(log_section_schema());
  const LogOptions defaults = read_log_options(nullptr);
  EXPECT_EQ(parse_level(schema["properties"]["level"]["default"].GetString()), defaults.level);
  EXPECT_EQ(parse_format(schema["properties"]["format"]["default"].GetString()), defaults.format);
  EXPECT_EQ(defaults.level, Level::info);
  EXPECT_EQ(defaults.format, Format::auto_detect);
}

TEST(LogSchemaTest, AcceptsValidSections) {
  EXPECT_TRUE(schema_accepts("{}"));
  EXPECT_TRUE(schema_accepts(R"({"level":"debug","format":"json"})"));
  EXPECT_TRUE(schema_accepts(R"({"level":"error","format":"auto"})"));
}

TEST(LogSchemaTest, RejectsInvalidSections) {
  EXPECT_FALSE(schema_accepts(R"({"level":"verbose"})"));
  EXPECT_FALSE(schema_accepts(R"({"format":"yaml"})"));
  EXPECT_FALSE(schema_accepts(R"({"format":1})"));
  EXPECT_FALSE(schema_accepts(R"({"colour":true})"));
  EXPECT_FALSE(schema_accepts(R"("info")"));
}

TEST(LogOptionsTest, AbsentSectionAndEmptySectionGiveDefaults) {
  const LogOptions absent = read_log_options(nullptr);
  const rapidjson::Document empty = parse("{}");
  const LogOptions from_empty = read_log_options(&empty);
  EXPECT_EQ(absent.level, from_empty.level);
  EXPECT_EQ(absent.format, from_empty.format);
}

TEST(LogOptionsTest, ReadsEachProperty) {
  const rapidjson::Document doc = parse(R"({"level":"warn","format":"text"})");
  const LogOptions options = read_log_options(&doc);
  EXPECT_EQ(options.level, Level::warn);
  EXPECT_EQ(options.format, Format::text);

  const rapidjson::Document only_level = parse(R"({"level":"trace"})");
  EXPECT_EQ(read_log_options(&only_level).level, Level::trace);
  EXPECT_EQ(read_log_options(&only_level).format, Format::auto_detect);
}

TEST(LogOptionsTest, InvalidValuesThrowNamingTheProperty) {
  const rapidjson::Document bad_level = parse(R"({"level":"loud"})");
  try {
    read_log_options(&bad_level);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("log.level"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("loud"), std::string::npos) << e.what();
  }
  const rapidjson::Document bad_format = parse(R"({"format":""})");
  EXPECT_THROW(read_log_options(&bad_format), std::invalid_argument);
  const rapidjson::Document wrong_type = parse(R"({"format":true})");
  EXPECT_THROW(read_log_options(&wrong_type), std::invalid_argument);
  const rapidjson::Document not_object = parse(R"([1])");
  EXPECT_THROW(read_log_options(&not_object), std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::log
