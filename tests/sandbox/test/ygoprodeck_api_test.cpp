// The emulated YGOPRODeck API: the bare set array, cardinfo.php paged by num and offset with
// meta's next_page (absent on the last page), the 400 for everything that matches nothing,
// the per-second limit and its block, the shared fault flags in the API's error shape, and a
// walk that follows next_page through short and repeated pages to exactly the truth, before
// and after a mutation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
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

constexpr const char* kBase = "/ygoprodeck/api/v7";

std::string encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[u >> 4U];
      out += kHex[u & 0xfU];
    }
  }
  return out;
}

// cents from "12.34"
std::int64_t cents(const rapidjson::Value& price) {
  const std::string s = price.GetString();
  const auto dot = s.find('.');
  return std::stoll(s.substr(0, dot)) * 100 + std::stoll(s.substr(dot + 1));
}

class YgoProDeckApiTest : public SandboxTest {
 protected:
  static SandboxOptions ygo_options() {
    SandboxOptions o = small_options();
    o.ygoprodeck.shape = {3, 12};
    return o;
  }
  HttpResult ygo(const std::string& path) { return client_->get(kBase + path); }
  rapidjson::Document ygo_json(const std::string& path) {
    HttpResult r = ygo(path);
    EXPECT_TRUE(r.complete) << path << ": " << r.error;
    EXPECT_EQ(r.status, 200U) << path << ": " << r.body;
    return parse_json(r.body);
  }
  static void expect_error(const HttpResult& r, unsigned status) {
    EXPECT_EQ(r.status, status) << r.body;
    auto doc = parse_json(r.body);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << r.body;
    EXPECT_TRUE(doc["error"].IsString());
  }
  std::string set_name(std::size_t i) { return sandbox_->ygoprodeck().catalog().sets()[i].name; }
};

TEST_F(YgoProDeckApiTest, CardsetsIsABareArray) {
  start(ygo_options());
  auto doc = ygo_json("/cardsets.php");
  ASSERT_TRUE(doc.IsArray());
  ASSERT_EQ(doc.Size(), 3U);
  EXPECT_EQ(doc[0]["num_of_cards"].GetUint(), 12U);
  EXPECT_GT(doc[1]["num_of_cards"].GetUint(), 12U) << "reprints of the previous set";
  EXPECT_THAT(doc[0]["tcg_date"].GetString(), MatchesRegex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]"));
  EXPECT_FALSE(doc[2].HasMember("tcg_date"));
  EXPECT_THAT(doc[1]["set_name"].GetString(), HasSubstr(" & "));
  EXPECT_STREQ(doc[0]["set_code"].GetString(), "YAA");
  EXPECT_TRUE(doc[0]["set_image"].IsString());
}

TEST_F(YgoProDeckApiTest, AnUnpagedSetListingHasNoMeta) {
  start(ygo_options());
  auto doc = ygo_json("/cardinfo.php?cardset=" + encode(set_name(1)));
  EXPECT_FALSE(doc.HasMember("meta"));
  ASSERT_GT(doc["data"].Size(), 12U);
  bool two_rarities = false, unknown_price = false;
  for (const auto& card : doc["data"].GetArray()) {
    EXPECT_TRUE(card["id"].IsUint());
    const auto& prices = card["card_prices"];
    ASSERT_EQ(prices.Size(), 1U);
    for (const auto& shop : prices[0].GetObject()) {
      EXPECT_THAT(shop.value.GetString(), MatchesRegex("[0-9]+\\.[0-9][0-9]"));
    }
    unknown_price |= std::string(prices[0]["tcgplayer_price"].GetString()) == "0.00";
    std::map<std::string, int> codes;
    for (const auto& p : card["card_sets"].GetArray()) {
      EXPECT_TRUE(p["set_price"].IsString());
      EXPECT_THAT(p["set_code"].GetString(), MatchesRegex("Y[A-Z][A-Z]-EN[0-9]+"));
      two_rarities |= ++codes[p["set_code"].GetString()] > 1;
    }
    if (std::string(card["frameType"].GetString()) == "spell") {
      EXPECT_FALSE(card.HasMember("atk"));
    }
  }
  EXPECT_TRUE(two_rarities && unknown_price);
  // The same set, named in another case.
  std::string shouting = set_name(1);
  for (char& c : shouting) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(ygo_json("/cardinfo.php?cardset=" + encode(shouting))["data"].Size(),
            doc["data"].Size());
}

TEST_F(YgoProDeckApiTest, PagedAnswersCarryMetaUntilTheLastPage) {
  start(ygo_options());
  const std::string set = encode(set_name(0));
  auto first = ygo_json("/cardinfo.php?cardset=" + set + "&num=5&offset=0");
  ASSERT_EQ(first["data"].Size(), 5U);
  const auto& meta = first["meta"];
  EXPECT_EQ(meta["current_rows"].GetUint(), 5U);
  EXPECT_EQ(meta["total_rows"].GetUint(), 12U);
  EXPECT_EQ(meta["rows_remaining"].GetUint(), 7U);
  EXPECT_EQ(meta["total_pages"].GetUint(), 3U);
  EXPECT_EQ(meta["pages_remaining"].GetUint(), 2U);
  EXPECT_EQ(meta["next_page_offset"].GetUint(), 5U);
  const std::string next = meta["next_page"].GetString();
  EXPECT_THAT(next, MatchesRegex("http://.*/ygoprodeck/api/v7/cardinfo\\.php\\?.*"));
  EXPECT_THAT(next, HasSubstr("cardset=" + set));
  EXPECT_THAT(next, HasSubstr("num=5&offset=5"));
  auto last = ygo_json("/cardinfo.php?cardset=" + set + "&num=5&offset=10");
  EXPECT_EQ(last["data"].Size(), 2U);
  EXPECT_EQ(last["meta"]["current_rows"].GetUint(), 2U);
  EXPECT_EQ(last["meta"]["rows_remaining"].GetUint(), 0U);
  EXPECT_EQ(last["meta"]["pages_remaining"].GetUint(), 0U);
  EXPECT_FALSE(last["meta"].HasMember("next_page"));
  EXPECT_FALSE(last["meta"].HasMember("next_page_offset"));
  auto whole = ygo_json("/cardinfo.php?cardset=" + set + "&num=18446744073709551615&offset=0");
  EXPECT_EQ(whole["data"].Size(), 12U);
  EXPECT_EQ(whole["meta"]["total_pages"].GetUint(), 1U);
  EXPECT_FALSE(whole["meta"].HasMember("next_page"));
}

TEST_F(YgoProDeckApiTest, EverythingThatMatchesNothingIsA400) {
  start(ygo_options());
  const std::string set = "/cardinfo.php?cardset=" + encode(set_name(0));
  for (const std::string& bad :
       {set + "&num=5", set + "&offset=0", set + "&num=0&offset=0", set + "&num=5&offset=12",
        set + "&num=x&offset=0", std::string("/cardinfo.php?cardset=Nope"), set + "&sort=atk",
        set + "&id=1", std::string("/cardinfo.php?name=Nobody")}) {
    auto r = ygo(bad);
    expect_error(r, 400);
    EXPECT_THAT(r.body, HasSubstr("No card matching your query")) << bad;
  }
  // Only a query without cardset finds the cards never printed in a set.
  auto all = ygo_json("/cardinfo.php");
  const auto total = sandbox_->ygoprodeck().catalog().card_count();
  ASSERT_EQ(all["data"].Size(), total);
  const auto& unprinted = all["data"][static_cast<rapidjson::SizeType>(total - 1)];
  EXPECT_FALSE(unprinted.HasMember("card_sets"));
  const std::string id = std::to_string(unprinted["id"].GetUint());
  auto by_id = ygo_json("/cardinfo.php?id=" + id);
  EXPECT_EQ(by_id["data"].Size(), 1U);
  auto by_name = ygo_json("/cardinfo.php?name=" + encode(unprinted["name"].GetString()));
  EXPECT_GE(by_name["data"].Size(), 1U);
}

TEST_F(YgoProDeckApiTest, OverTheRateLimitTheClientIsBlocked) {
  ManualClock clock;
  SandboxOptions o = ygo_options();
  o.ygoprodeck.rate_limit = 3;
  o.ygoprodeck.block = std::chrono::seconds(3600);
  start(o, clock);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ygo("/cardsets.php").status, 200U);
  expect_error(ygo("/cardsets.php"), 429);
  clock.advance(std::chrono::seconds(2));
  // Still blocked after the second is over.
  expect_error(ygo("/cardsets.php"), 429);
  clock.advance(std::chrono::seconds(3598));
  EXPECT_EQ(ygo("/cardsets.php").status, 200U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kRateLimited), 2U);
}

TEST_F(YgoProDeckApiTest, InjectedFaultsSpeakTheApisErrorShape) {
  SandboxOptions o = ygo_options();
  o.faults.throttle_rate = 1.0;
  o.faults.retry_after = std::chrono::seconds(4);
  start(o);
  auto throttled = ygo("/cardsets.php");
  expect_error(throttled, 429);
  EXPECT_EQ(throttled.header("Retry-After"), "4");
  control(http::verb::post, "/_sandbox/faults?throttle_rate=0&fail_rate=1");
  auto failed = ygo("/cardinfo.php");
  expect_error(failed, failed.status);
  EXPECT_GE(failed.status, 500U);
  control(http::verb::post, "/_sandbox/faults?fail_rate=0&truncate_rate=1");
  EXPECT_FALSE(ygo("/cardinfo.php").complete);
  control(http::verb::post, "/_sandbox/faults?truncate_rate=0&latency_ms=100");
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(ygo("/cardsets.php").status, 200U);
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(100));
  const auto& stats = sandbox_->stats();
  EXPECT_EQ(stats.count("GET /ygoprodeck/api/v7/cardsets.php", "429"), 1U);
  EXPECT_EQ(stats.api_total("ygoprodeck"), 4U);
}

// What a correct sync stores, built from the API alone: sets, printed cards and one variant
// per (card id, set_code, set_rarity), priced from card_prices' tcgplayer_price.
struct YgoWalk {
  std::map<std::string, std::string> sets;  // set_code -> set_name
  std::set<std::uint32_t> cards;
  std::map<std::string, std::uint64_t> variants;
  std::uint64_t priced = 0;
  int requests = 0;
  std::uint64_t checksum() const {
    std::uint64_t sum = 0;
    for (const auto& [key, fp] : variants) sum += fp;
    return sum;
  }
};

template <class Fetch>
YgoWalk walk_ygoprodeck(Fetch&& fetch, unsigned num) {
  YgoWalk walk;
  auto sets = fetch(std::string(kBase) + "/cardsets.php");
  ++walk.requests;
  for (const auto& s : sets.GetArray())
    walk.sets[s["set_code"].GetString()] = s["set_name"].GetString();
  std::set<std::string> priced;
  for (const auto& [code, name] : walk.sets) {
    std::string target = std::string(kBase) + "/cardinfo.php?cardset=" + encode(name) +
                         "&num=" + std::to_string(num) + "&offset=0";
    while (!target.empty()) {
      auto page = fetch(target);
      ++walk.requests;
      for (const auto& card : page["data"].GetArray()) {
        const std::uint32_t id = card["id"].GetUint();
        walk.cards.insert(id);
        const auto& price = card["card_prices"][0]["tcgplayer_price"];
        const std::string cents_text =
            std::string(price.GetString()) == "0.00" ? "" : std::to_string(cents(price));
        for (const auto& p : card["card_sets"].GetArray()) {
          const std::string key = std::to_string(id) + "/" + p["set_code"].GetString() + "/" +
                                  p["set_rarity"].GetString();
          std::string line = key;
          line += "|";
          line += std::to_string(id);
          line += "|";
          line += cents_text;
          line += "|USD";
          walk.variants[key] = fnv1a64(line);
          if (!cents_text.empty()) priced.insert(key);
        }
      }
      const auto& meta = page["meta"];
      // next_page is absolute; the test client wants the target.
      target = meta.HasMember("next_page") ? std::string(meta["next_page"].GetString()) : "";
      if (!target.empty()) target = target.substr(target.find('/', std::string("http://").size()));
    }
  }
  walk.priced = priced.size();
  return walk;
}

TEST_F(YgoProDeckApiTest, FollowingNextPageThroughShortAndRepeatedPagesReachesTheTruth) {
  SandboxOptions o = ygo_options();
  o.faults.short_page_rate = 0.4;
  o.faults.repeat_rate = 0.4;
  start(o);
  auto fetch = [this](const std::string& target) {
    HttpResult r = client_->get(target);
    EXPECT_EQ(r.status, 200U) << target << ": " << r.body;
    return parse_json(r.body);
  };
  for (int round = 0; round < 2; ++round) {
    auto truth = control(http::verb::get, "/_sandbox/truth/ygoprodeck?items=1");
    YgoWalk walk = walk_ygoprodeck(fetch, 4);
    EXPECT_EQ(walk.sets.size(), truth["sets"].GetUint64());
    EXPECT_EQ(walk.cards.size(), truth["cards"].GetUint64());
    EXPECT_EQ(walk.variants.size(), truth["variants"].GetUint64());
    EXPECT_EQ(walk.priced, truth["priced"].GetUint64());
    EXPECT_LT(walk.priced, walk.variants.size()) << "some tcgplayer prices are 0.00";
    EXPECT_EQ(checksum_hex(walk.checksum()), truth["checksum"].GetString());
    const auto& items = truth["items"];
    ASSERT_EQ(items["sets"].Size(), walk.sets.size());
    for (const auto& s : items["sets"].GetArray()) {
      EXPECT_EQ(walk.sets[s["key"].GetString()], s["name"].GetString());
    }
    EXPECT_EQ(items["cards"].Size(), walk.cards.size());
    EXPECT_EQ(items["unprinted_cards"].Size(), truth["unprinted_cards"].GetUint64());
    ASSERT_EQ(items["variants"].Size(), walk.variants.size());
    std::uint64_t null_prices = 0;
    for (const auto& v : items["variants"].GetArray()) {
      EXPECT_EQ(walk.variants.count(v["key"].GetString()), 1U) << v["key"].GetString();
      null_prices += v["price_cents"].IsNull() ? 1 : 0;
    }
    EXPECT_EQ(null_prices, walk.variants.size() - walk.priced);
    auto m = control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
    EXPECT_GT(m["apis"]["ygoprodeck"].GetUint64(), 0U);
  }
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kShortPage), 0U);
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kRepeat), 0U);
}

TEST(YgoProDeckFlags, ShapeTheCatalogAndTheLimit) {
  const char* argv[] = {"cardsync-sandbox",
                        "--ygoprodeck-sets",
                        "5",
                        "--ygoprodeck-cards-per-set",
                        "8",
                        "--ygoprodeck-rate-limit",
                        "20",
                        "--ygoprodeck-block-seconds",
                        "60"};
  const auto o = parse_sandbox_command_line(9, argv).options.ygoprodeck;
  EXPECT_EQ(o.shape.sets, 5U);
  EXPECT_EQ(o.shape.cards_per_set, 8U);
  EXPECT_EQ(o.rate_limit, 20U);
  EXPECT_EQ(o.block.count(), 60);
  const char* defaults[] = {"cardsync-sandbox"};
  EXPECT_EQ(parse_sandbox_command_line(1, defaults).options.ygoprodeck.rate_limit, 0U);
  const char* bad[] = {"cardsync-sandbox", "--ygoprodeck-sets", "677"};
  EXPECT_THROW(parse_sandbox_command_line(3, bad), SandboxUsageError);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
