// ScryfallProvider driven through its C descriptor, as the host drives it, with recorded
// Scryfall answers (fixtures/): requests and their headers, paging by next_page with
// checkpoints and resume, the mapping to records, quarantine, and error classification.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "conformance/provider_driver.hpp"
#include "scryfall_provider.hpp"
#include "support/recorded_response.hpp"

namespace cardsync::scryfall {
namespace {

using conformance::CallResult;
using conformance::JobInput;
using conformance::ProviderDriver;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string fixture(const std::string& name) {
  return test::read_fixture(CARDSYNC_SCRYFALL_FIXTURES, name);
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

class ScryfallProviderTest : public ::testing::Test {
 protected:
  explicit ScryfallProviderTest(const std::string& config = "{}")
      : driver_(sdk::descriptor<ScryfallProvider>(), config) {}
  ProviderDriver driver_;
  const JobInput sets_job_{1, "scryfall.sets", "all", "{}", "", "rid", 1};
  const JobInput cards_job_{2, "scryfall.cards", "neo", "", "", "rid", 1};

  CallResult first_page() {
    auto start = driver_.start(cards_job_);
    EXPECT_EQ(start.requests.size(), 1U);
    return driver_.handle(cards_job_, start.requests.at(0), 200, fixture("cards_page1.json"));
  }
};

TEST_F(ScryfallProviderTest, PlansOneSetsListingAndPassesASetSelectionDown) {
  auto all = driver_.plan("");
  ASSERT_EQ(all.status, CS_OK) << all.error;
  ASSERT_EQ(all.jobs.size(), 1U);
  EXPECT_EQ(all.jobs[0].type, "scryfall.sets");
  EXPECT_EQ(all.jobs[0].key, "all");
  EXPECT_EQ(all.jobs[0].payload, "{}");

  auto some = driver_.plan(R"({"sets":["neo","mkm"]})");
  ASSERT_EQ(some.jobs.size(), 1U);
  EXPECT_EQ(some.jobs[0].payload, R"({"sets":["neo","mkm"]})");
  EXPECT_EQ(driver_.plan("[1,2]").status, CS_PERMANENT);
}

TEST_F(ScryfallProviderTest, EveryRequestIsAPacedGetWithAcceptAndADescriptiveUserAgent) {
  auto r = driver_.start(sets_job_);
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_EQ(r.requests[0].method, "GET");
  EXPECT_EQ(r.requests[0].url, "https://api.scryfall.com/sets");
  EXPECT_THAT(r.requests[0].headers,
              UnorderedElementsAre(Pair("Accept", "application/json"),
                                   Pair("User-Agent", HasSubstr("cardsync-scryfall/"))));
  // Scryfall reports no limits; the provider states its 10 a second for the host's pacer.
  EXPECT_EQ(r.rate_per_minute, 600);
  EXPECT_EQ(r.remaining_today, -1);

  auto cards = driver_.start(cards_job_);
  ASSERT_EQ(cards.requests.size(), 1U);
  EXPECT_EQ(cards.requests[0].url,
            "https://api.scryfall.com/cards/search?q=e%3Aneo&unique=prints&order=set"
            "&include_extras=true&include_variations=true");
  EXPECT_EQ(cards.rate_per_minute, 600);
}

TEST_F(ScryfallProviderTest, SetsBecomeSetRecordsOfTheMagicGameAndOneCardsJobEach) {
  auto start = driver_.start(sets_job_);
  auto r = driver_.handle(sets_job_, start.requests.at(0), 200, fixture("sets.json"));
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.of_kind(CS_RECORD_GAME).size(), 1U);
  const auto* game = r.find(CS_RECORD_GAME, "magic");
  ASSERT_NE(game, nullptr);
  EXPECT_EQ(game->core, R"({"name":"Magic: The Gathering","cards_count":null,"sets_count":3,)"
                        R"("last_updated":null})");

  const auto* neo = r.find(CS_RECORD_SET, "neo");
  ASSERT_NE(neo, nullptr);
  EXPECT_EQ(neo->parent, "magic");
  EXPECT_EQ(neo->core,
            R"({"name":"Kamigawa: Neon Dynasty","release_date":"2022-02-18","cards_count":512})");
  EXPECT_THAT(neo->raw, HasSubstr(R"("icon_svg_uri":"https://svgs.scryfall.io/sets/neo.svg)"));
  EXPECT_EQ(r.find(CS_RECORD_SET, "pmei")->core,
            R"({"name":"Magazine Inserts","release_date":null,"cards_count":0})");

  // The set with a malformed code is quarantined, not synced.
  ASSERT_EQ(r.rejects.size(), 1U);
  EXPECT_THAT(r.rejects[0].reason, HasSubstr("pattern"));
  EXPECT_EQ(r.rejects[0].path, "/code");
  EXPECT_THAT(r.rejects[0].raw, HasSubstr("BAD CODE"));
  ASSERT_EQ(r.jobs.size(), 2U);
  EXPECT_EQ(r.jobs[0].type, "scryfall.cards");
  EXPECT_EQ(r.jobs[0].key, "neo");
  EXPECT_EQ(r.jobs[1].key, "pmei");
  EXPECT_TRUE(r.requests.empty());
  EXPECT_EQ(r.cursor, "{}");
}

TEST_F(ScryfallProviderTest, ASetSelectionInThePayloadLimitsTheCardsJobs) {
  JobInput job = sets_job_;
  job.payload = R"({"sets":["pmei"]})";
  auto start = driver_.start(job);
  auto r = driver_.handle(job, start.requests.at(0), 200, fixture("sets.json"));
  ASSERT_EQ(r.jobs.size(), 1U);
  EXPECT_EQ(r.jobs[0].key, "pmei");
  EXPECT_EQ(r.of_kind(CS_RECORD_SET).size(), 2U);  // every set is still recorded
}

TEST_F(ScryfallProviderTest, APageFollowsNextPageAndCheckpointsItRelativeToTheBase) {
  auto r = first_page();
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.requests.size(), 1U);
  const std::string next =
      "https://api.scryfall.com/cards/search?format=json&include_extras=true"
      "&include_multilingual=false&include_variations=true&order=set&page=2&q=e%3Aneo"
      "&unique=prints";
  EXPECT_EQ(r.requests[0].url, next);
  EXPECT_EQ(r.requests[0].headers.size(), 2U);
  EXPECT_EQ(r.cursor, R"({"next_page":")" + next.substr(24) + R"("})");

  // The last page: no request, the finished cursor.
  auto last = driver_.handle(cards_job_, r.requests[0], 200, fixture("cards_page2.json"));
  ASSERT_EQ(last.status, CS_OK) << last.error;
  EXPECT_TRUE(last.requests.empty());
  EXPECT_EQ(last.cursor, "{}");
}

TEST_F(ScryfallProviderTest, AResumedJobStartsAtItsCheckpointedPage) {
  auto page = first_page();
  JobInput resumed = cards_job_;
  resumed.cursor = *page.cursor;
  auto r = driver_.start(resumed);
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_EQ(r.requests[0].url, page.requests[0].url);

  // An unreadable cursor costs a restart of the set, never the job.
  resumed.cursor = "not json";
  auto over = driver_.start(resumed);
  ASSERT_EQ(over.status, CS_OK);
  EXPECT_THAT(over.requests.at(0).url, HasSubstr("q=e%3Aneo"));
  EXPECT_THAT(over.requests.at(0).url, Not(HasSubstr("page=2")));
}

TEST_F(ScryfallProviderTest, CardsBecomeCardsAndEachFinishOneVariant) {
  auto r = first_page();
  const auto* emperor = r.find(CS_RECORD_CARD, "0a1b2c3d-1111-4222-8333-444455556666");
  ASSERT_NE(emperor, nullptr);
  EXPECT_EQ(emperor->parent, "neo");
  EXPECT_EQ(emperor->core,
            R"({"name":"The Wandering Emperor","game":"Magic: The Gathering","number":"42",)"
            R"("rarity":"mythic","tcgplayer_id":"262875"})");
  EXPECT_THAT(emperor->raw, HasSubstr(R"("multiverse_ids":[548286])"));

  auto variant = [&](const std::string& key) {
    const auto* v = r.find(CS_RECORD_VARIANT, key);
    return v == nullptr ? std::string("<none>") : v->parent + " " + v->core;
  };
  const std::string emperor_id = "0a1b2c3d-1111-4222-8333-444455556666";
  EXPECT_EQ(variant(emperor_id + "/nonfoil"),
            emperor_id + R"( {"condition":"Near Mint","printing":"Normal","language":"English",)"
                         R"("price_cents":2499,"currency":"USD","last_updated":null,"sku":null})");
  EXPECT_THAT(variant(emperor_id + "/foil"), HasSubstr(R"("printing":"Foil")"));
  EXPECT_THAT(variant(emperor_id + "/foil"), HasSubstr(R"("price_cents":3150,"currency":"USD")"));

  // No USD price: EUR; no price at all: null (never 0), in the first currency; rounding of
  // a third decimal half away from zero; the language by name; the collector number as sent.
  const std::string kanji = "0a1b2c3d-2222-4222-8333-444455556666";
  EXPECT_THAT(variant(kanji + "/nonfoil"), HasSubstr(R"("price_cents":310,"currency":"EUR")"));
  EXPECT_THAT(variant(kanji + "/foil"), HasSubstr(R"("price_cents":null,"currency":"USD")"));
  EXPECT_THAT(variant(kanji + "/etched"), HasSubstr(R"("printing":"Etched")"));
  EXPECT_THAT(variant(kanji + "/etched"), HasSubstr(R"("price_cents":1235,"currency":"USD")"));
  EXPECT_THAT(variant(kanji + "/etched"), HasSubstr(R"("language":"Japanese")"));
  EXPECT_THAT(r.find(CS_RECORD_CARD, kanji)->core,
              HasSubstr(R"("number":"430★","rarity":"rare","tcgplayer_id":null)"));
  const auto* raw = r.find(CS_RECORD_VARIANT, kanji + "/etched");
  auto doc = json(raw->raw);
  EXPECT_STREQ(doc["finish"].GetString(), "etched");
  EXPECT_STREQ(doc["prices"]["usd_etched"].GetString(), "12.345");

  EXPECT_EQ(r.of_kind(CS_RECORD_CARD).size(), 2U);
  EXPECT_EQ(r.of_kind(CS_RECORD_VARIANT).size(), 5U);
}

TEST_F(ScryfallProviderTest, AnInvalidCardIsQuarantinedWholeAndItsPageKept) {
  auto r = first_page();
  ASSERT_EQ(r.rejects.size(), 1U);
  EXPECT_THAT(r.rejects[0].reason, HasSubstr("required"));
  EXPECT_EQ(r.rejects[0].path, "/name");
  EXPECT_STREQ(json(r.rejects[0].raw)["id"].GetString(), "0a1b2c3d-3333-4222-8333-444455556666");
  EXPECT_EQ(r.find(CS_RECORD_CARD, "0a1b2c3d-3333-4222-8333-444455556666"), nullptr);
  EXPECT_EQ(r.find(CS_RECORD_VARIANT, "0a1b2c3d-3333-4222-8333-444455556666/nonfoil"), nullptr);

  // A price that is a number, not a string, breaks the card's schema.
  auto last = driver_.handle(cards_job_, r.requests[0], 200, fixture("cards_page2.json"));
  ASSERT_EQ(last.rejects.size(), 1U);
  EXPECT_THAT(last.rejects[0].reason, HasSubstr("type"));
  EXPECT_EQ(last.rejects[0].path, "/prices/usd");
  ASSERT_EQ(last.of_kind(CS_RECORD_VARIANT).size(), 1U);
  EXPECT_THAT(last.of_kind(CS_RECORD_VARIANT)[0].core, HasSubstr(R"("price_cents":null)"));
}

TEST_F(ScryfallProviderTest, ASearchThatMatchesNothingIsASetWithoutPrintings) {
  auto start = driver_.start(cards_job_);
  auto r = driver_.handle(cards_job_, start.requests.at(0), 404, fixture("error_404.json"));
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.requests.empty());
  EXPECT_EQ(r.cursor, "{}");
  // Elsewhere a 404 is a broken job.
  auto sets = driver_.handle(sets_job_, driver_.start(sets_job_).requests.at(0), 404,
                             fixture("error_404.json"));
  EXPECT_EQ(sets.status, CS_PERMANENT);
}

TEST_F(ScryfallProviderTest, ErrorsAreClassifiedFromTheStatusAndTheErrorObject) {
  const auto request = driver_.start(sets_job_).requests.at(0);
  auto status_of = [&](int status, const std::string& body) {
    auto r = driver_.handle(sets_job_, request, status, body);
    EXPECT_TRUE(r.records.empty()) << status;
    EXPECT_TRUE(r.requests.empty()) << status;
    return std::make_pair(r.status, r.error);
  };
  auto throttled = status_of(429, fixture("error_429.json"));
  EXPECT_EQ(throttled.first, CS_RETRY);
  EXPECT_THAT(throttled.second, HasSubstr("HTTP 429 rate_limited: You are sending requests"));
  EXPECT_EQ(status_of(503, "<html>busy</html>").first, CS_RETRY);
  EXPECT_EQ(status_of(500, R"({"object":"error","code":"internal","status":500})").first, CS_RETRY);
  EXPECT_EQ(status_of(400, fixture("error_400.json")).first, CS_PERMANENT);
  EXPECT_EQ(status_of(501, "").first, CS_PERMANENT);
  auto blocked = status_of(403, R"({"object":"error","code":"forbidden","status":403})");
  EXPECT_EQ(blocked.first, CS_FATAL);
  EXPECT_THAT(blocked.second, HasSubstr("user_agent"));
  // An error object inside a 200 is judged by its own status.
  EXPECT_EQ(status_of(200, fixture("error_429.json")).first, CS_RETRY);
  // A body cut short is transient.
  const std::string sets = fixture("sets.json");
  auto cut = status_of(200, sets.substr(0, sets.size() / 2));
  EXPECT_EQ(cut.first, CS_RETRY);
  EXPECT_THAT(cut.second, HasSubstr("truncated or malformed"));
  EXPECT_EQ(status_of(200, R"({"object":"list"})").first, CS_RETRY);
}

TEST_F(ScryfallProviderTest, MoreResultsWithoutANextPageIsRetriedNotEndless) {
  const auto request = driver_.start(cards_job_).requests.at(0);
  auto r =
      driver_.handle(cards_job_, request, 200, R"({"object":"list","has_more":true,"data":[]})");
  EXPECT_EQ(r.status, CS_RETRY);
}

class ScryfallOnASandbox : public ScryfallProviderTest {
 protected:
  ScryfallOnASandbox()
      : ScryfallProviderTest(
            R"({"base_url":"http://127.0.0.1:8080/scryfall/","currencies":["eur"],)"
            R"j("requests_per_second":2.5,"user_agent":"shop-sync/2 (ops@example.com)"})j") {}
};

TEST_F(ScryfallOnASandbox, ANextPageOffTheBaseUrlIsNeverFollowed) {
  const auto request = driver_.start(cards_job_).requests.at(0);
  EXPECT_EQ(request.url.rfind("http://127.0.0.1:8080/scryfall/cards/search?", 0), 0U);
  auto r = driver_.handle(cards_job_, request, 200, fixture("cards_page1.json"));
  EXPECT_EQ(r.status, CS_PERMANENT);
  EXPECT_THAT(r.error, HasSubstr("not under providers.scryfall.base_url"));
  EXPECT_TRUE(r.requests.empty());
}

TEST_F(ScryfallOnASandbox, ConfigSetsPacingUserAgentAndCurrencyPreference) {
  auto start = driver_.start(cards_job_);
  EXPECT_EQ(start.rate_per_minute, 150);
  EXPECT_THAT(start.requests.at(0).headers,
              Contains(Pair("User-Agent", "shop-sync/2 (ops@example.com)")));
  std::string page = fixture("cards_page2.json");
  auto r = driver_.handle(cards_job_, start.requests.at(0), 200, page);
  // EUR only: the foil of Jukai Naturalist has no EUR price, so it is unpriced in EUR.
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_THAT(r.find(CS_RECORD_VARIANT, "0a1b2c3d-5555-4222-8333-444455556666/foil")->core,
              HasSubstr(R"("price_cents":null,"currency":"EUR")"));
}

TEST(ScryfallDescriptor, DeclaresItsJobTypesServiceAndSchemas) {
  const cs_plugin_descriptor* d = sdk::descriptor<ScryfallProvider>();
  EXPECT_STREQ(d->name, "scryfall");
  const auto* v = static_cast<const cs_provider_vtable*>(d->vtable);
  EXPECT_STREQ(v->service, "scryfall");
  std::vector<std::string> types;
  for (const char* const* t = v->job_types; *t != nullptr; ++t) types.emplace_back(*t);
  EXPECT_THAT(types, ElementsAre("scryfall.sets", "scryfall.cards", "scryfall.card"));
  auto items = json(v->item_schemas);
  EXPECT_TRUE(items["set"].IsObject());
  EXPECT_TRUE(items["card"].IsObject());
  EXPECT_FALSE(json(d->config_schema)["additionalProperties"].GetBool());
}

}  // namespace
}  // namespace cardsync::scryfall
