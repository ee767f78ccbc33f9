// The manifests shipped in manifests/, fed answers in their APIs' real shapes (the quirks of
// docs/upstream-apis.md): what each request looks like and which records come out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/provider_driver.hpp"
#include "manifest_inspection.hpp"
#include "rest_provider.hpp"
#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using conformance::CallResult;
using conformance::JobInput;
using conformance::ProviderDriver;
using ::testing::HasSubstr;

TEST(ShippedManifests, EachHasNoProblemsAndAtMost150Lines) {
  for (const char* name : {"pokemontcg.json", "ygoprodeck.json", "scryfall.json"}) {
    const std::string text = test::shipped_manifest(name);
    EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 150) << name;
    const auto inspection = test::parse_jsonc(inspect_manifest(test::parse_jsonc(text)));
    EXPECT_EQ(inspection["problems"].Size(), 0U)
        << name << ": " << text.substr(0, 0) << inspection["problems"][0]["message"].GetString();
  }
}

class PokemonTcg : public ::testing::Test {
 protected:
  ProviderDriver driver_{rest_descriptor(),
                         test::section(test::shipped_manifest("pokemontcg.json"),
                                       R"({"base_url": "http://sandbox/pokemontcg/v2",
                                           "page_size": 2})")};
  const JobInput sets_{1, "rest.sets", "all", "", "", "rid", 1};
  const JobInput cards_{2, "rest.cards", "sv1", "", "", "rid", 1};
};

TEST_F(PokemonTcg, PagesSetsWithSlashDatesAndOneCardsJobPerSet) {
  const auto start = driver_.start(sets_);
  ASSERT_EQ(start.requests.size(), 1U);
  EXPECT_EQ(start.requests[0].url, "http://sandbox/pokemontcg/v2/sets?page=1&pageSize=2");
  EXPECT_EQ(start.requests[0].headers.size(), 1U) << "no X-Api-Key without a key";
  const CallResult r = driver_.handle(sets_, start.requests[0], 200, R"({"data": [
      {"id": "sv1", "name": "Scarlet", "series": "SV", "total": 30, "releaseDate": "2023/03/31"},
      {"id": "swsh1", "name": "Sword", "series": "SWSH", "total": 20, "releaseDate": "2020/02/07"}],
      "page": 1, "pageSize": 2, "count": 2, "totalCount": 3})");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.find(CS_RECORD_SET, "sv1")->core,
            R"({"name":"Scarlet","release_date":"2023-03-31","cards_count":30})");
  EXPECT_EQ(r.find(CS_RECORD_SET, "sv1")->parent, "pokemon");
  EXPECT_EQ(r.find(CS_RECORD_GAME, "pokemon")->core,
            R"({"name":"Pokemon","cards_count":null,"sets_count":3,"last_updated":null})");
  ASSERT_EQ(r.jobs.size(), 2U);
  EXPECT_EQ(r.jobs[1].type, "rest.cards");
  EXPECT_EQ(r.jobs[1].key, "swsh1");
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_EQ(r.requests[0].url, "http://sandbox/pokemontcg/v2/sets?page=2&pageSize=2");
  JobInput second = sets_;
  second.cursor = r.cursor.value_or("");
  const CallResult last = driver_.handle(second, r.requests[0], 200, R"({"data": [
      {"id": "base1", "name": "Base", "total": 102, "releaseDate": "1999/01/09"}],
      "page": 2, "pageSize": 2, "count": 1, "totalCount": 3})");
  EXPECT_TRUE(last.requests.empty());
  EXPECT_EQ(last.cursor, "{}");
}

TEST_F(PokemonTcg, MakesAVariantPerTcgplayerPrintingWithAMarketPrice) {
  ProviderDriver keyed(rest_descriptor(),
                       test::section(test::shipped_manifest("pokemontcg.json"),
                                     R"({"base_url": "http://sandbox/v2", "api_key": "k"})"));
  const auto start = keyed.start(cards_);
  EXPECT_EQ(start.requests.at(0).url, "http://sandbox/v2/cards?q=set.id%3Asv1&page=1&pageSize=250");
  EXPECT_EQ(start.requests[0].headers.back(),
            std::make_pair(std::string("X-Api-Key"), std::string("k")));
  const CallResult r = keyed.handle(cards_, start.requests[0], 200, R"({"data": [
      {"id": "sv1-1", "name": "Sprout", "number": "1", "rarity": "Common",
       "tcgplayer": {"updatedAt": "2024/12/28", "prices": {
         "normal": {"low": 0.1, "market": 0.145, "directLow": null},
         "reverseHolofoil": {"low": 1.0, "market": null}}}},
      {"id": "sv1-2", "name": "Bloom", "number": "2"},
      {"id": "sv1-TG01", "name": "Gallery", "number": "TG01", "rarity": "Rare",
       "tcgplayer": {"updatedAt": "2024/12/28", "prices": {"holofoil": {"market": 12.5}}}}],
      "page": 1, "pageSize": 250, "count": 3, "totalCount": 3})");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.find(CS_RECORD_CARD, "sv1-2")->core,
            R"({"name":"Bloom","game":"Pokemon","number":"2","rarity":null,"tcgplayer_id":null})");
  EXPECT_EQ(r.find(CS_RECORD_CARD, "sv1-2")->parent, "sv1");
  ASSERT_EQ(r.of_kind(CS_RECORD_VARIANT).size(), 2U);
  const auto* normal = r.find(CS_RECORD_VARIANT, "sv1-1/normal");
  ASSERT_NE(normal, nullptr);
  EXPECT_EQ(normal->parent, "sv1-1");
  EXPECT_EQ(normal->core,
            R"({"condition":"Near Mint","printing":"normal","language":"English",)"
            R"("price_cents":15,"currency":"USD","last_updated":1735344000,"sku":null})");
  EXPECT_NE(r.find(CS_RECORD_VARIANT, "sv1-TG01/holofoil"), nullptr);
  EXPECT_TRUE(r.requests.empty());
  EXPECT_EQ(r.cursor, "{}");
}

TEST_F(PokemonTcg, ReadsItsErrorsShape) {
  const auto start = driver_.start(cards_);
  const CallResult denied = driver_.handle(cards_, start.requests.at(0), 403,
                                           R"({"error": {"message": "Forbidden.", "code": 403}})");
  EXPECT_EQ(denied.status, CS_FATAL);
  EXPECT_THAT(denied.error, HasSubstr("Forbidden."));
  EXPECT_THAT(denied.error, HasSubstr("api_key"));
  EXPECT_EQ(driver_.handle(cards_, start.requests[0], 429, R"({"error": {"code": 429}})").status,
            CS_RETRY);
}

class YgoProDeck : public ::testing::Test {
 protected:
  ProviderDriver driver_{rest_descriptor(),
                         test::section(test::shipped_manifest("ygoprodeck.json"),
                                       R"({"base_url": "http://sandbox/ygo", "page_size": 2})")};
  const JobInput sets_{1, "rest.sets", "all", "", "", "rid", 1};
  const JobInput cards_{2,  "rest.cards", "YAB", R"({"set_name":"Duelist Pack: Blue & Red"})",
                        "", "rid",        1};
};

TEST_F(YgoProDeck, ReadsTheBareSetListAndPacesAtTenASecond) {
  const auto start = driver_.start(sets_);
  EXPECT_EQ(start.rate_per_minute, 600);
  EXPECT_EQ(start.requests.at(0).url, "http://sandbox/ygo/cardsets.php");
  const CallResult r = driver_.handle(sets_, start.requests[0], 200, R"([
      {"set_name": "Alpha", "set_code": "YAA", "num_of_cards": 27, "tcg_date": "2002-10-30"},
      {"set_name": "Duelist Pack: Blue & Red", "set_code": "YAB", "num_of_cards": 26}])");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.find(CS_RECORD_SET, "YAA")->core,
            R"({"name":"Alpha","release_date":"2002-10-30","cards_count":27})");
  EXPECT_EQ(r.find(CS_RECORD_SET, "YAB")->core,
            R"({"name":"Duelist Pack: Blue & Red","release_date":null,"cards_count":26})");
  EXPECT_EQ(r.find(CS_RECORD_GAME, "yugioh")->core,
            R"({"name":"YuGiOh","cards_count":null,"sets_count":2,"last_updated":null})");
  ASSERT_EQ(r.jobs.size(), 2U);
  EXPECT_EQ(r.jobs[1].key, "YAB");
  EXPECT_EQ(r.jobs[1].payload, R"({"set_name":"Duelist Pack: Blue & Red"})");
  EXPECT_TRUE(r.requests.empty());
}

TEST_F(YgoProDeck, MakesAVariantPerPrintingAndFollowsTheNextOffset) {
  const auto start = driver_.start(cards_);
  EXPECT_EQ(start.requests.at(0).url,
            "http://sandbox/ygo/cardinfo.php?cardset=Duelist%20Pack%3A%20Blue%20%26%20Red&num=2&"
            "offset=0");
  // A short page: one row of two asked, so the next offset is 1.
  const CallResult r = driver_.handle(cards_, start.requests[0], 200, R"({"data": [
      {"id": 57148772, "name": "Blue Dragon",
       "card_sets": [{"set_name": "x", "set_code": "YAB-EN001", "set_rarity": "Ultra Rare", "set_price": "18.00"},
                     {"set_name": "x", "set_code": "YAB-EN001", "set_rarity": "Secret Rare", "set_price": "40.00"}],
       "card_prices": [{"cardmarket_price": "1.00", "tcgplayer_price": "12.345"}]},
      {"id": 1, "name": "Unpriced",
       "card_sets": [{"set_code": "YAB-EN002", "set_rarity": "Common"}],
       "card_prices": [{"tcgplayer_price": "0.00"}]}],
      "meta": {"current_rows": 1, "next_page_offset": 1, "rows_remaining": 5}})");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.find(CS_RECORD_CARD, "57148772")->parent, "YAB");
  EXPECT_NE(r.find(CS_RECORD_VARIANT, "57148772/YAB-EN001/Ultra Rare"), nullptr);
  const auto* secret = r.find(CS_RECORD_VARIANT, "57148772/YAB-EN001/Secret Rare");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->core,
            R"({"condition":"Near Mint","printing":"Secret Rare","language":"English",)"
            R"("price_cents":1235,"currency":"USD","last_updated":null,"sku":null})");
  EXPECT_THAT(r.find(CS_RECORD_VARIANT, "1/YAB-EN002/Common")->core,
              HasSubstr(R"("price_cents":null)"));
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_THAT(r.requests[0].url, HasSubstr("&num=2&offset=1"));

  JobInput last = cards_;
  last.cursor = r.cursor.value_or("");
  const CallResult end = driver_.handle(
      last, r.requests[0], 200,
      R"({"data": [{"id": 2, "name": "Last"}], "meta": {"current_rows": 1, "rows_remaining": 0}})");
  EXPECT_TRUE(end.requests.empty());
  EXPECT_EQ(end.cursor, "{}");
}

TEST_F(YgoProDeck, ASetWithoutCardsIsAnEmptyListingNotAFailure) {
  const auto start = driver_.start(cards_);
  const CallResult r =
      driver_.handle(cards_, start.requests.at(0), 400,
                     R"({"error": "No card matching your query was found in the database."})");
  EXPECT_EQ(r.status, CS_OK) << r.error;
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(
      driver_.handle(cards_, start.requests[0], 400, R"({"error": "Unknown parameter"})").status,
      CS_PERMANENT);
}

class Scryfall : public ::testing::Test {
 protected:
  ProviderDriver driver_{rest_descriptor(),
                         test::section(test::shipped_manifest("scryfall.json"),
                                       R"({"base_url": "http://sandbox/scryfall"})")};
  const std::string id_ = "0a1b2c3d-1111-4222-8333-444455556666";
};

TEST_F(Scryfall, PricesEachFinishInUsdThenEurAndNamesItsLanguage) {
  const JobInput cards{1, "rest.cards", "neo", "", "", "rid", 1};
  const auto start = driver_.start(cards);
  EXPECT_EQ(start.requests.at(0).url,
            "http://sandbox/scryfall/cards/search?q=e%3Aneo&unique=prints&order=set&"
            "include_extras=true&include_variations=true");
  const CallResult r = driver_.handle(cards, start.requests[0], 200, R"({"object": "list",
      "has_more": false, "data": [{"id": "c1", "name": "Kami", "set": "neo",
      "collector_number": "7", "rarity": "rare", "lang": "ja", "tcgplayer_id": 5012,
      "finishes": ["nonfoil", "foil", "etched"],
      "prices": {"usd": "0.145", "usd_foil": null, "eur_foil": "2.50", "eur": "1.00"}}]})");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.find(CS_RECORD_CARD, "c1")->core,
            R"({"name":"Kami","game":"Magic: The Gathering","number":"7","rarity":"rare",)"
            R"("tcgplayer_id":"5012"})");
  EXPECT_EQ(r.find(CS_RECORD_VARIANT, "c1/nonfoil")->core,
            R"({"condition":"Near Mint","printing":"Normal","language":"Japanese",)"
            R"("price_cents":15,"currency":"USD","last_updated":null,"sku":null})");
  EXPECT_THAT(
      r.find(CS_RECORD_VARIANT, "c1/foil")->core,
      HasSubstr(R"("printing":"Foil","language":"Japanese","price_cents":250,"currency":"EUR")"));
  EXPECT_THAT(r.find(CS_RECORD_VARIANT, "c1/etched")->core,
              HasSubstr(R"("price_cents":null,"currency":"USD")"));
}

TEST_F(Scryfall, LooksUpACardByItsIdAndRemembersANotFound) {
  EXPECT_EQ(driver_.normalise_key("card", " 0A1B2C3D-1111-4222-8333-444455556666 "),
            std::make_pair(CS_OK, id_));
  EXPECT_THAT(driver_.normalise_key("card", "neo-7").second, HasSubstr("is a UUID"));
  const JobInput lookup{2, "rest.card", id_, "", "", "rid", 1};
  const auto start = driver_.start(lookup);
  EXPECT_EQ(start.requests.at(0).url, "http://sandbox/scryfall/cards/" + id_);
  const CallResult found = driver_.handle(
      lookup, start.requests[0], 200,
      R"({"object": "card", "id": ")" + id_ +
          R"(", "name": "Kami", "set": "neo", "collector_number": "7", "finishes": ["foil"]})");
  EXPECT_EQ(found.cursor, "found");
  EXPECT_NE(found.find(CS_RECORD_VARIANT, id_ + "/foil"), nullptr);
  EXPECT_EQ(driver_.handle(lookup, start.requests[0], 404, R"({"object": "error"})").cursor,
            "not_found");
  const cs_instance_description d = driver_.description();
  ASSERT_EQ(d.lookup_count, 1U);
  EXPECT_STREQ(d.lookups[0].child_field, "variants");
  EXPECT_EQ(d.lookups[0].ttl_seconds, 86400);
}

}  // namespace
}  // namespace cardsync::rest
