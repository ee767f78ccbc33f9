// The emulated JustTCG v1 API over real HTTP: shapes and quirks as upstream sends them,
// paging, plan limits, key errors, updated_after, batch lookups, and the honest cross-check
// that paging the whole API ends exactly at /_sandbox/truth.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "catalog_walk.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;
namespace http = boost::beast::http;

class JustTcgApiTest : public SandboxTest {
 protected:
  std::string first_set_id() {
    auto doc = api_json("/v1/sets?game=pokemon&limit=1");
    return doc["data"][0]["id"].GetString();
  }
  std::string card_target(const std::string& set, unsigned limit = 50) {
    return "/v1/cards?set=" + set + "&limit=" + std::to_string(limit);
  }
};

TEST_F(JustTcgApiTest, GamesHaveNoMetaAndCarryUsageMetadata) {
  start(small_options());
  auto doc = api_json("/v1/games");
  ASSERT_TRUE(doc["data"].IsArray());
  EXPECT_EQ(doc["data"].Size(), 2U);
  EXPECT_FALSE(doc.HasMember("meta"));
  const auto& md = doc["_metadata"];
  EXPECT_STREQ(md["apiPlan"].GetString(), "Enterprise");
  for (const char* key :
       {"apiRequestLimit", "apiRequestsUsed", "apiRequestsRemaining", "apiDailyLimit",
        "apiDailyRequestsUsed", "apiDailyRequestsRemaining", "apiRateLimit"}) {
    EXPECT_TRUE(md.HasMember(key) && md[key].IsUint64()) << key;
  }
  EXPECT_EQ(md["apiRequestsUsed"].GetUint64(), 1U);
  EXPECT_EQ(md["apiRequestsRemaining"].GetUint64(), 499999U);
  EXPECT_EQ(md["apiRateLimit"].GetUint(), 500U);
  const auto& pokemon = doc["data"][0];
  EXPECT_STREQ(pokemon["id"].GetString(), "pokemon");
  EXPECT_STREQ(pokemon["name"].GetString(), "Pokemon");
  EXPECT_EQ(pokemon["cards_count"].GetUint(), 21U);
  EXPECT_EQ(pokemon["sets_count"].GetUint(), 3U);
  // last_updated arrives as a number for some games and as a string for others.
  EXPECT_TRUE(doc["data"][0]["last_updated"].IsInt64());
  EXPECT_TRUE(doc["data"][1]["last_updated"].IsString());
}

TEST_F(JustTcgApiTest, SetsCarrySlugAndDisplayNameAndPage) {
  start(small_options());
  auto doc = api_json("/v1/sets?game=magic-the-gathering&limit=2");
  ASSERT_EQ(doc["data"].Size(), 2U);
  const auto& set = doc["data"][0];
  EXPECT_STREQ(set["game_id"].GetString(), "magic-the-gathering");
  EXPECT_STREQ(set["game"].GetString(), "Magic: The Gathering");
  EXPECT_EQ(set["cards_count"].GetUint(), 7U);
  EXPECT_EQ(set["count"].GetUint(), 7U);
  EXPECT_THAT(set["id"].GetString(), ::testing::EndsWith("-magic-the-gathering"));
  EXPECT_TRUE(set["release_date"].IsString() || set["release_date"].IsNull());
  const auto& meta = doc["meta"];
  EXPECT_EQ(meta["total"].GetUint(), 3U);
  EXPECT_EQ(meta["limit"].GetUint(), 2U);
  EXPECT_EQ(meta["offset"].GetUint(), 0U);
  EXPECT_TRUE(meta["hasMore"].GetBool());
  auto rest = api_json("/v1/sets?game=mtg&limit=2&offset=2");
  EXPECT_EQ(rest["data"].Size(), 1U);
  EXPECT_FALSE(rest["meta"]["hasMore"].GetBool());

  auto missing = api("/v1/sets");
  EXPECT_EQ(missing.status, 400U);
  EXPECT_THAT(missing.body, HasSubstr("\"code\":\"INVALID_REQUEST\""));
  auto unknown = api("/v1/sets?game=chess");
  EXPECT_EQ(unknown.status, 404U);
  EXPECT_THAT(unknown.body, HasSubstr("\"error\""));
}

TEST_F(JustTcgApiTest, CardsCarryUpstreamShapesAndQuirks) {
  SandboxOptions o = small_options();
  o.catalog.cards_per_set = 200;  // enough cards for every quirk to appear
  start(o);
  std::set<std::string> number_forms;
  std::map<std::string, std::set<std::string>> statistic_forms;
  int checked_cards = 0;
  for (const char* game : {"pokemon", "magic-the-gathering"}) {
    auto sets = api_json(std::string("/v1/sets?game=") + game);
    for (const auto& set : sets["data"].GetArray()) {
      auto doc = api_json(card_target(set["id"].GetString(), 200));
      for (const auto& card : doc["data"].GetArray()) {
        ++checked_cards;
        EXPECT_TRUE(card["id"].IsString());
        // `game` is the display name, `set` the set id.
        EXPECT_STREQ(card["game"].GetString(),
                     std::string(game) == "pokemon" ? "Pokemon" : "Magic: The Gathering");
        EXPECT_STREQ(card["set"].GetString(), set["id"].GetString());
        EXPECT_STREQ(card["set_name"].GetString(), set["name"].GetString());
        const auto& number = card["number"];
        number_forms.insert(number.IsNull()                            ? "null"
                            : std::string(number.GetString()) == "N/A" ? "N/A"
                                                                       : "digits");
        EXPECT_TRUE(card["tcgplayerId"].IsString() || card["tcgplayerId"].IsNull());
        EXPECT_EQ(card["scryfallId"].IsString(), std::string(game) != "pokemon");
        EXPECT_TRUE(!card.HasMember("details") || card["details"].IsNull());
        for (const auto& v : card["variants"].GetArray()) {
          EXPECT_THAT(v["id"].GetString(), ::testing::StartsWith(card["id"].GetString()));
          EXPECT_TRUE(v["tcgplayerSkuId"].IsString());
          EXPECT_TRUE(v["price"].IsNumber());
          EXPECT_TRUE(v["lastUpdated"].IsInt64());
          EXPECT_TRUE(v["language"].IsString() || v["language"].IsNull());
          for (const char* stat : {"priceChange24hr", "priceChange7d", "avgPrice", "minPrice7d"}) {
            statistic_forms[stat].insert(!v.HasMember(stat) ? "absent"
                                         : v[stat].IsNull() ? "null"
                                                            : "number");
            if (v.HasMember(stat) && !v[stat].IsNull()) {
              EXPECT_TRUE(v[stat].IsNumber());
            }
          }
          // Not asked for: the longer timeframes stay out.
          EXPECT_FALSE(v.HasMember("avgPrice90d"));
        }
      }
    }
  }
  EXPECT_EQ(checked_cards, 1200);
  EXPECT_EQ(number_forms, (std::set<std::string>{"N/A", "digits", "null"}));
  for (const auto& [stat, forms] : statistic_forms) {
    EXPECT_EQ(forms, (std::set<std::string>{"absent", "null", "number"})) << stat;
  }
}

TEST_F(JustTcgApiTest, StatisticsAndPriceHistoryOnRequest) {
  start(small_options());
  std::string set = first_set_id();
  auto doc = api_json(card_target(set, 7) +
                      "&include_statistics=90d,allTime&include_price_history=true"
                      "&priceHistoryDuration=30d");
  bool saw_90d = false;
  for (const auto& card : doc["data"].GetArray()) {
    for (const auto& v : card["variants"].GetArray()) {
      saw_90d = saw_90d || v.HasMember("avgPrice90d") || v.HasMember("priceChange90d");
      EXPECT_FALSE(v.HasMember("avgPrice")) << "7d figures were not asked for";
      ASSERT_TRUE(v["priceHistory"].IsArray());
      EXPECT_EQ(v["priceHistory"].Size(), 30U);
      EXPECT_TRUE(v["priceHistory"][0]["p"].IsNumber());
      EXPECT_TRUE(v["priceHistory"][0]["t"].IsInt64());
    }
  }
  EXPECT_TRUE(saw_90d);
}

TEST_F(JustTcgApiTest, PagesAreConsistentAndCoverTheSetOnce) {
  start(small_options());
  std::string set = first_set_id();
  std::vector<std::string> seen;
  std::uint64_t offset = 0;
  int pages = 0;
  while (true) {
    auto doc = api_json(card_target(set, 3) + "&offset=" + std::to_string(offset));
    const auto& meta = doc["meta"];
    EXPECT_EQ(meta["total"].GetUint(), 7U);
    EXPECT_EQ(meta["offset"].GetUint64(), offset);
    EXPECT_EQ(meta["limit"].GetUint(), 3U);
    for (const auto& card : doc["data"].GetArray()) seen.emplace_back(card["id"].GetString());
    ++pages;
    EXPECT_EQ(meta["hasMore"].GetBool(), offset + 3 < 7);
    if (!meta["hasMore"].GetBool()) break;
    offset += meta["limit"].GetUint64();
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7U);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 7U);
  // Past the end: empty, not an error.
  auto past = api_json(card_target(set, 3) + "&offset=50");
  EXPECT_EQ(past["data"].Size(), 0U);
  EXPECT_FALSE(past["meta"]["hasMore"].GetBool());
  // A whole game pages the same way.
  auto game = api_json("/v1/cards?game=pokemon&limit=100");
  EXPECT_EQ(game["meta"]["total"].GetUint(), 21U);
  EXPECT_EQ(game["data"].Size(), 21U);
}

TEST_F(JustTcgApiTest, LimitAbovePlanMaximumIs403) {
  SandboxOptions o = small_options();
  o.justtcg.plan = *find_justtcg_plan("free");
  start(o);
  std::string set = first_set_id();
  EXPECT_EQ(api(card_target(set, 20)).status, 200U);
  auto over = api(card_target(set, 21));
  EXPECT_EQ(over.status, 403U);
  auto body = parse_json(over.body);
  EXPECT_TRUE(body["error"].IsString());
  EXPECT_TRUE(body["code"].IsString());
  EXPECT_EQ(api("/v1/sets?game=pokemon&limit=21").status, 403U);
  // The default limit is 20, within every plan.
  auto dflt = api_json("/v1/cards?game=pokemon");
  EXPECT_EQ(dflt["meta"]["limit"].GetUint(), 20U);
  EXPECT_STREQ(dflt["_metadata"]["apiPlan"].GetString(), "Free");
  EXPECT_EQ(dflt["_metadata"]["apiRateLimit"].GetUint(), 10U);
  EXPECT_EQ(dflt["_metadata"]["apiDailyLimit"].GetUint(), 100U);
  // A batch larger than the plan allows is refused the same way.
  std::string batch = "[";
  for (int i = 0; i < 21; ++i) batch += std::string(i ? "," : "") + R"({"tcgplayerId":"100000"})";
  batch += "]";
  EXPECT_EQ(client_->post("/v1/cards", batch, {{"x-api-key", kKey}}).status, 403U);
  EXPECT_EQ(api(card_target(set, 0)).status, 400U);
  EXPECT_EQ(api("/v1/cards?limit=abc").status, 400U);
}

TEST_F(JustTcgApiTest, MissingAndWrongKeysAre401WithTheirCodes) {
  start(small_options());
  auto missing = client_->get("/v1/games");
  EXPECT_EQ(missing.status, 401U);
  auto m = parse_json(missing.body);
  EXPECT_STREQ(m["code"].GetString(), "MISSING_API_KEY");
  EXPECT_TRUE(m["error"].IsString());
  auto wrong = client_->get("/v1/cards?game=pokemon", {{"x-api-key", "tcg_wrong"}});
  EXPECT_EQ(wrong.status, 401U);
  EXPECT_STREQ(parse_json(wrong.body)["code"].GetString(), "INVALID_API_KEY");
  auto batch = client_->post("/v1/cards", R"([{"cardId":"x"}])", {{"x-api-key", "nope"}});
  EXPECT_EQ(batch.status, 401U);
  // A refused request is not billed.
  EXPECT_EQ(api_json("/v1/games")["_metadata"]["apiRequestsUsed"].GetUint(), 1U);
}

TEST_F(JustTcgApiTest, SomeBadParametersAre200WithAnError) {
  start(small_options());
  for (const char* target :
       {"/v1/cards?game=pokemon&orderBy=colour", "/v1/cards?game=pokemon&condition=Mint",
        "/v1/cards?game=pokemon&updated_after=yesterday", "/v1/sets?game=pokemon&orderBy=size"}) {
    auto r = api(target);
    EXPECT_EQ(r.status, 200U) << target;
    auto doc = parse_json(r.body);
    EXPECT_EQ(doc["data"].Size(), 0U) << target;
    EXPECT_TRUE(doc["error"].IsString()) << target;
    EXPECT_TRUE(doc["code"].IsString()) << target;
  }
}

TEST_F(JustTcgApiTest, FiltersNarrowCardsAndVariants) {
  start(small_options());
  std::string set = first_set_id();
  auto nm = api_json(card_target(set) + "&condition=NM,Damaged");
  EXPECT_EQ(nm["meta"]["total"].GetUint(), 7U);
  for (const auto& card : nm["data"].GetArray()) {
    ASSERT_EQ(card["variants"].Size(), 2U);
    EXPECT_STREQ(card["variants"][0]["condition"].GetString(), "Near Mint");
    EXPECT_STREQ(card["variants"][1]["condition"].GetString(), "Damaged");
  }
  EXPECT_EQ(api_json(card_target(set) + "&condition=Sealed")["meta"]["total"].GetUint(), 0U);
  auto all = api_json(card_target(set));
  std::string name = all["data"][2]["name"].GetString();
  auto by_name = api_json("/v1/cards?game=pokemon&q=" + name.substr(0, name.find(' ')));
  EXPECT_GE(by_name["meta"]["total"].GetUint(), 1U);
  for (const auto& card : by_name["data"].GetArray()) {
    EXPECT_THAT(card["name"].GetString(), HasSubstr(name.substr(0, name.find(' '))));
  }
  auto by_id = api_json(std::string("/v1/cards?cardId=") + all["data"][3]["id"].GetString());
  ASSERT_EQ(by_id["data"].Size(), 1U);
  EXPECT_STREQ(by_id["data"][0]["id"].GetString(), all["data"][3]["id"].GetString());
  auto by_variant = api_json(std::string("/v1/cards?variantId=") +
                             all["data"][3]["variants"][2]["id"].GetString());
  ASSERT_EQ(by_variant["data"].Size(), 1U);
  ASSERT_EQ(by_variant["data"][0]["variants"].Size(), 1U);
  EXPECT_STREQ(by_variant["data"][0]["variants"][0]["id"].GetString(),
               all["data"][3]["variants"][2]["id"].GetString());
  EXPECT_EQ(api_json("/v1/cards?cardId=pokemon-nope-1")["data"].Size(), 0U);

  auto by_price = api_json("/v1/cards?game=pokemon&orderBy=price&order=desc&limit=21");
  double previous = 1e12;
  for (const auto& card : by_price["data"].GetArray()) {
    double best = 0;
    for (const auto& v : card["variants"].GetArray()) best = std::max(best, v["price"].GetDouble());
    EXPECT_LE(best, previous);
    previous = best;
  }
}

TEST_F(JustTcgApiTest, BatchLookupTakesABareArrayAndAnswersWithoutMeta) {
  start(small_options());
  auto all = api_json("/v1/cards?game=magic-the-gathering&limit=3");
  const auto& a = all["data"][0];
  const auto& b = all["data"][1];
  const auto& c = all["data"][2];
  std::string body = std::string("[") + R"({"cardId":")" + a["id"].GetString() + R"("},)" +
                     R"({"variantId":")" + b["variants"][1]["id"].GetString() + R"("},)" +
                     R"({"scryfallId":")" + c["scryfallId"].GetString() +
                     R"(","condition":"LP"},)" + R"({"cardId":"magic-nothing-9"}])";
  auto r = client_->post("/v1/cards", body, {{"x-api-key", kKey}});
  ASSERT_EQ(r.status, 200U) << r.body;
  auto doc = parse_json(r.body);
  EXPECT_FALSE(doc.HasMember("meta"));
  EXPECT_TRUE(doc.HasMember("_metadata"));
  ASSERT_EQ(doc["data"].Size(), 3U);
  EXPECT_STREQ(doc["data"][0]["id"].GetString(), a["id"].GetString());
  EXPECT_EQ(doc["data"][0]["variants"].Size(), 5U);
  ASSERT_EQ(doc["data"][1]["variants"].Size(), 1U);
  EXPECT_STREQ(doc["data"][1]["variants"][0]["id"].GetString(), b["variants"][1]["id"].GetString());
  ASSERT_EQ(doc["data"][2]["variants"].Size(), 1U);
  EXPECT_STREQ(doc["data"][2]["variants"][0]["condition"].GetString(), "Lightly Played");

  for (const char* bad : {"", "{}", "[]", "[1]", R"([{"printing":"Foil"}])", "[{"}) {
    auto res = client_->post("/v1/cards", bad, {{"x-api-key", kKey}});
    EXPECT_EQ(res.status, 400U) << bad;
    EXPECT_THAT(res.body, HasSubstr("INVALID_REQUEST")) << bad;
  }
}

TEST_F(JustTcgApiTest, UpdatedAfterReturnsOnlyChangedVariants) {
  ManualClock clock;  // wall time in 2025-12, after every generated lastUpdated
  SandboxOptions o = small_options();
  start(o, clock);
  const std::string after_epoch = "&updated_after=" + std::to_string(Catalog::kEpoch);
  EXPECT_EQ(api_json("/v1/cards?game=pokemon" + after_epoch)["meta"]["total"].GetUint(), 0U);

  clock.advance(std::chrono::hours(1));
  auto mutated = control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
  const std::int64_t stamp = mutated["last_updated"].GetInt64();
  ASSERT_GT(mutated["mutated"].GetUint64(), 0U);

  std::uint64_t changed_variants = 0;
  std::uint64_t changed_cards = 0;
  for (const char* game : {"pokemon", "magic-the-gathering"}) {
    auto doc = api_json(std::string("/v1/cards?game=") + game + after_epoch + "&limit=100");
    EXPECT_EQ(doc["meta"]["total"].GetUint64(), doc["data"].Size());
    for (const auto& card : doc["data"].GetArray()) {
      ++changed_cards;
      ASSERT_GE(card["variants"].Size(), 1U);
      for (const auto& v : card["variants"].GetArray()) {
        EXPECT_EQ(v["lastUpdated"].GetInt64(), stamp);
        ++changed_variants;
      }
    }
  }
  EXPECT_EQ(changed_variants, mutated["mutated"].GetUint64());
  EXPECT_LT(changed_cards, 42U);
  // Strictly after: the mutation's own second is not "after" it.
  EXPECT_EQ(
      api_json("/v1/cards?game=pokemon&updated_after=" + std::to_string(stamp))["meta"]["total"]
          .GetUint(),
      0U);
  // Below the generated timestamps the filter scans: a window 10 days back finds generated
  // variants too, and every one it returns is inside the window.
  const std::int64_t window = Catalog::kEpoch - 10 * 86400;
  auto older = api_json("/v1/cards?game=pokemon&limit=100&updated_after=" + std::to_string(window));
  EXPECT_GT(older["meta"]["total"].GetUint(), 0U);
  bool saw_generated = false;
  for (const auto& card : older["data"].GetArray()) {
    for (const auto& v : card["variants"].GetArray()) {
      EXPECT_GT(v["lastUpdated"].GetInt64(), window);
      saw_generated = saw_generated || v["lastUpdated"].GetInt64() <= Catalog::kEpoch;
    }
  }
  EXPECT_TRUE(saw_generated);
  // The game's last_updated follows its newest variant.
  auto games = api_json("/v1/games");
  EXPECT_EQ(games["data"][0]["last_updated"].GetInt64(), stamp);
}

TEST_F(JustTcgApiTest, PagingEverythingEndsExactlyAtTheTruth) {
  SandboxOptions o = small_options();
  o.catalog.invalid_rate = 0.15;
  o.faults.short_page_rate = 0.3;
  o.faults.repeat_rate = 0.3;
  start(o);
  auto fetch = [&](const std::string& target) { return api_json(target); };
  for (int round = 0; round < 2; ++round) {
    CatalogWalk walk = walk_catalog(fetch, 2, 3);
    ASSERT_TRUE(walk.ok);
    auto truth = control(http::verb::get, "/_sandbox/truth?invalid=1");
    EXPECT_EQ(walk.games.size(), truth["games"].GetUint64());
    EXPECT_EQ(walk.sets.size(), truth["sets"].GetUint64());
    EXPECT_EQ(walk.valid_cards.size(), truth["cards"].GetUint64());
    EXPECT_EQ(walk.variants.size(), truth["variants"].GetUint64());
    EXPECT_EQ(checksum_hex(walk.checksum()), truth["checksum"].GetString());
    // Exactly the listed items were rejected: whole cards, and lone variants whose card and
    // sibling variants were kept.
    std::set<std::string> listed_cards;
    std::set<std::string> listed_variants;
    for (const auto& item : truth["invalid_items"].GetArray()) {
      std::string kind = item["kind"].GetString();
      (kind == "card" ? listed_cards : listed_variants).insert(item["id"].GetString());
      if (kind == "variant") {
        std::string card = item["card_id"].GetString();
        EXPECT_EQ(walk.valid_cards.count(card), 1U) << card;
        EXPECT_EQ(kept_variants_of(walk, card), o.catalog.variants_per_card - 1) << card;
      }
    }
    EXPECT_GT(walk.invalid_cards.size(), 0U);
    EXPECT_GT(walk.invalid_variants.size(), 0U);
    EXPECT_EQ(walk.invalid_cards, listed_cards);
    EXPECT_EQ(walk.invalid_variants, listed_variants);
    EXPECT_EQ(walk.invalid_cards.size(), truth["invalid"]["cards"].GetUint64());
    EXPECT_EQ(walk.invalid_variants.size(), truth["invalid"]["variant_items"].GetUint64());
    EXPECT_EQ(walk.variants.size() + walk.invalid_variants.size() +
                  walk.invalid_cards.size() * o.catalog.variants_per_card,
              truth["variants"].GetUint64() + truth["invalid"]["variants"].GetUint64());
    // The same walk again after prices moved reaches the new truth.
    control(http::verb::post, "/_sandbox/mutate?fraction=0.25");
  }
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kShortPage), 0U);
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kRepeat), 0U);
}

TEST_F(JustTcgApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  start(small_options());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(api("/v1/games").status, 200U);
  EXPECT_EQ(client_->connects(), 1);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kConnections), 1U);
}

TEST_F(JustTcgApiTest, ConcurrentClientsAndMutationsAreSafe) {
  SandboxOptions o = small_options();
  o.threads = 4;
  start(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      HttpTestClient client(port_);
      for (int i = 0; i < 25; ++i) {
        std::string target =
            (i % 3 == 0)   ? "/v1/games"
            : (i % 3 == 1) ? "/v1/cards?game=pokemon&limit=21"
                           : "/v1/cards?game=mtg&updated_after=" + std::to_string(Catalog::kEpoch);
        if (client.get(target, {{"x-api-key", kKey}}).status == 200) ++ok;
        if (t == 0 && i % 5 == 0) client.post("/_sandbox/mutate?fraction=0.1", "");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(sandbox_->stats().total(), 100U);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
