// Mapping items onto canonical records: every core field in canonical order, one variant per
// member of an object or element of an array, skipping null prices, and failures for keys
// and required fields without a value.
#include "record_mapping.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using ::testing::HasSubstr;

RecordMapping mapping(const std::string& spec, Problems* problems = nullptr) {
  Problems local;
  Problems& p = problems != nullptr ? *problems : local;
  TemplateRules rules;
  const auto doc = test::parse_jsonc(spec);
  RecordMapping m = RecordMapping::parse(doc, rules, p, "/streams/1/records/0");
  if (problems == nullptr) {
    EXPECT_TRUE(p.empty()) << p.summary();
  }
  return m;
}

std::vector<MappedRecord> map(const RecordMapping& m, const std::string& item_json,
                              std::optional<MappingFailure>* failure = nullptr) {
  const auto item = test::parse_jsonc(item_json);
  Scope s;
  s.item = &item;
  s.job_key = "sv1";
  std::vector<MappedRecord> out;
  auto f = m.map(s, json_text(item), out);
  if (failure != nullptr) *failure = f;
  return out;
}

const std::string kVariants = R"({
  "kind": "variant", "key": "{item.id}/{entry.key}", "parent": "{item.id}",
  "each": {"entries": "/tcgplayer/prices"},
  "skip_when_null": ["price_cents"],
  "fields": {"condition": "Near Mint", "printing": "{entry.key}",
             "price_cents": {"pointer": "/market", "from": "entry", "transform": "cents"},
             "currency": "USD"}})";

TEST(RecordMapping, ACardHasEveryCoreFieldInCanonicalOrder) {
  const auto m = mapping(R"({"kind": "card", "key": "{item.id}", "parent": "{job.key}",
      "fields": {"rarity": {"pointer": "/rarity"}, "name": {"pointer": "/name"}}})");
  const std::string item = R"({"id": "sv1-1", "name": "Sprout", "number": "1"})";
  const auto out = map(m, item);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, CS_RECORD_CARD);
  EXPECT_EQ(out[0].key, "sv1-1");
  EXPECT_EQ(out[0].parent, "sv1");
  EXPECT_EQ(out[0].core_json,
            R"({"name":"Sprout","game":null,"number":null,"rarity":null,"tcgplayer_id":null})");
  EXPECT_EQ(out[0].raw_json, json_text(test::parse_jsonc(item)));
}

TEST(RecordMapping, OneVariantPerObjectMemberSkippingNullPrices) {
  const auto m = mapping(kVariants);
  const auto out = map(m, R"({"id": "sv1-6", "tcgplayer": {"prices": {
      "normal": {"market": 0.145}, "holofoil": {"market": null}, "reverseHolofoil": {"market": 2}}}})");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].key, "sv1-6/normal");
  EXPECT_EQ(out[0].parent, "sv1-6");
  EXPECT_EQ(out[0].core_json,
            R"({"condition":"Near Mint","printing":"normal","language":null,"price_cents":15,)"
            R"("currency":"USD","last_updated":null,"sku":null})");
  EXPECT_EQ(out[0].raw_json, R"({"market":0.145})");
  EXPECT_EQ(out[1].key, "sv1-6/reverseHolofoil");
}

TEST(RecordMapping, NothingToIterateMakesNoRecord) {
  const auto m = mapping(kVariants);
  EXPECT_TRUE(map(m, R"({"id": "sv1-2"})").empty());
  EXPECT_TRUE(map(m, R"({"id": "sv1-2", "tcgplayer": {"prices": null}})").empty());
}

TEST(RecordMapping, OneRecordPerArrayElementWithTheItemAtHand) {
  const auto m = mapping(R"({"kind": "variant",
      "key": "{item.id}/{entry.set_code}/{entry.set_rarity}", "parent": "{item.id}",
      "each": {"array": "/card_sets"},
      "fields": {"condition": "Near Mint", "printing": "{entry.set_rarity}", "currency": "USD",
        "price_cents": {"pointer": "/card_prices/0/tcgplayer_price", "transform": "cents",
                        "zero_is_null": true}}})");
  const auto out = map(m, R"({"id": 89631139, "card_prices": [{"tcgplayer_price": "0.00"}],
      "card_sets": [{"set_code": "YAA-EN001", "set_rarity": "Ultra Rare"},
                    {"set_code": "YAA-EN001", "set_rarity": "Secret Rare"}]})");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].key, "89631139/YAA-EN001/Ultra Rare");
  EXPECT_EQ(out[1].key, "89631139/YAA-EN001/Secret Rare");
  EXPECT_THAT(out[1].core_json, HasSubstr(R"("price_cents":null)"));
}

TEST(RecordMapping, AKeyOrRequiredFieldWithoutAValueFailsTheItem) {
  std::optional<MappingFailure> failure;
  const auto m = mapping(R"({"kind": "set", "key": "{item.code}",
                             "fields": {"name": {"pointer": "/name"}}})");
  EXPECT_TRUE(map(m, R"({"name": "Set"})", &failure).empty());
  ASSERT_TRUE(failure);
  EXPECT_THAT(failure->reason, HasSubstr("key"));
  EXPECT_TRUE(map(m, R"({"code": "s1", "name": null})", &failure).empty());
  ASSERT_TRUE(failure);
  EXPECT_THAT(failure->reason, HasSubstr("\"name\""));
}

TEST(RecordMapping, FieldsNotOfTheKindAndMissingRequiredFieldsAreProblems) {
  Problems p;
  mapping(R"({"kind": "variant", "key": "k",
              "fields": {"pirce_cents": 1, "condition": "NM"}})",
          &p);
  ASSERT_EQ(p.list().size(), 2U) << p.summary();
  EXPECT_EQ(p.list()[0].pointer, "/streams/1/records/0/fields/pirce_cents");
  EXPECT_EQ(p.list()[0].found, "pirce_cents");
  EXPECT_EQ(p.list()[0].candidates.front(), "price_cents");
  EXPECT_THAT(p.list()[1].message, HasSubstr("currency"));
}

}  // namespace
}  // namespace cardsync::rest
