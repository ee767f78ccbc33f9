#include "log/line_format.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <limits>
#include <string>

namespace cardsync::log {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-28T17:04:05.123Z
Clock::WallTime sample_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 28} + 17h + 4min + 5s + 123ms;
}

Record sample_record() {
  Record r;
  r.ts = sample_time();
  r.level = Level::info;
  r.message = "synced page";
  r.request_id = "req-42";
  r.fields = {{"provider", "justtcg"}, {"items", 200}, {"ratio", 0.25}, {"last", false}};
  return r;
}

rapidjson::Document parse_line(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one record must be exactly one line";
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size() - 1);
  EXPECT_FALSE(doc.HasParseError()) << line;
  return doc;
}

std::vector<std::string> member_names(const rapidjson::Document& doc) {
  std::vector<std::string> names;
  for (const auto& m : doc.GetObject()) names.emplace_back(m.name.GetString());
  return names;
}

TEST(JsonLineTest, HasTheDocumentedShape) {
  const std::string line = format_json_line(sample_record());
  const auto doc = parse_line(line);
  ASSERT_TRUE(doc.IsObject());

  EXPECT_EQ(member_names(doc), (std::vector<std::string>{"ts", "level", "msg", "request_id",
                                                         "provider", "items", "ratio", "last"}));
  EXPECT_STREQ(doc["ts"].GetString(), "2026-11-28T17:04:05.123Z");
  EXPECT_STREQ(doc["level"].GetString(), "info");
  EXPECT_STREQ(doc["msg"].GetString(), "synced page");
  EXPECT_STREQ(doc["request_id"].GetString(), "req-42");
  ASSERT_TRUE(doc["provider"].IsString());
  EXPECT_STREQ(doc["provider"].GetString(), "justtcg");
  ASSERT_TRUE(doc["items"].IsInt64());
  EXPECT_EQ(doc["items"].GetInt64(), 200);
  ASSERT_TRUE(doc["ratio"].IsDouble());
  EXPECT_DOUBLE_EQ(doc["ratio"].GetDouble(), 0.25);
  ASSERT_TRUE(doc["last"].IsBool());
  EXPECT_FALSE(doc["last"].GetBool());
}

TEST(JsonLineTest, ExactBytes) {
  Record r = sample_record();
  r.fields = {{"n", 3}};
  EXPECT_EQ(format_json_line(r),
            "{\"ts\":\"2026-11-28T17:04:05.123Z\",\"level\":\"info\",\"msg\":\"synced page\","
            "\"request_id\":\"req-42\",\"n\":3}\n");
}

TEST(JsonLineTest, RequestIdOmittedWhenEmpty) {
  Record r = sample_record();
  r.request_id.clear();
  const auto doc = parse_line(format_json_line(r));
  EXPECT_FALSE(doc.HasMember("request_id"));
  EXPECT_EQ(member_names(doc)[3], "provider");
}

TEST(JsonLineTest, TimestampIsUtcWithMillisecondsAndZ) {
  Record r = sample_record();
  r.ts = Clock::WallTime{} + 1ms;
  EXPECT_STREQ(parse_line(format_json_line(r))["ts"].GetString(), "1970-01-01T00:00:00.001Z");
  // Sub-millisecond precision is truncated, never rounded into the next second.
  r.ts = sample_time() + 999us;
  EXPECT_STREQ(parse_line(format_json_line(r))["ts"].GetString(), "2026-11-28T17:04:05.123Z");
  r.ts = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 23h + 59min + 59s + 999ms;
  EXPECT_STREQ(parse_line(format_json_line(r))["ts"].GetString(), "2024-02-29T23:59:59.999Z");
}

TEST(JsonLineTest, EscapesQuotesNewlinesAndControlCharacters) {
  Record r = sample_record();
  r.message = "said \"hi\"\nthen \\left\t\x01";
  r.fields = {{"body", "{\"a\":1}\r\n"}};
  const std::string line = format_json_line(r);
  EXPECT_THAT(line, HasSubstr(R"("msg":"said \"hi\"\nthen \\left\t\u0001")"));
  const auto doc = parse_line(line);
  EXPECT_EQ(std::string(doc["msg"].GetString()), r.message);
  EXPECT_EQ(std::string(doc["body"].GetString()), "{\"a\":1}\r\n");
}

TEST(JsonLineTest, KeepsUnicodeAndEmbeddedNul) {
  Record r = sample_record();
  r.message = "Pokémon ポケモン 🃏";
  r.fields = {{"clé", std::string("a\0b", 3)}};
  const auto doc = parse_line(format_json_line(r));
  EXPECT_EQ(std::string(doc["msg"].GetString()), r.message);
  ASSERT_TRUE(doc.HasMember("clé"));
  EXPECT_EQ(std::string(doc["clé"].GetString(), doc["clé"].GetStringLength()),
            std::string("a\0b", 3));
}

TEST(JsonLineTest, InvalidUtf8BecomesReplacementCharacter) {
  Record r = sample_record();
  r.message = "bad \xff byte, cut \xe3\x81";
  r.fields = {{"raw", "\xc0\xaf"}};  // overlong encoding of '/'
  const std::string line = format_json_line(r);
  rapidjson::Document doc;
  // Strict parse: rejects any invalid UTF-8 left in the line.
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size() - 1);
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_EQ(std::string(doc["msg"].GetString()),
            "bad \xEF\xBF\xBD byte, cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(std::string(doc["raw"].GetString()), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonLineTest, NonFiniteNumbersStayParseable) {
  Record r = sample_record();
  r.fields = {{"nan", std::numeric_limits<double>::quiet_NaN()},
              {"inf", std::numeric_limits<double>::infinity()},
              {"ninf", -std::numeric_limits<double>::infinity()},
              {"after", 1}};
  const auto doc = parse_line(format_json_line(r));
  EXPECT_STREQ(doc["nan"].GetString(), "NaN");
  EXPECT_STREQ(doc["inf"].GetString(), "Infinity");
  EXPECT_STREQ(doc["ninf"].GetString(), "-Infinity");
  EXPECT_EQ(doc["after"].GetInt64(), 1);
}

TEST(JsonLineTest, FieldsCannotShadowReservedKeys) {
  Record r = sample_record();
  r.fields = {{"msg", "spoof"}, {"level", "error"}, {"ts", 0}, {"request_id", "other"}};
  const auto doc = parse_line(format_json_line(r));
  EXPECT_STREQ(doc["msg"].GetString(), "synced page");
  EXPECT_STREQ(doc["level"].GetString(), "info");
  EXPECT_STREQ(doc["request_id"].GetString(), "req-42");
  EXPECT_STREQ(doc["_msg"].GetString(), "spoof");
  EXPECT_STREQ(doc["_level"].GetString(), "error");
  EXPECT_EQ(doc["_ts"].GetInt64(), 0);
  EXPECT_STREQ(doc["_request_id"].GetString(), "other");
}

TEST(JsonLineTest, IntegerExtremesAndUnsignedSaturate) {
  Record r = sample_record();
  r.fields = {{"min", std::numeric_limits<std::int64_t>::min()},
              {"big", std::numeric_limits<std::uint64_t>::max()},
              {"size", std::size_t{7}}};
  const auto doc = parse_line(format_json_line(r));
  EXPECT_EQ(doc["min"].GetInt64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(doc["big"].GetInt64(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(doc["size"].GetInt64(), 7);
}

TEST(TextLineTest, ReadableLayout) {
  EXPECT_EQ(format_text_line(sample_record()),
            "17:04:05.123 INFO  synced page  provider=justtcg items=200 ratio=0.25 last=false "
            "[req=req-42]\n");
}

TEST(TextLineTest, NoFieldsNoRequestId) {
  Record r = sample_record();
  r.level = Level::error;
  r.fields.clear();
  r.request_id.clear();
  EXPECT_EQ(format_text_line(r), "17:04:05.123 ERROR synced page\n");
}

TEST(TextLineTest, QuotesValuesThatWouldBeAmbiguous) {
  Record r = sample_record();
  r.request_id.clear();
  r.fields = {{"path", "cards/a b"}, {"expr", "a=b"}, {"empty", ""}, {"q", "say \"x\""}};
  EXPECT_EQ(format_text_line(r),
            "17:04:05.123 INFO  synced page  path=\"cards/a b\" expr=\"a=b\" empty=\"\" "
            "q=\"say \\\"x\\\"\"\n");
}

TEST(TextLineTest, ControlCharactersCannotBreakTheLine) {
  Record r = sample_record();
  r.fields.clear();
  r.request_id.clear();
  r.message = "first\nsecond\x1b[31m";
  const std::string line = format_text_line(r);
  EXPECT_EQ(line, "17:04:05.123 INFO  first\\nsecond\\x1b[31m\n");
}

TEST(FormatNamesTest, RoundTrip) {
  EXPECT_EQ(parse_format("auto"), Format::auto_detect);
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_EQ(parse_format("text"), Format::text);
  EXPECT_EQ(parse_format("yaml"), std::nullopt);
  for (Format f : {Format::json, Format::text, Format::auto_detect}) {
    EXPECT_EQ(parse_format(to_string(f)), f);
  }
}

TEST(FormatLineTest, DispatchesOnFormat) {
  const Record r = sample_record();
  EXPECT_EQ(format_line(r, Format::json), format_json_line(r));
  EXPECT_EQ(format_line(r, Format::text), format_text_line(r));
  EXPECT_THAT(format_line(r, Format::text), Not(HasSubstr("{")));
}

}  // namespace
}  // namespace cardsync::log
