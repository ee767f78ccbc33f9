// The emulated Pokémon TCG API: the shapes a client sees, page-number paging (the last page
// short, an empty page past the end, pageSize capped at 250), the key and the anonymous
// limits, the shared fault flags in the API's error shape, and a walk of the whole API that
// rebuilds the truth exactly, before and after a mutation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "sandbox/fnv1a.hpp"
#include "sandbox/truth.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace http = boost::beast::http;

constexpr const char* kPtcgKey = "ptcg_sandbox";

class PokemonTcgApiTest : public SandboxTest {
 protected:
  static SandboxOptions ptcg_options() {
    SandboxOptions o = small_options();
    o.pokemontcg.shape = {3, 12};
    return o;
  }
  HttpResult ptcg(const std::string& path, bool with_key = true) {
    HeaderList headers;
    if (with_key) headers.emplace_back("X-Api-Key", kPtcgKey);
    return client_->get("/pokemontcg/v2" + path, headers);
  }
  rapidjson::Document ptcg_json(const std::string& path) {
    HttpResult r = ptcg(path);
    EXPECT_TRUE(r.complete) << path << ": " << r.error;
    EXPECT_EQ(r.status, 200U) << path << ": " << r.body;
    return parse_json(r.body);
  }
  static void expect_error(const HttpResult& r, unsigned status) {
    EXPECT_EQ(r.status, status) << r.body;
    auto doc = parse_json(r.body);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << r.body;
    EXPECT_TRUE(doc["error"]["message"].IsString());
    EXPECT_EQ(doc["error"]["code"].GetUint(), status);
  }
};

TEST_F(PokemonTcgApiTest, SetsCarryUpstreamsFieldsWithSlashDates) {
  start(ptcg_options());
  auto doc = ptcg_json("/sets");
  EXPECT_EQ(doc["page"].GetUint(), 1U);
  EXPECT_EQ(doc["pageSize"].GetUint(), 250U);
  EXPECT_EQ(doc["count"].GetUint(), 3U);
  EXPECT_EQ(doc["totalCount"].GetUint(), 3U);
  const auto& first = doc["data"][0];
  EXPECT_STREQ(first["id"].GetString(), "sv1");
  EXPECT_STREQ(first["series"].GetString(), "Scarlet & Violet");
  EXPECT_EQ(first["total"].GetUint(), 12U);
  EXPECT_LT(first["printedTotal"].GetUint(), 12U) << "gallery cards are not in printedTotal";
  EXPECT_THAT(first["releaseDate"].GetString(), MatchesRegex("20[0-9][0-9]/[01][0-9]/[0-3][0-9]"));
  EXPECT_THAT(first["updatedAt"].GetString(),
              MatchesRegex("20[0-9][0-9]/[01][0-9]/[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"));
  EXPECT_TRUE(first["images"]["symbol"].IsString());
  EXPECT_TRUE(first.HasMember("ptcgoCode"));
  EXPECT_FALSE(doc["data"][1].HasMember("ptcgoCode")) << "the second set has none";

  auto one = ptcg_json("/sets/swsh1");
  EXPECT_STREQ(one["data"]["id"].GetString(), "swsh1");
  expect_error(ptcg("/sets/nope"), 404);
  auto trimmed = ptcg_json("/sets?select=id,name");
  EXPECT_EQ(trimmed["data"][0].MemberCount(), 2U);
}

TEST_F(PokemonTcgApiTest, CardsEmbedTheirSetAndLeaveOutWhatTheyLack) {
  start(ptcg_options());
  auto doc = ptcg_json("/cards?q=set.id:sv1");
  ASSERT_EQ(doc["data"].Size(), 12U);
  std::set<std::string> numbers;
  bool no_tcgplayer = false, no_rarity = false, null_market = false, no_cardmarket = false;
  for (const auto& card : doc["data"].GetArray()) {
    const std::string id = card["id"].GetString();
    EXPECT_EQ(id, std::string("sv1-") + card["number"].GetString());
    EXPECT_STREQ(card["set"]["id"].GetString(), "sv1");
    EXPECT_TRUE(card["set"]["releaseDate"].IsString()) << "the whole set is embedded";
    EXPECT_TRUE(card["subtypes"].IsArray());
    numbers.insert(card["number"].GetString());
    no_rarity |= !card.HasMember("rarity");
    no_cardmarket |= !card.HasMember("cardmarket");
    if (!card.HasMember("tcgplayer")) {
      no_tcgplayer = true;
      continue;
    }
    const auto& tcg = card["tcgplayer"];
    EXPECT_THAT(tcg["updatedAt"].GetString(), MatchesRegex("20[0-9][0-9]/[01][0-9]/[0-3][0-9]"));
    for (const auto& printing : tcg["prices"].GetObject()) {
      const auto& p = printing.value;
      EXPECT_TRUE(p["market"].IsNumber() || p["market"].IsNull());
      EXPECT_TRUE(p["directLow"].IsNumber() || p["directLow"].IsNull());
      null_market |= p["market"].IsNull() && p["low"].IsNumber();
    }
  }
  EXPECT_TRUE(numbers.count("TG01") == 1) << "gallery numbers";
  EXPECT_TRUE(no_tcgplayer && no_rarity && null_market && no_cardmarket);

  auto one = ptcg_json("/cards/sv1-TG01");
  EXPECT_STREQ(one["data"]["number"].GetString(), "TG01");
  expect_error(ptcg("/cards/sv1-99"), 404);
  auto by_id = ptcg_json("/cards?q=id:%22sv1-3%22");
  EXPECT_EQ(by_id["totalCount"].GetUint(), 1U);
}

TEST_F(PokemonTcgApiTest, PagesEndShortThenEmptyAndPageSizeIsCapped) {
  start(ptcg_options());
  auto first = ptcg_json("/cards?q=set.id:swsh1&page=1&pageSize=5");
  EXPECT_EQ(first["count"].GetUint(), 5U);
  EXPECT_EQ(first["totalCount"].GetUint(), 12U);
  auto last = ptcg_json("/cards?q=set.id:swsh1&page=3&pageSize=5");
  EXPECT_EQ(last["count"].GetUint(), 2U);
  EXPECT_EQ(last["data"].Size(), 2U);
  EXPECT_EQ(last["page"].GetUint(), 3U);
  auto past = ptcg_json("/cards?q=set.id:swsh1&page=4&pageSize=5");
  EXPECT_EQ(past["count"].GetUint(), 0U);
  EXPECT_EQ(past["data"].Size(), 0U);
  EXPECT_EQ(past["totalCount"].GetUint(), 12U);
  auto huge = ptcg_json("/cards?q=set.id:swsh1&page=18446744073709551615&pageSize=250");
  EXPECT_EQ(huge["count"].GetUint(), 0U);
  auto capped = ptcg_json("/cards?pageSize=1000");
  EXPECT_EQ(capped["pageSize"].GetUint(), 250U);
  EXPECT_EQ(capped["count"].GetUint(), 36U);
  auto unknown_set = ptcg_json("/cards?q=set.id:zz9");
  EXPECT_EQ(unknown_set["totalCount"].GetUint(), 0U);
  for (const char* bad : {"/cards?page=0", "/cards?pageSize=x", "/cards?q=name:char*",
                          "/cards?q=set.id:sv1%20supertype:Trainer", "/sets?q=name:x"}) {
    expect_error(ptcg(bad), 400);
  }
}

TEST_F(PokemonTcgApiTest, AWrongKeyIs403AndNoKeyMeetsTheAnonymousLimits) {
  ManualClock clock(false, Clock::WallTime{std::chrono::hours(24 * 20000 + 12)});
  SandboxOptions o = ptcg_options();
  o.pokemontcg.anonymous_per_minute = 2;
  o.pokemontcg.anonymous_per_day = 3;
  o.pokemontcg.keyed_per_day = 4;
  start(o, clock);
  auto wrong = client_->get("/pokemontcg/v2/sets", {{"X-Api-Key", "stolen"}});
  expect_error(wrong, 403);

  EXPECT_EQ(ptcg("/sets", false).status, 200U);
  EXPECT_EQ(ptcg("/sets", false).status, 200U);
  auto minute = ptcg("/sets", false);
  expect_error(minute, 429);
  EXPECT_EQ(minute.header("Retry-After"), "60");
  clock.advance(std::chrono::seconds(60));
  EXPECT_EQ(ptcg("/sets", false).status, 200U);
  clock.advance(std::chrono::seconds(60));
  auto day = ptcg("/sets", false);
  expect_error(day, 429);
  EXPECT_EQ(day.header("Retry-After"), std::to_string(12 * 3600 - 120));
  // The key has its own, larger quota.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ptcg("/sets").status, 200U);
  expect_error(ptcg("/sets"), 429);
  clock.advance(std::chrono::hours(12));
  EXPECT_EQ(ptcg("/sets", false).status, 200U);
  EXPECT_EQ(ptcg("/sets").status, 200U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kRateLimited), 3U);
}

TEST_F(PokemonTcgApiTest, InjectedFaultsSpeakTheApisErrorShape) {
  ManualClock clock;
  SandboxOptions o = ptcg_options();
  o.faults.throttle_rate = 1.0;
  o.faults.retry_after = std::chrono::seconds(9);
  start(o, clock);
  auto throttled = ptcg("/cards?q=set.id:sv1");
  expect_error(throttled, 429);
  EXPECT_EQ(throttled.header("Retry-After"), "9");

  control(http::verb::post, "/_sandbox/faults?throttle_rate=0&fail_rate=1");
  std::set<unsigned> statuses;
  for (int i = 0; i < 20; ++i) {
    auto r = ptcg("/sets");
    expect_error(r, r.status);
    statuses.insert(r.status);
  }
  EXPECT_EQ(statuses, (std::set<unsigned>{500, 503}));

  control(http::verb::post, "/_sandbox/faults?fail_rate=0&truncate_rate=1");
  auto cut = ptcg("/cards");
  EXPECT_EQ(cut.status, 200U);
  EXPECT_FALSE(cut.complete);

  control(http::verb::post, "/_sandbox/faults?truncate_rate=0&hang_rate=1");
  client_->set_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(ptcg("/sets").complete);
  client_->set_timeout(std::chrono::seconds(10));

  control(http::verb::post, "/_sandbox/faults?hang_rate=0");
  control(http::verb::post, "/_sandbox/outage?duration=30");
  expect_error(ptcg("/sets"), 503);
  clock.advance(std::chrono::seconds(31));
  EXPECT_EQ(ptcg("/sets").status, 200U);

  const auto& stats = sandbox_->stats();
  EXPECT_EQ(stats.count("GET /pokemontcg/v2/cards", "429"), 1U);
  EXPECT_EQ(stats.count("GET /pokemontcg/v2/sets", "hang"), 1U);
  EXPECT_EQ(stats.counter(StatCounter::kTruncated), 1U);
  EXPECT_EQ(stats.counter(StatCounter::kOutage), 1U);
  // Unknown paths under the mount speak the API's shape and count for it.
  expect_error(ptcg("/pokedex"), 404);
  EXPECT_EQ(stats.api_total("pokemontcg"), 26U);
  auto json = control(http::verb::get, "/_sandbox/stats");
  EXPECT_EQ(json["apis"]["pokemontcg"]["total"].GetUint64(), 26U);
  EXPECT_EQ(json["apis"]["pokemontcg"]["statuses"]["404"].GetUint64(), 1U);
}

// What a correct sync stores, built from the API alone: every set, every card, one variant
// per printing with a market price.
struct PokemonWalk {
  std::map<std::string, std::string> sets;   // id -> release date, ISO
  std::map<std::string, std::string> cards;  // id -> set id
  std::map<std::string, std::uint64_t> variants;
  int requests = 0;
  std::uint64_t checksum() const {
    std::uint64_t sum = 0;
    for (const auto& [key, fp] : variants) sum += fp;
    return sum;
  }
};

template <class Fetch>
PokemonWalk walk_pokemon(Fetch&& fetch, unsigned page_size) {
  PokemonWalk walk;
  // Pages until page * pageSize covers totalCount: a repeated item makes `count` no guide.
  auto pages = [&](const std::string& target, auto&& each) {
    for (unsigned page = 1;; ++page) {
      auto doc =
          fetch(target + "page=" + std::to_string(page) + "&pageSize=" + std::to_string(page_size));
      ++walk.requests;
      for (const auto& item : doc["data"].GetArray()) each(item);
      if (std::uint64_t{page} * doc["pageSize"].GetUint() >= doc["totalCount"].GetUint64()) break;
    }
  };
  pages("/sets?", [&](const rapidjson::Value& s) {
    std::string date = s["releaseDate"].GetString();
    for (char& c : date) c = c == '/' ? '-' : c;
    walk.sets[s["id"].GetString()] = date;
  });
  for (const auto& [set, date] : walk.sets) {
    pages("/cards?q=set.id:" + set + "&", [&](const rapidjson::Value& card) {
      const std::string id = card["id"].GetString();
      walk.cards[id] = card["set"]["id"].GetString();
      if (!card.HasMember("tcgplayer")) return;
      for (const auto& printing : card["tcgplayer"]["prices"].GetObject()) {
        const auto& market = printing.value["market"];
        if (!market.IsNumber()) continue;
        const std::string name = printing.name.GetString();
        const auto cents = std::llround(market.GetDouble() * 100.0);
        std::string key = id;
        key += "/";
        key += name;
        std::string line = key;
        line += "|";
        line += id;
        line += "|";
        line += name;
        line += "|";
        line += std::to_string(cents);
        line += "|USD";
        walk.variants[key] = fnv1a64(line);
      }
    });
  }
  return walk;
}

TEST_F(PokemonTcgApiTest, PagingThroughEverythingRebuildsTheTruth) {
  SandboxOptions o = ptcg_options();
  o.faults.repeat_rate = 0.4;
  start(o);
  auto fetch = [this](const std::string& path) { return ptcg_json(path); };
  for (int round = 0; round < 2; ++round) {
    auto truth = control(http::verb::get, "/_sandbox/truth/pokemontcg?items=1");
    PokemonWalk walk = walk_pokemon(fetch, 5);
    EXPECT_EQ(walk.sets.size(), truth["sets"].GetUint64());
    EXPECT_EQ(walk.cards.size(), truth["cards"].GetUint64());
    EXPECT_EQ(walk.variants.size(), truth["variants"].GetUint64());
    EXPECT_EQ(checksum_hex(walk.checksum()), truth["checksum"].GetString());
    EXPECT_GT(truth["cards_without_tcgplayer"].GetUint64(), 0U);
    EXPECT_GT(truth["printings_without_market"].GetUint64(), 0U);
    const auto& items = truth["items"];
    ASSERT_EQ(items["sets"].Size(), walk.sets.size());
    for (const auto& s : items["sets"].GetArray()) {
      EXPECT_EQ(walk.sets[s["key"].GetString()], s["release_date"].GetString());
    }
    ASSERT_EQ(items["cards"].Size(), walk.cards.size());
    for (const auto& c : items["cards"].GetArray()) {
      EXPECT_EQ(walk.cards[c["key"].GetString()], c["set"].GetString());
    }
    ASSERT_EQ(items["variants"].Size(), walk.variants.size());
    for (const auto& v : items["variants"].GetArray()) {
      EXPECT_EQ(walk.variants.count(v["key"].GetString()), 1U) << v["key"].GetString();
      EXPECT_STREQ(v["currency"].GetString(), "USD");
    }
    // A mutation moves some market prices; the walk follows.
    auto m = control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
    EXPECT_GT(m["apis"]["pokemontcg"].GetUint64(), 0U);
  }
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kRepeat), 0U);
}

TEST_F(PokemonTcgApiTest, StartupMutationMatchesARuntimeOne) {
  SandboxOptions o = ptcg_options();
  o.mutate = 0.3;
  start(o);
  auto at_start = control(http::verb::get, "/_sandbox/truth/pokemontcg");
  sandbox_.reset();
  start(ptcg_options());
  auto clean = control(http::verb::get, "/_sandbox/truth/pokemontcg");
  EXPECT_STRNE(clean["checksum"].GetString(), at_start["checksum"].GetString());
  control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
  EXPECT_STREQ(control(http::verb::get, "/_sandbox/truth/pokemontcg")["checksum"].GetString(),
               at_start["checksum"].GetString());
}

TEST(PokemonTcgFlags, ShapeTheCatalogAndTheLimits) {
  const char* argv[] = {"cardsync-sandbox",
                        "--pokemontcg-sets",
                        "7",
                        "--pokemontcg-cards-per-set",
                        "9",
                        "--pokemontcg-api-key",
                        "k",
                        "--pokemontcg-anonymous-per-minute",
                        "0",
                        "--pokemontcg-anonymous-per-day",
                        "5",
                        "--pokemontcg-keyed-per-day",
                        "6"};
  const auto o = parse_sandbox_command_line(13, argv).options.pokemontcg;
  EXPECT_EQ(o.shape.sets, 7U);
  EXPECT_EQ(o.shape.cards_per_set, 9U);
  EXPECT_EQ(o.api_key, "k");
  EXPECT_EQ(o.anonymous_per_minute, 0U);
  EXPECT_EQ(o.anonymous_per_day, 5U);
  EXPECT_EQ(o.keyed_per_day, 6U);
  const char* defaults[] = {"cardsync-sandbox"};
  const auto d = parse_sandbox_command_line(1, defaults).options.pokemontcg;
  EXPECT_EQ(d.anonymous_per_minute, 30U);
  EXPECT_EQ(d.anonymous_per_day, 1000U);
  EXPECT_EQ(d.keyed_per_day, 20000U);
  const char* bad[] = {"cardsync-sandbox", "--pokemontcg-sets", "0"};
  EXPECT_THROW(parse_sandbox_command_line(3, bad), SandboxUsageError);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
