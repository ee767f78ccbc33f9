// The emulated Scryfall API: the shapes a client sees, paging by next_page through short and
// repeated pages to exactly the truth, the 404 of a search that matches nothing, a card by
// its id, the header check, Scryfall's error shape for injected faults, and the flags.
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

const HeaderList kHeaders = {{"Accept", "application/json"}, {"User-Agent", "sandbox-test/1"}};

class ScryfallApiTest : public SandboxTest {
 protected:
  static SandboxOptions scryfall_options() {
    SandboxOptions o = small_options();
    o.scryfall = {3, 23, 5};
    o.catalog.invalid_rate = 0.2;
    return o;
  }
  HttpResult get(const std::string& target) { return client_->get(target, kHeaders); }
  rapidjson::Document json(const std::string& target) {
    HttpResult r = get(target);
    EXPECT_EQ(r.status, 200U) << target << ": " << r.body;
    return parse_json(r.body);
  }
  // next_page is absolute; the test client wants the target.
  static std::string target_of(const std::string& url) {
    return url.substr(url.find('/', std::string("http://").size()));
  }
};

TEST_F(ScryfallApiTest, SetsListEverySetWithScryfallsFields) {
  start(scryfall_options());
  // Absolute URLs are built on the request's Host, as a client (curl) sends it.
  const std::string host = "127.0.0.1:" + std::to_string(port_);
  auto r = client_->get("/scryfall/sets", {{"Accept", "application/json"}, {"Host", host}});
  ASSERT_EQ(r.status, 200U);
  auto doc = parse_json(r.body);
  EXPECT_STREQ(doc["object"].GetString(), "list");
  EXPECT_FALSE(doc["has_more"].GetBool());
  ASSERT_EQ(doc["data"].Size(), 3U);
  const auto& first = doc["data"][0];
  EXPECT_STREQ(first["object"].GetString(), "set");
  EXPECT_STREQ(first["code"].GetString(), "sbaa");
  EXPECT_EQ(first["card_count"].GetUint(), 23U);
  EXPECT_THAT(first["search_uri"].GetString(),
              HasSubstr("http://" + host + "/scryfall/cards/search?"));
  // The last of three sets has no printings.
  EXPECT_EQ(doc["data"][2]["card_count"].GetUint(), 0U);
  EXPECT_STREQ(doc["data"][2]["set_type"].GetString(), "memorabilia");
}

TEST_F(ScryfallApiTest, FollowingNextPageThroughShortAndRepeatedPagesReachesTheTruth) {
  SandboxOptions o = scryfall_options();
  o.faults.short_page_rate = 0.4;
  o.faults.repeat_rate = 0.4;
  start(o);
  auto truth = parse_json(client_->get("/_sandbox/truth/scryfall?invalid=1").body);
  std::set<std::string> invalid;
  for (const auto& item : truth["invalid_items"].GetArray()) invalid.insert(item["id"].GetString());

  std::map<std::string, std::uint64_t> variants;  // card id/finish -> fingerprint
  std::set<std::string> cards;
  for (const std::string code : {"sbaa", "sbab"}) {
    std::string target = "/scryfall/cards/search?q=e%3A" + code + "&unique=prints";
    for (int pages = 0; !target.empty(); ++pages) {
      ASSERT_LT(pages, 30);
      auto page = json(target);
      EXPECT_EQ(page["total_cards"].GetUint(), 23U);
      for (const auto& card : page["data"].GetArray()) {
        const std::string id = card["id"].GetString();
        if (invalid.count(id) != 0) continue;
        cards.insert(id);
        for (const auto& f : card["finishes"].GetArray()) {
          const std::string finish = f.GetString();
          const std::string suffix = finish == "nonfoil" ? "" : "_" + finish;
          const auto& usd = card["prices"]["usd" + suffix];
          const auto* eur = card["prices"].HasMember(("eur" + suffix).c_str())
                                ? &card["prices"]["eur" + suffix]
                                : nullptr;
          auto cents = [](const rapidjson::Value& v) {
            const std::string s = v.GetString();
            return std::to_string(std::stoll(s.substr(0, s.find('.'))) * 100 +
                                  std::stoll(s.substr(s.find('.') + 1)));
          };
          std::string line = id;
          line += "|" + finish + "|";
          if (usd.IsString()) {
            line += "USD|" + cents(usd);
          } else if (eur != nullptr && eur->IsString()) {
            line += "EUR|" + cents(*eur);
          } else {
            line += "|";
          }
          std::string key = id;
          key += "/" + finish;
          variants[key] = fnv1a64(line);
        }
      }
      target = page["has_more"].GetBool() ? target_of(page["next_page"].GetString()) : "";
    }
  }
  std::uint64_t sum = 0;
  for (const auto& [key, h] : variants) sum += h;
  EXPECT_EQ(cards.size(), truth["cards"].GetUint64());
  EXPECT_EQ(variants.size(), truth["variants"].GetUint64());
  EXPECT_EQ(checksum_hex(sum), truth["checksum"].GetString());
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kShortPage), 0U);
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kRepeat), 0U);
  EXPECT_GT(truth["invalid"]["cards"].GetUint64(), 0U);
}

TEST_F(ScryfallApiTest, InvalidCardsCarryTheirDefectWhereTheTruthSays) {
  start(scryfall_options());
  auto truth = parse_json(client_->get("/_sandbox/truth/scryfall?invalid=1").body);
  std::map<std::string, std::string> defects;
  for (const auto& item : truth["invalid_items"].GetArray()) {
    defects[item["id"].GetString()] = item["defect"].GetString();
  }
  int seen = 0;
  std::string target = "/scryfall/cards/search?q=e:sbaa";
  while (!target.empty()) {
    auto page = json(target);
    for (const auto& card : page["data"].GetArray()) {
      auto it = defects.find(card["id"].GetString());
      if (it == defects.end()) {
        EXPECT_TRUE(card.HasMember("name"));
        continue;
      }
      ++seen;
      if (it->second == "missing_name") {
        EXPECT_FALSE(card.HasMember("name"));
      } else {
        EXPECT_EQ(it->second, "price_wrong_type");
        EXPECT_TRUE(card["prices"]["usd"].IsNumber());
      }
    }
    target = page["has_more"].GetBool() ? target_of(page["next_page"].GetString()) : "";
  }
  EXPECT_GT(seen, 0);
}

TEST_F(ScryfallApiTest, ASearchMatchingNothingIsA404InScryfallsErrorShape) {
  start(scryfall_options());
  for (const std::string target :
       {"/scryfall/cards/search?q=e:sbac", "/scryfall/cards/search?q=e:nope",
        "/scryfall/cards/search?q=e:sbaa&page=9"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 404U) << target;
    auto doc = parse_json(r.body);
    EXPECT_STREQ(doc["object"].GetString(), "error");
    EXPECT_STREQ(doc["code"].GetString(), "not_found");
    EXPECT_EQ(doc["status"].GetInt(), 404);
  }
  EXPECT_EQ(get("/scryfall/cards/search?q=name:bolt").status, 400U);
}

TEST_F(ScryfallApiTest, ACardByIdIsTheCardSearchServesAndAnUnknownIdIsA404) {
  start(scryfall_options());
  auto truth = parse_json(client_->get("/_sandbox/truth/scryfall?invalid=1").body);
  std::set<std::string> invalid;
  for (const auto& item : truth["invalid_items"].GetArray()) invalid.insert(item["id"].GetString());

  sandbox_->stats().reset();
  auto page = json("/scryfall/cards/search?q=e:sbab");
  std::uint64_t served = 0, broken = 0;
  for (const auto& card : page["data"].GetArray()) {
    const std::string id = card["id"].GetString();
    auto one = json("/scryfall/cards/" + id);
    EXPECT_TRUE(one == card) << id;  // the same object, invalid cards with their defect too
    ++served;
    broken += invalid.count(id);
  }
  ASSERT_EQ(served, 5U);
  EXPECT_EQ(sandbox_->stats().count("GET /scryfall/cards/{id}", "200"), served);

  const std::string first = page["data"][0]["id"].GetString();
  std::string upper = first;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& id :
       {std::string("00000000-0000-4000-8000-000000000000"), upper, std::string("neo")}) {
    auto r = get("/scryfall/cards/" + id);
    EXPECT_EQ(r.status, 404U) << id;
    auto doc = parse_json(r.body);
    EXPECT_STREQ(doc["object"].GetString(), "error");
    EXPECT_STREQ(doc["code"].GetString(), "not_found");
    EXPECT_EQ(doc["status"].GetInt(), 404);
  }
  EXPECT_EQ(sandbox_->stats().count("GET /scryfall/cards/{id}", "404"), 3U);
  // Counted like a search's cards, with the invalid ones among them.
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kCardsServed), 2 * served);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kInvalidItem), 2 * broken);
  // The header check and the search still come first.
  EXPECT_EQ(
      client_->get("/scryfall/cards/" + first, {{"Accept", "application/json"}, {"User-Agent", ""}})
          .status,
      400U);
  EXPECT_EQ(get("/scryfall/cards/search?q=e:sbab").status, 200U);
}

TEST_F(ScryfallApiTest, ACardByIdHonoursTheFaultFlags) {
  SandboxOptions o = scryfall_options();
  o.faults.fail_rate = 1.0;
  start(o);
  const std::string id = "00000000-0000-4000-8000-000000000000";
  auto r = get("/scryfall/cards/" + id);
  EXPECT_TRUE(r.status == 500U || r.status == 503U) << r.status;
  EXPECT_STREQ(parse_json(r.body)["object"].GetString(), "error");
  EXPECT_EQ(sandbox_->stats().count("GET /scryfall/cards/{id}", std::to_string(r.status)), 1U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kServerError), 1U);
}

TEST_F(ScryfallApiTest, RequestsWithoutAcceptOrUserAgentAreRefused) {
  start(scryfall_options());
  EXPECT_EQ(
      client_->get("/scryfall/sets", {{"Accept", "application/json"}, {"User-Agent", ""}}).status,
      400U);
  auto r = client_->get("/scryfall/sets", {{"User-Agent", "x"}, {"Accept", "text/html"}});
  EXPECT_EQ(r.status, 400U);
  EXPECT_STREQ(parse_json(r.body)["code"].GetString(), "bad_request");
  EXPECT_EQ(client_->get("/scryfall/sets", {{"User-Agent", "x"}, {"Accept", "*/*"}}).status, 200U);
}

TEST_F(ScryfallApiTest, InjectedFaultsSpeakScryfallAndAreCounted) {
  SandboxOptions o = scryfall_options();
  o.faults.throttle_rate = 1.0;
  start(o);
  auto r = get("/scryfall/sets");
  EXPECT_EQ(r.status, 429U);
  auto doc = parse_json(r.body);
  EXPECT_STREQ(doc["object"].GetString(), "error");
  EXPECT_STREQ(doc["code"].GetString(), "rate_limited");
  EXPECT_EQ(sandbox_->stats().count("GET /scryfall/sets", "429"), 1U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kThrottle), 1U);
}

TEST(ScryfallFlags, ShapeTheCatalog) {
  const char* argv[] = {"cardsync-sandbox",
                        "--scryfall-sets",
                        "7",
                        "--scryfall-cards-per-set",
                        "9",
                        "--scryfall-page-size",
                        "3"};
  auto cli = parse_sandbox_command_line(7, argv);
  EXPECT_EQ(cli.options.scryfall.sets, 7U);
  EXPECT_EQ(cli.options.scryfall.cards_per_set, 9U);
  EXPECT_EQ(cli.options.scryfall.page_size, 3U);
  const char* bad[] = {"cardsync-sandbox", "--scryfall-page-size", "0"};
  EXPECT_THROW(parse_sandbox_command_line(3, bad), SandboxUsageError);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
