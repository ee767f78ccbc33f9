// The manifest's published JSON Schema: it compiles, the shipped manifests pass it, it
// catches unknown keys and unknown transforms, and every property says what it is for.
#include <cardsync/validation.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "rest_provider.hpp"
#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using ::testing::HasSubstr;

const sdk::ItemSchema& schema() {
  static const sdk::ItemSchema s(RestProvider::kDocumentSchema);
  return s;
}

TEST(ManifestSchema, TheShippedManifestsPassIt) {
  for (const char* name : {"pokemontcg.json", "ygoprodeck.json", "scryfall.json"}) {
    const auto manifest = test::parse_jsonc(test::shipped_manifest(name));
    const auto bad = schema().validate(manifest);
    EXPECT_FALSE(bad) << name << ": " << bad->reason << " at " << bad->json_path;
  }
}

TEST(ManifestSchema, UnknownKeysAndTransformsAreRefusedWhereTheyAre) {
  auto manifest = test::parse_jsonc(test::shipped_manifest("pokemontcg.json"));
  manifest["streams"][1]["records"][1]["fields"]["price_cents"]["transform"] = "cent";
  auto bad = schema().validate(manifest);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->json_path, "/streams/1/records/1/fields/price_cents/transform");
  EXPECT_THAT(bad->reason, HasSubstr("enum"));

  manifest = test::parse_jsonc(test::shipped_manifest("pokemontcg.json"));
  manifest["streams"][0]["paging"].AddMember("stpo", true, manifest.GetAllocator());
  bad = schema().validate(manifest);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->json_path, "/streams/0/paging/stpo");
}

TEST(ManifestSchema, EveryPropertyHasADescription) {
  const auto doc = test::parse_jsonc(RestProvider::kDocumentSchema);
  std::vector<std::string> missing;
  std::function<void(const rapidjson::Value&, const std::string&)> walk =
      [&](const rapidjson::Value& node, const std::string& at) {
        if (!node.IsObject()) return;
        if (auto props = node.FindMember("properties");
            props != node.MemberEnd() && props->value.IsObject()) {
          for (const auto& p : props->value.GetObject()) {
            const std::string where = at + "/properties/" + p.name.GetString();
            if (!p.value.HasMember("description")) missing.push_back(where);
            walk(p.value, where);
          }
        }
        for (const char* key : {"items", "additionalProperties", "definitions"}) {
          auto it = node.FindMember(key);
          if (it == node.MemberEnd() || !it->value.IsObject()) continue;
          if (std::string_view(key) == "definitions") {
            for (const auto& d : it->value.GetObject()) {
              walk(d.value, at + "/definitions/" + d.name.GetString());
            }
          } else {
            walk(it->value, at + "/" + key);
          }
        }
      };
  walk(doc, "");
  EXPECT_TRUE(missing.empty()) << missing.front();
}

}  // namespace
}  // namespace cardsync::rest
