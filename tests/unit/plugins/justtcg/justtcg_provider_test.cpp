// JustTcgProvider driven with recorded JustTCG responses: planning, requests, pagination,
// incremental cursors, batch refresh, and every shape quirk of docs/upstream-apis.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "justtcg_provider.hpp"
#include "justtcg_test_inputs.hpp"
#include "support/recording_emitter.hpp"

namespace cardsync::justtcg {
namespace {

using cardsync::test::RateLimit;
using cardsync::test::RecordingEmitter;
using test::fixture;
using test::header;
using test::job;
using test::response;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kKey = "tcg_secret_key_0123456789";
constexpr const char* kBase = "https://api.justtcg.com/v1";

JustTcgProvider make_provider(const std::string& extra = "") {
  std::string json = std::string(R"({"api_key":")") + kKey + "\"" + extra + "}";
  rapidjson::Document d;
  d.Parse(json.c_str());
  return JustTcgProvider(d);
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

sdk::Request get(const std::string& path_and_query) {
  sdk::Request r;
  r.url = std::string(kBase) + path_and_query;
  return r;
}

// ---- descriptor and plan ------------------------------------------------------------------

TEST(JustTcgDescriptor, DeclaresServiceJobTypesAndSchemas) {
  const cs_plugin_descriptor* d = sdk::descriptor<JustTcgProvider>();
  EXPECT_STREQ(d->name, "justtcg");
  EXPECT_EQ(d->kind, static_cast<uint32_t>(CS_KIND_PROVIDER));
  const auto* v = static_cast<const cs_provider_vtable*>(d->vtable);
  EXPECT_STREQ(v->service, "justtcg");
  std::vector<std::string> types;
  for (const char* const* t = v->job_types; *t != nullptr; ++t) types.emplace_back(*t);
  EXPECT_THAT(types, ElementsAre("justtcg.games", "justtcg.sets", "justtcg.cards",
                                 "justtcg.refresh", "justtcg.card"));

  auto config = parse(d->config_schema);
  ASSERT_TRUE(config.IsObject());
  EXPECT_TRUE(config["additionalProperties"].IsFalse());
  for (const auto& p : config["properties"].GetObject()) {
    EXPECT_TRUE(p.value.HasMember("description")) << p.name.GetString();
  }
  EXPECT_STREQ(config["properties"]["plan"]["default"].GetString(), "free");
  EXPECT_STREQ(config["properties"]["mode"]["default"].GetString(), "incremental");
  EXPECT_STREQ(config["properties"]["base_url"]["default"].GetString(), kBase);

  auto items = parse(v->item_schemas);
  for (const char* kind : {"game", "set", "card", "variant"}) {
    ASSERT_TRUE(items.HasMember(kind)) << kind;
    EXPECT_TRUE(items[kind]["properties"].HasMember("id")) << kind;
  }
}

TEST(JustTcgPlan, EmptySpecEnqueuesTheGamesJob) {
  auto p = make_provider();
  RecordingEmitter out;
  p.plan("", out.emitter());
  ASSERT_EQ(out.emitted().jobs.size(), 1U);
  EXPECT_EQ(out.emitted().jobs[0].type, "justtcg.games");
  EXPECT_EQ(out.emitted().jobs[0].key, "all");
  EXPECT_EQ(out.emitted().jobs[0].payload, "{}");
}

TEST(JustTcgPlan, SpecOverridesTravelInThePayload) {
  auto p = make_provider();
  RecordingEmitter out;
  p.plan(R"({"mode":"full","games":["pokemon","yugioh"]})", out.emitter());
  ASSERT_EQ(out.emitted().jobs.size(), 1U);
  EXPECT_EQ(out.emitted().jobs[0].payload, R"({"mode":"full","games":["pokemon","yugioh"]})");
}

TEST(JustTcgPlan, RefreshSpecIsSplitIntoBatchesOfThePlanMaximum) {
  auto p = make_provider();  // free: 20 per batch
  std::string spec = R"({"refresh":[)";
  for (int i = 0; i < 45; ++i) spec += (i ? ",\"card-" : "\"card-") + std::to_string(i) + "\"";
  spec += "]}";
  RecordingEmitter out;
  p.plan(spec, out.emitter());
  const auto& jobs = out.emitted().jobs;
  ASSERT_EQ(jobs.size(), 3U);
  std::vector<size_t> sizes;
  for (const auto& j : jobs) {
    EXPECT_EQ(j.type, "justtcg.refresh");
    EXPECT_THAT(j.key, StartsWith("refresh-"));
    sizes.push_back(parse(j.payload)["lookups"].Size());
  }
  EXPECT_THAT(sizes, ElementsAre(20U, 20U, 5U));
  EXPECT_THAT(jobs[0].payload, StartsWith(R"({"lookups":[{"cardId":"card-0"},)"));
  EXPECT_NE(jobs[0].key, jobs[1].key);

  RecordingEmitter again;  // the same batch plans to the same keys, so the queue deduplicates it
  p.plan(spec, again.emitter());
  EXPECT_EQ(again.emitted().jobs[0].key, jobs[0].key);
}

TEST(JustTcgPlan, MalformedSpecsArePermanent) {
  auto p = make_provider();
  RecordingEmitter out;
  EXPECT_THROW(p.plan("[1,2]", out.emitter()), sdk::Permanent);
  EXPECT_THROW(p.plan(R"({"mode":"sometimes"})", out.emitter()), sdk::Permanent);
  EXPECT_THROW(p.plan(R"({"refresh":[{"printing":"Foil"}]})", out.emitter()), sdk::Permanent);
  EXPECT_THROW(p.plan(R"({"refresh":[]})", out.emitter()), sdk::Permanent);
}

// ---- games --------------------------------------------------------------------------------

TEST(JustTcgGames, StartAsksForEveryGameWithTheKeyHeader) {
  auto p = make_provider();
  RecordingEmitter out;
  p.start(job("justtcg.games", "all"), out.emitter());
  ASSERT_EQ(out.emitted().requests.size(), 1U);
  const auto& r = out.emitted().requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, std::string(kBase) + "/games");
  EXPECT_EQ(header(r, "x-api-key"), kKey);
  EXPECT_EQ(header(r, "Accept"), "application/json");
}

TEST(JustTcgGames, GamesBecomeRecordsAndEachGetsASetsJob) {
  auto p = make_provider();
  RecordingEmitter out;
  const std::string body = fixture("games.json");
  p.handle(job("justtcg.games", "all", "{}"), get("/games"), response(200, body), out.emitter());
  const auto& c = out.emitted();

  auto games = c.of_kind(CS_RECORD_GAME);
  ASSERT_EQ(games.size(), 3U);
  EXPECT_EQ(games[0].key, "pokemon");
  EXPECT_EQ(games[0].parent, "");
  EXPECT_EQ(games[0].core,
            R"({"name":"Pokemon","cards_count":25000,"sets_count":160,"last_updated":1735689000})");
  // Counts and last_updated sent as strings; `count` standing in for cards_count.
  EXPECT_EQ(games[1].core, R"({"name":"Magic: The Gathering","cards_count":98000,"sets_count":820,)"
                           R"("last_updated":1712345678})");
  // last_updated null; an unknown field is accepted and kept in the raw item.
  EXPECT_EQ(games[2].core,
            R"({"name":"YuGiOh","cards_count":14000,"sets_count":500,"last_updated":null})");
  EXPECT_THAT(games[2].raw, HasSubstr(R"("brand_new_field": {"anything": [1, 2, 3]})"));
  // The raw item is the upstream text exactly as received.
  EXPECT_NE(body.find(games[0].raw), std::string::npos);
  EXPECT_THAT(games[0].raw, StartsWith("{\n      \"id\": \"pokemon\","));

  ASSERT_EQ(c.rejects.size(), 1U);
  EXPECT_EQ(c.rejects[0].path, "/id");
  EXPECT_EQ(c.rejects[0].reason, R"(required: missing required property "id")");
  EXPECT_THAT(c.rejects[0].raw, HasSubstr("Game Without Id"));

  ASSERT_EQ(c.jobs.size(), 3U);
  EXPECT_EQ(c.jobs[0].type, "justtcg.sets");
  EXPECT_EQ(c.jobs[0].key, "pokemon");
  EXPECT_EQ(c.jobs[1].key, "magic-the-gathering");
  EXPECT_EQ(c.jobs[2].key, "yugioh");
  EXPECT_EQ(c.jobs[0].payload, "{}");
  EXPECT_THAT(c.rate_limits, ElementsAre((RateLimit{10, 88})));
  EXPECT_TRUE(c.requests.empty());  // GET /games is one page: the job is done
}

TEST(JustTcgGames, ConfiguredGamesChooseTheSetsJobs) {
  auto p = make_provider(R"(,"games":["pokemon","digimon-card-game"])");
  RecordingEmitter out;
  p.handle(job("justtcg.games", "all"), get("/games"), response(200, fixture("games.json")),
           out.emitter());
  const auto& jobs = out.emitted().jobs;
  ASSERT_EQ(jobs.size(), 2U);
  EXPECT_EQ(jobs[0].key, "pokemon");
  // Not listed by GET /games, still enqueued: JustTCG's own 404 will say if it is wrong.
  EXPECT_EQ(jobs[1].key, "digimon-card-game");
  EXPECT_EQ(out.emitted().of_kind(CS_RECORD_GAME).size(), 3U);  // every game is still recorded
}

TEST(JustTcgGames, PayloadGamesAndModeOverrideTheConfig) {
  auto p = make_provider(R"(,"games":["pokemon"])");
  RecordingEmitter out;
  p.handle(job("justtcg.games", "all", R"({"mode":"full","games":["yugioh"]})"), get("/games"),
           response(200, fixture("games.json")), out.emitter());
  const auto& jobs = out.emitted().jobs;
  ASSERT_EQ(jobs.size(), 1U);
  EXPECT_EQ(jobs[0].key, "yugioh");
  EXPECT_EQ(jobs[0].payload, R"({"mode":"full"})");
}

// ---- sets ---------------------------------------------------------------------------------

TEST(JustTcgSets, StartPagesWithThePlanMaximum) {
  struct Case {
    std::string extra;
    std::string limit;
  };
  for (const auto& [extra, limit] :
       std::vector<Case>{{"", "20"},
                         {R"(,"plan":"starter")", "100"},
                         {R"(,"plan":"professional")", "100"},
                         {R"(,"plan":"enterprise")", "200"},
                         {R"(,"plan":"enterprise","page_size":50)", "50"}}) {
    auto p = make_provider(extra);
    RecordingEmitter out;
    p.start(job("justtcg.sets", "pokemon"), out.emitter());
    ASSERT_EQ(out.emitted().requests.size(), 1U);
    EXPECT_EQ(out.emitted().requests[0].url,
              std::string(kBase) + "/sets?game=pokemon&limit=" + limit + "&offset=0")
        << extra;
  }
}

TEST(JustTcgSets, StartResumesFromTheCheckpoint) {
  auto p = make_provider();
  RecordingEmitter out;
  p.start(job("justtcg.sets", "pokemon", "", R"({"offset":40})"), out.emitter());
  EXPECT_EQ(out.emitted().requests.at(0).url,
            std::string(kBase) + "/sets?game=pokemon&limit=20&offset=40");
}

TEST(JustTcgSets, PageAdvancesByItemsReceivedNotByMetaLimit) {
  auto p = make_provider();
  RecordingEmitter out;
  // Asked for 20; the answer holds 3 items, says limit 2 and hasMore.
  p.handle(job("justtcg.sets", "pokemon"), get("/sets?game=pokemon&limit=20&offset=0"),
           response(200, fixture("sets_page1.json")), out.emitter());
  const auto& c = out.emitted();

  auto sets = c.of_kind(CS_RECORD_SET);
  ASSERT_EQ(sets.size(), 2U);
  EXPECT_EQ(sets[0].key, "base-set-pokemon");
  EXPECT_EQ(sets[0].parent, "pokemon");
  EXPECT_EQ(sets[0].core,
            R"({"name":"Base Set","release_date":"1999-01-09T00:00:00.000Z","cards_count":102})");
  EXPECT_EQ(sets[1].core, R"({"name":"Promo Odds","release_date":null,"cards_count":17})");

  ASSERT_EQ(c.rejects.size(), 1U);
  EXPECT_EQ(c.rejects[0].path, "/name");
  EXPECT_EQ(c.rejects[0].reason, "type: expected string, found integer 42");

  ASSERT_EQ(c.jobs.size(), 2U);
  EXPECT_EQ(c.jobs[0].type, "justtcg.cards");
  EXPECT_EQ(c.jobs[0].key, "base-set-pokemon");
  EXPECT_EQ(c.jobs[0].payload, R"({"game":"pokemon"})");
  EXPECT_EQ(c.jobs[1].key, "promo-odds-pokemon");

  EXPECT_THAT(c.cursors, ElementsAre(R"({"offset":3})"));
  ASSERT_EQ(c.requests.size(), 1U);
  EXPECT_EQ(c.requests[0].url, std::string(kBase) + "/sets?game=pokemon&limit=20&offset=3");
  EXPECT_EQ(header(c.requests[0], "x-api-key"), kKey);
  // Numbers sent as strings in _metadata too.
  EXPECT_THAT(c.rate_limits, ElementsAre((RateLimit{10, 87})));
}

TEST(JustTcgSets, LastPageFinishesThePass) {
  auto p = make_provider();
  RecordingEmitter out;
  p.handle(job("justtcg.sets", "pokemon", R"({"mode":"full"})", R"({"offset":6})"),
           get("/sets?game=pokemon&limit=20&offset=6"), response(200, fixture("sets_last.json")),
           out.emitter());
  const auto& c = out.emitted();
  EXPECT_EQ(c.of_kind(CS_RECORD_SET).size(), 1U);
  EXPECT_EQ(c.jobs.at(0).payload, R"({"mode":"full","game":"pokemon"})");
  EXPECT_THAT(c.cursors, ElementsAre("{}"));
  EXPECT_TRUE(c.requests.empty());
}

TEST(JustTcgSets, MoreItemsPromisedAfterAnEmptyPageIsRetried) {
  auto p = make_provider();
  RecordingEmitter out;
  const std::string body =
      R"({"data":[],"meta":{"total":50,"limit":20,"offset":20,"hasMore":true}})";
  EXPECT_THROW(
      p.handle(job("justtcg.sets", "pokemon"), get("/sets?game=pokemon&limit=20&offset=20"),
               response(200, body), out.emitter()),
      sdk::Retry);
}

TEST(JustTcgSets, HasMoreFallsBackToTotal) {
  auto p = make_provider();
  RecordingEmitter out;
  const std::string body =
      R"({"data":[{"id":"a","name":"A"},{"id":"b","name":"B"}],"meta":{"total":"5"}})";
  p.handle(job("justtcg.sets", "pokemon"), get("/sets?game=pokemon&limit=20&offset=2"),
           response(200, body), out.emitter());
  EXPECT_THAT(out.emitted().cursors, ElementsAre(R"({"offset":4})"));
  EXPECT_TRUE(out.emitted().rate_limits.empty());  // no _metadata, nothing to report
}

// ---- cards --------------------------------------------------------------------------------

class JustTcgCardsPage : public ::testing::Test {
 protected:
  void SetUp() override {
    body_ = fixture("cards_page1.json");
    provider_.handle(job("justtcg.cards", "base-set-pokemon", R"({"game":"pokemon"})"),
                     get("/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=0"),
                     response(200, body_), out_.emitter());
  }
  const cardsync::test::Emitted& c() const { return out_.emitted(); }
  std::string core(cs_record_kind kind, const std::string& key) const {
    const auto* r = c().find(kind, key);
    return r == nullptr ? "<missing>" : r->core;
  }

  JustTcgProvider provider_ = make_provider();
  RecordingEmitter out_;
  std::string body_;
};

TEST_F(JustTcgCardsPage, CardsMapToCanonicalFields) {
  auto cards = c().of_kind(CS_RECORD_CARD);
  ASSERT_EQ(cards.size(), 3U);
  EXPECT_EQ(cards[0].key, "pokemon-base-set-charizard-holo-rare");
  EXPECT_EQ(cards[0].parent, "base-set-pokemon");
  EXPECT_EQ(cards[0].core, R"({"name":"Charizard","game":"Pokemon","number":"004/102",)"
                           R"("rarity":"Holo Rare","tcgplayer_id":"42382"})");
  // "N/A" number, null rarity and tcgplayerId, details null.
  EXPECT_EQ(cards[1].core, R"({"name":"Pikachu","game":"Pokemon","number":null,"rarity":null,)"
                           R"("tcgplayer_id":null})");
  // No variants key at all: the card is kept, with no variants.
  EXPECT_EQ(cards[2].key, "pokemon-base-set-energy");
  EXPECT_EQ(cards[2].core, R"({"name":"Fire Energy","game":"Pokemon","number":null,)"
                           R"("rarity":null,"tcgplayer_id":null})");
}

TEST_F(JustTcgCardsPage, VariantsMapWithStatisticsPresentNullOrAbsent) {
  const std::string charizard = "pokemon-base-set-charizard-holo-rare";
  EXPECT_EQ(core(CS_RECORD_VARIANT, charizard + "_near-mint_holofoil"),
            R"({"condition":"Near Mint","printing":"Holofoil","language":"English",)"
            R"("price_cents":42010,"currency":"USD","last_updated":1735689300,"sku":"1234567"})");
  // Price and lastUpdated as strings; 12.345 rounds half away from zero; language null.
  EXPECT_EQ(core(CS_RECORD_VARIANT, charizard + "_lightly-played_holofoil"),
            R"({"condition":"Lightly Played","printing":"Holofoil","language":null,)"
            R"("price_cents":1235,"currency":"USD","last_updated":1735689500,"sku":"1234568"})");
  // Price null is "no price", never 0; statistics absent.
  EXPECT_EQ(core(CS_RECORD_VARIANT, charizard + "_damaged"),
            R"({"condition":"Damaged","printing":null,"language":null,"price_cents":null,)"
            R"("currency":"USD","last_updated":1735689100,"sku":null})");
  const auto* v = c().find(CS_RECORD_VARIANT, charizard + "_near-mint_holofoil");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->parent, charizard);
  // The raw variant keeps the digits as sent ("420.10", not 420.1).
  EXPECT_THAT(v->raw, HasSubstr(R"("price": 420.10,)"));
  EXPECT_NE(body_.find(v->raw), std::string::npos);
  EXPECT_EQ(c().of_kind(CS_RECORD_VARIANT).size(), 4U);
}

TEST_F(JustTcgCardsPage, InvalidVariantsAreRejectedAloneWithPathAndReason) {
  const std::string pikachu = "pokemon-promo-odds-pikachu-promo";
  ASSERT_NE(c().find(CS_RECORD_CARD, pikachu), nullptr);
  EXPECT_NE(c().find(CS_RECORD_VARIANT, pikachu + "_near-mint"), nullptr);
  for (const char* bad : {"_lightly-played", "_moderately-played", "_heavily-played", "_damaged"}) {
    EXPECT_EQ(c().find(CS_RECORD_VARIANT, pikachu + bad), nullptr) << bad;
  }
  ASSERT_EQ(c().rejects.size(), 5U);
  // Paths point inside the card, whose exact text is the raw item.
  EXPECT_EQ(c().rejects[0].path, "/variants/1/price");
  EXPECT_EQ(c().rejects[0].reason, "minimum: expected a number >= 0, found number -1.25");
  EXPECT_EQ(c().rejects[1].path, "/variants/2/price");
  EXPECT_THAT(c().rejects[1].reason, StartsWith("pattern: expected a string matching"));
  EXPECT_THAT(c().rejects[1].reason, HasSubstr(R"(found string "abc")"));
  EXPECT_EQ(c().rejects[2].path, "/variants/3/condition");
  EXPECT_EQ(c().rejects[2].reason, R"(required: missing required property "condition")");
  EXPECT_EQ(c().rejects[3].path, "/variants/4/price");
  EXPECT_EQ(c().rejects[3].reason, "type: expected number, string or null, found boolean true");
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_THAT(c().rejects[i].raw, StartsWith("{\n      \"id\": \"" + pikachu + "\""));
    EXPECT_NE(body_.find(c().rejects[i].raw), std::string::npos);
  }
  // A card without a name is rejected whole, in document order after Pikachu's variants.
  EXPECT_EQ(c().rejects[4].path, "/name");
  EXPECT_EQ(c().rejects[4].reason, R"(required: missing required property "name")");
  EXPECT_THAT(c().rejects[4].raw, StartsWith("{\n      \"id\": \"pokemon-base-set-nameless\""));
  // The card whose name is missing takes its variant with it.
  EXPECT_EQ(c().find(CS_RECORD_VARIANT, "pokemon-base-set-nameless_near-mint"), nullptr);
}

TEST_F(JustTcgCardsPage, NextPageAndCheckpointCarryTheHighWaterMark) {
  // Meta says limit 4 after being asked for 20: the offset follows the 4 cards received.
  EXPECT_THAT(c().cursors, ElementsAre(R"({"offset":4,"high_water":1735689900})"));
  ASSERT_EQ(c().requests.size(), 1U);
  EXPECT_EQ(c().requests[0].url,
            std::string(kBase) + "/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=4");
  EXPECT_THAT(c().rate_limits, ElementsAre((RateLimit{10, 80})));
  EXPECT_TRUE(c().jobs.empty());
}

struct StartCase {
  std::string name;
  std::string config;
  std::string payload;
  std::string cursor;
  std::string query;
};

class JustTcgCardsStart : public ::testing::TestWithParam<StartCase> {};

TEST_P(JustTcgCardsStart, BuildsTheFirstRequestOfThePass) {
  const StartCase& t = GetParam();
  auto p = make_provider(t.config);
  RecordingEmitter out;
  p.start(job("justtcg.cards", "base-set-pokemon", t.payload, t.cursor), out.emitter());
  ASSERT_EQ(out.emitted().requests.size(), 1U);
  const auto& r = out.emitted().requests[0];
  EXPECT_EQ(r.url, std::string(kBase) + "/cards?" + t.query);
  EXPECT_EQ(header(r, "x-api-key"), kKey);
  EXPECT_EQ(header(r, "Accept"), "application/json");
}

INSTANTIATE_TEST_SUITE_P(
    Modes, JustTcgCardsStart,
    ::testing::Values(
        // Incremental without a stored sync point: the first pass fetches everything.
        StartCase{"FirstIncrementalPassIsWhole", "", R"({"game":"pokemon"})", "",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0"},
        // The previous pass's finished cursor supplies updated_after.
        StartCase{"IncrementalUsesTheStoredHighWater", "", R"({"game":"pokemon"})",
                  R"({"high_water":1735689900})",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0&updated_after=1735689900"},
        StartCase{"FullModeIgnoresTheHighWater", R"(,"mode":"full")", R"({"game":"pokemon"})",
                  R"({"high_water":1735689900})",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0"},
        StartCase{"PayloadModeOverridesConfig", "", R"({"game":"pokemon","mode":"full"})",
                  R"({"high_water":1735689900})",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0"},
        StartCase{"PayloadUpdatedAfterWins", "",
                  R"({"game":"pokemon","updated_after":"1700000000"})",
                  R"({"high_water":1735689900})",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0&updated_after=1700000000"},
        // Resuming a pass keeps that pass's filter, whatever the mode says now.
        StartCase{"ResumeKeepsThePassFilter", R"(,"mode":"full")", R"({"game":"pokemon"})",
                  R"({"offset":40,"updated_after":1735000000,"high_water":1735600000})",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=40&updated_after=1735000000"},
        StartCase{"UnreadableCursorStartsOver", "", R"({"game":"pokemon"})", "not json",
                  "game=pokemon&set=base-set-pokemon&limit=20&offset=0"},
        StartCase{"OpaqueIdsAreEncoded", R"(,"plan":"starter")", R"({"game":"one piece"})", "",
                  "game=one%20piece&set=base-set-pokemon&limit=100&offset=0"}),
    [](const auto& info) { return info.param.name; });

TEST(JustTcgCardsIncremental, APassEndsAtTheNewestLastUpdatedSeen) {
  auto p = make_provider();
  const std::string payload = R"({"game":"pokemon"})";
  // Page 1 of a pass that started from the sync point 1735600000.
  RecordingEmitter page1;
  p.handle(job("justtcg.cards", "base-set-pokemon", payload, R"({"high_water":1735600000})"),
           get("/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=0&"
               "updated_after=1735600000"),
           response(200, fixture("cards_page1.json")), page1.emitter());
  const std::string checkpoint = page1.emitted().cursors.at(0);
  EXPECT_EQ(checkpoint, R"({"offset":4,"updated_after":1735600000,"high_water":1735689900})");
  EXPECT_EQ(page1.emitted().requests.at(0).url,
            std::string(kBase) +
                "/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=4&"
                "updated_after=1735600000");

  // Last page: older variants only; the mark carried by the checkpoint survives.
  RecordingEmitter page2;
  p.handle(job("justtcg.cards", "base-set-pokemon", payload, checkpoint),
           page1.emitted().requests.at(0), response(200, fixture("cards_last.json")),
           page2.emitter());
  EXPECT_THAT(page2.emitted().cursors, ElementsAre(R"({"high_water":1735689900})"));
  EXPECT_TRUE(page2.emitted().requests.empty());

  // The next incremental pass of this set asks only for what changed since.
  RecordingEmitter next;
  p.start(job("justtcg.cards", "base-set-pokemon", payload, page2.emitted().cursors.at(0)),
          next.emitter());
  EXPECT_THAT(next.emitted().requests.at(0).url, HasSubstr("&updated_after=1735689900"));
}

TEST(JustTcgCardsIncremental, NothingChangedKeepsTheSyncPoint) {
  auto p = make_provider();
  RecordingEmitter out;
  p.handle(job("justtcg.cards", "s1", "{}", R"({"high_water":1735689900})"),
           get("/cards?set=s1&limit=20&offset=0&updated_after=1735689900"),
           response(200, R"({"data":[],"meta":{"total":0,"limit":20,"offset":0,"hasMore":false}})"),
           out.emitter());
  EXPECT_THAT(out.emitted().cursors, ElementsAre(R"({"high_water":1735689900})"));
}

TEST(JustTcgCardsIncremental, ACheckpointOfAnotherPageIsNotTrusted) {
  auto p = make_provider();
  RecordingEmitter out;
  // The cursor claims a mark far in the future but belongs to offset 0; this is offset 8.
  p.handle(job("justtcg.cards", "base-set-pokemon", "{}", R"({"high_water":9999999999})"),
           get("/cards?set=base-set-pokemon&limit=20&offset=8"),
           response(200, fixture("cards_last.json")), out.emitter());
  EXPECT_THAT(out.emitted().cursors, ElementsAre(R"({"high_water":1735680000})"));
}

TEST(JustTcgCardsIncremental, AFullPassWithoutVariantsLeavesAnEmptyCursor) {
  auto p = make_provider();
  RecordingEmitter out;
  p.handle(job("justtcg.cards", "s1"), get("/cards?set=s1&limit=20&offset=0"),
           response(200, R"({"data":[],"meta":{"total":0,"hasMore":false}})"), out.emitter());
  EXPECT_THAT(out.emitted().cursors, ElementsAre("{}"));
}

// ---- POST /cards batch refresh ------------------------------------------------------------

TEST(JustTcgRefresh, PostsABareArrayOfStringValuedLookups) {
  auto p = make_provider();
  RecordingEmitter out;
  p.start(job("justtcg.refresh", "r1",
              R"({"lookups":[{"cardId":"pokemon-base-set-charizard-holo-rare"},)"
              R"({"tcgplayerId":1234,"printing":"Foil","condition":["NM","LP"]},"plain-id"]})"),
          out.emitter());
  ASSERT_EQ(out.emitted().requests.size(), 1U);
  const auto& r = out.emitted().requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, std::string(kBase) + "/cards");
  EXPECT_EQ(r.body, R"([{"cardId":"pokemon-base-set-charizard-holo-rare"},)"
                    R"({"tcgplayerId":"1234","printing":"Foil","condition":"NM,LP"},)"
                    R"({"cardId":"plain-id"}])");
  EXPECT_EQ(header(r, "Content-Type"), "application/json");
  EXPECT_EQ(header(r, "x-api-key"), kKey);
  EXPECT_EQ(header(r, "Accept"), "application/json");
}

TEST(JustTcgRefresh, BatchAnswerBecomesCardsAndVariants) {
  auto p = make_provider();
  RecordingEmitter out;
  sdk::Request post;
  post.method = "POST";
  post.url = std::string(kBase) + "/cards";
  p.handle(job("justtcg.refresh", "r1", R"({"lookups":[{"cardId":"x"}]})"), post,
           response(200, fixture("cards_batch.json")), out.emitter());
  const auto& c = out.emitted();
  const auto* card = c.find(CS_RECORD_CARD, "magic-the-gathering-alpha-black-lotus");
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->parent, "alpha-magic-the-gathering");
  // tcgplayerId and tcgplayerSkuId sent as numbers: still opaque strings.
  EXPECT_EQ(card->core, R"({"name":"Black Lotus","game":"Magic: The Gathering","number":"232",)"
                        R"("rarity":"Rare","tcgplayer_id":"1234"})");
  const auto* v = c.find(CS_RECORD_VARIANT, "magic-the-gathering-alpha-black-lotus_near-mint");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->core, R"({"condition":"Near Mint","printing":"Normal","language":"English",)"
                     R"("price_cents":2500000,"currency":"USD","last_updated":1735681111,)"
                     R"("sku":"99887766"})");
  EXPECT_TRUE(c.rejects.empty());
  EXPECT_TRUE(c.jobs.empty());
  EXPECT_TRUE(c.requests.empty());
  EXPECT_THAT(c.rate_limits, ElementsAre((RateLimit{10, 70})));
}

TEST(JustTcgRefresh, OversizedJobsSendOneBatchAndSplitTheRest) {
  auto p = make_provider();  // free: 20 lookups per POST
  std::string payload = R"({"lookups":[)";
  for (int i = 0; i < 45; ++i) payload += (i ? ",\"c" : "\"c") + std::to_string(i) + "\"";
  payload += "]}";
  RecordingEmitter started;
  p.start(job("justtcg.refresh", "big", payload), started.emitter());
  EXPECT_EQ(parse(started.emitted().requests.at(0).body).Size(), 20U);

  RecordingEmitter out;
  p.handle(job("justtcg.refresh", "big", payload), started.emitted().requests.at(0),
           response(200, fixture("cards_batch.json")), out.emitter());
  const auto& jobs = out.emitted().jobs;
  ASSERT_EQ(jobs.size(), 2U);
  EXPECT_EQ(jobs[0].key, "big/1");
  EXPECT_EQ(jobs[1].key, "big/2");
  EXPECT_EQ(parse(jobs[0].payload)["lookups"].Size(), 20U);
  EXPECT_EQ(parse(jobs[1].payload)["lookups"].Size(), 5U);
  EXPECT_STREQ(parse(jobs[0].payload)["lookups"][0]["cardId"].GetString(), "c20");
}

TEST(JustTcgRefresh, AJobWithoutLookupsIsPermanent) {
  auto p = make_provider();
  RecordingEmitter out;
  EXPECT_THROW(p.start(job("justtcg.refresh", "r", "{}"), out.emitter()), sdk::Permanent);
  EXPECT_THROW(
      p.start(job("justtcg.refresh", "r", R"({"lookups":[{"condition":"NM"}]})"), out.emitter()),
      sdk::Permanent);
}

TEST(JustTcgJobs, UnknownJobTypeIsPermanent) {
  auto p = make_provider();
  RecordingEmitter out;
  EXPECT_THROW(p.start(job("justtcg.prices", "x"), out.emitter()), sdk::Permanent);
}

}  // namespace
}  // namespace cardsync::justtcg
