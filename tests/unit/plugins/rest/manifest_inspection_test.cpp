// What `cardsync manifest check` learns from the plugin: the problems a schema cannot see,
// each at its JSON pointer with candidates for a misspelt name, and the instance's config
// schema built from the manifest's own declarations.
#include "manifest_inspection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using ::testing::HasSubstr;

const std::string kManifest = R"({
  "base_url": "https://api.example.com/v1",
  "config": {"api_key": {"type": "string", "default": "", "description": "The key."},
             "sets": {"type": "array", "items": {"type": "string"}, "default": [],
                      "description": "Sets."}},
  "auth": {"type": "header", "name": "X-Key", "value": "{config.api_kye}"},
  "plan": [{"stream": "set"}],
  "streams": [
    {"name": "sets", "request": {"path": "/sets"}, "items": "data",
     "records": [{"kind": "set", "key": "{item.id}",
                  "fields": {"name": {"pointer": "/name"}, "relase_date": null}}],
     "children": [{"stream": "crads", "key": "{item.id}", "if_listed_in": "set"}]},
    {"name": "cards", "request": {"path": "/cards/{job.key}"},
     "paging": {"style": "cursor"}}
  ],
  "lookups": [{"name": "card", "stream": "card", "record_kind": "card"}]
})";

rapidjson::Document inspect(const std::string& manifest) {
  const auto doc = test::parse_jsonc(manifest);
  return test::parse_jsonc(inspect_manifest(doc));
}

const rapidjson::Value* problem_at(const rapidjson::Document& result, const std::string& pointer) {
  for (const auto& p : result["problems"].GetArray()) {
    if (pointer == p["pointer"].GetString()) return &p;
  }
  return nullptr;
}

TEST(ManifestInspection, NamesEveryProblemWithItsPointerAndCandidates) {
  const auto r = inspect(kManifest);
  struct Want {
    std::string pointer, found, candidate;
  };
  for (const Want& w :
       std::vector<Want>{{"/auth/value", "api_kye", "api_key"},
                         {"/streams/0/items", "", ""},
                         {"/streams/0/records/0/fields/relase_date", "relase_date", "release_date"},
                         {"/streams/0/children/0/stream", "crads", "cards"},
                         {"/streams/0/children/0/if_listed_in", "set", "sets"},
                         {"/streams/1/paging/token", "", ""},
                         {"/plan/0/stream", "set", "sets"},
                         {"/lookups/0/stream", "card", "cards"}}) {
    const rapidjson::Value* p = problem_at(r, w.pointer);
    ASSERT_NE(p, nullptr) << "no problem at " << w.pointer;
    if (w.found.empty()) continue;
    EXPECT_EQ(std::string((*p)["found"].GetString()), w.found) << w.pointer;
    EXPECT_EQ(std::string((*p)["candidates"][0].GetString()), w.candidate) << w.pointer;
  }
  EXPECT_EQ(r["problems"].Size(), 8U);
}

TEST(ManifestInspection, RecordsFromNamesAStreamWithRecordsOfItsOwn) {
  const auto r = inspect(R"({"base_url": "https://x.example", "plan": [{"stream": "a"}],
      "streams": [{"name": "a", "request": {"path": "/a"}, "records_from": "b"},
                  {"name": "b", "request": {"path": "/b"}, "records_from": "bb"},
                  {"name": "c", "request": {"path": "/c"}, "records_from": "a",
                   "records": []}]})");
  EXPECT_NE(problem_at(r, "/streams/0/records_from"), nullptr);
  const rapidjson::Value* unknown = problem_at(r, "/streams/1/records_from");
  ASSERT_NE(unknown, nullptr);
  EXPECT_STREQ((*unknown)["found"].GetString(), "bb");
  EXPECT_NE(problem_at(r, "/streams/2/records_from"), nullptr);
}

TEST(ManifestInspection, TheConfigSchemaIsTheDeclaredOptionsPlusBaseUrl) {
  const auto r = inspect(kManifest);
  const auto& schema = r["config_schema"];
  EXPECT_STREQ(schema["type"].GetString(), "object");
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
  EXPECT_STREQ(schema["properties"]["api_key"]["description"].GetString(), "The key.");
  EXPECT_STREQ(schema["properties"]["sets"]["type"].GetString(), "array");
  EXPECT_STREQ(schema["properties"]["base_url"]["default"].GetString(),
               "https://api.example.com/v1");
  EXPECT_TRUE(schema["properties"]["base_url"].HasMember("description"));
}

TEST(ManifestInspection, ADailyQuotaBecomesTheDefaultOfTheSectionsDailyQuota) {
  // The host paces a source by its section's daily_quota (as it does PSA's).
  const auto r = inspect(R"({"base_url": "https://x.example", "plan": [{"stream": "a"}],
      "rate_limit": {"requests_per_second": 10, "daily_quota": 500},
      "streams": [{"name": "a", "request": {"path": "/a"}}]})");
  EXPECT_EQ(r["problems"].Size(), 0U);
  const auto& quota = r["config_schema"]["properties"]["daily_quota"];
  EXPECT_STREQ(quota["type"].GetString(), "integer");
  EXPECT_EQ(quota["default"].GetInt(), 500);
}

TEST(ManifestInspection, WithoutADailyQuotaThereIsNoSuchOption) {
  const auto r = inspect(R"({"base_url": "https://x.example", "plan": [{"stream": "a"}],
      "rate_limit": {"requests_per_second": 10},
      "streams": [{"name": "a", "request": {"path": "/a"}}]})");
  EXPECT_FALSE(r["config_schema"]["properties"].HasMember("daily_quota"));
}

}  // namespace
}  // namespace cardsync::rest
