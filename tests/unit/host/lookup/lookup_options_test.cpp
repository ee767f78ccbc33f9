#include "lookup/lookup_options.hpp"

#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include <set>
#include <string>

namespace cardsync::lookup {
namespace {

rapidjson::Document parse(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// A kind as a provider declares it (the PSA cert's numbers: fresh 7 days, not found 1 day).
plugin::LookupKind cert_kind() {
  plugin::LookupKind k;
  k.name = "cert";
  k.job_type = "psa.cert";
  k.ttl = std::chrono::hours(24 * 7);
  k.not_found_ttl = std::chrono::hours(24);
  return k;
}

TEST(LookupOptions, DefaultsComeFromTheKind) {
  auto none = read_lookup_options(cert_kind(), nullptr);
  EXPECT_EQ(none.ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(none.not_found_ttl, std::chrono::hours(24));
  EXPECT_EQ(none.deadline, std::chrono::seconds(5));

  plugin::LookupKind other = cert_kind();
  other.ttl = std::chrono::seconds(3600);
  other.not_found_ttl = std::chrono::seconds(60);
  auto doc = parse(R"({"token":"t"})");  // a section without the host's keys
  auto o = read_lookup_options(other, &doc);
  EXPECT_EQ(o.ttl, std::chrono::seconds(3600));
  EXPECT_EQ(o.not_found_ttl, std::chrono::seconds(60));
  EXPECT_EQ(o.deadline, std::chrono::seconds(5));
}

TEST(LookupOptions, TheProviderSectionOverridesTheKind) {
  auto doc = parse(
      R"({"token":"t","ttl_seconds":60,"not_found_ttl_seconds":30,"lookup_deadline_seconds":0.5})");
  auto o = read_lookup_options(cert_kind(), &doc);
  EXPECT_EQ(o.ttl, std::chrono::seconds(60));
  EXPECT_EQ(o.not_found_ttl, std::chrono::seconds(30));
  EXPECT_EQ(o.deadline, std::chrono::milliseconds(500));
}

TEST(LookupOptions, EachKeyOverridesOnlyItself) {
  auto doc = parse(R"({"not_found_ttl_seconds":30})");
  auto o = read_lookup_options(cert_kind(), &doc);
  EXPECT_EQ(o.ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(o.not_found_ttl, std::chrono::seconds(30));
  EXPECT_EQ(o.deadline, std::chrono::seconds(5));
}

TEST(LookupOptions, ValuesTheSchemaRefusesFallBackToTheDefaults) {
  // The config's validation refuses these; the reader still never turns them into a zero
  // or negative duration.
  for (const char* text : {R"({"ttl_seconds":0,"not_found_ttl_seconds":-5,
                               "lookup_deadline_seconds":0})",
                           R"({"ttl_seconds":"60","not_found_ttl_seconds":null,
                               "lookup_deadline_seconds":[1]})"}) {
    SCOPED_TRACE(text);
    auto doc = parse(text);
    auto o = read_lookup_options(cert_kind(), &doc);
    EXPECT_EQ(o.ttl, std::chrono::hours(24 * 7));
    EXPECT_EQ(o.not_found_ttl, std::chrono::hours(24));
    EXPECT_EQ(o.deadline, std::chrono::seconds(5));
  }
  auto not_an_object = parse("[]");
  EXPECT_EQ(read_lookup_options(cert_kind(), &not_an_object).ttl, std::chrono::hours(24 * 7));
}

TEST(LookupOptions, TheHostKeysAreDocumentedSchemas) {
  std::set<std::string> names;
  for (const auto& key : lookup_host_keys()) {
    SCOPED_TRACE(key.name);
    names.insert(key.name);
    auto schema = parse(key.schema);
    ASSERT_TRUE(schema.IsObject());
    EXPECT_GT(schema["description"].GetStringLength(), 20U);
    EXPECT_TRUE(schema.HasMember("type"));
    EXPECT_TRUE(schema.HasMember("minimum"));
  }
  EXPECT_EQ(names, (std::set<std::string>{"ttl_seconds", "not_found_ttl_seconds",
                                          "lookup_deadline_seconds"}));
}

}  // namespace
}  // namespace cardsync::lookup
