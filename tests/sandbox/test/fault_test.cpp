// Each fault flag, observed from the client's side of the wire.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "sandbox/http_date.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace http = boost::beast::http;

class FaultTest : public SandboxTest {};

TEST_F(FaultTest, FailRateAnswers500And503WithErrorBodies) {
  SandboxOptions o = small_options();
  o.faults.fail_rate = 1.0;
  start(o);
  std::set<unsigned> statuses;
  for (int i = 0; i < 40; ++i) {
    auto r = api("/v1/games");
    statuses.insert(r.status);
    auto doc = parse_json(r.body);
    EXPECT_TRUE(doc["error"].IsString());
    EXPECT_TRUE(doc["code"].IsString());
  }
  EXPECT_EQ(statuses, (std::set<unsigned>{500, 503}));
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kServerError), 40U);
  EXPECT_EQ(sandbox_->stats().count("GET /v1/games", "500") +
                sandbox_->stats().count("GET /v1/games", "503"),
            40U);
}

TEST_F(FaultTest, PartialFailRateIsRoughlyThatShare) {
  SandboxOptions o = small_options();
  o.faults.fail_rate = 0.2;
  start(o);
  int failed = 0;
  for (int i = 0; i < 300; ++i) failed += api("/v1/games").status >= 500 ? 1 : 0;
  EXPECT_NEAR(failed / 300.0, 0.2, 0.07);
}

TEST_F(FaultTest, ThrottleSendsRetryAfterInSecondsForm) {
  SandboxOptions o = small_options();
  o.faults.throttle_rate = 1.0;
  o.faults.retry_after = std::chrono::seconds(7);
  start(o);
  auto r = api("/v1/cards?game=pokemon");
  EXPECT_EQ(r.status, 429U);
  EXPECT_STREQ(parse_json(r.body)["code"].GetString(), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(r.header("Retry-After"), "7");
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kThrottle), 1U);
}

TEST_F(FaultTest, ThrottleSendsRetryAfterInDateForm) {
  ManualClock clock;
  SandboxOptions o = small_options();
  o.faults.throttle_rate = 1.0;
  o.faults.retry_after_form = RetryAfterForm::kDate;
  o.faults.retry_after = std::chrono::seconds(30);
  start(o, clock);
  auto r = api("/v1/games");
  EXPECT_EQ(r.status, 429U);
  auto expected =
      http_date(clock.wall() + std::chrono::seconds(30) + std::chrono::milliseconds(999));
  EXPECT_EQ(r.header("Retry-After"), expected);
  EXPECT_THAT(*r.header("Retry-After"),
              MatchesRegex("[A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] [0-9]+ "
                           "[0-9][0-9]:[0-9][0-9]:[0-9][0-9] GMT"));
}

TEST_F(FaultTest, ThrottleCanOmitRetryAfter) {
  SandboxOptions o = small_options();
  o.faults.throttle_rate = 1.0;
  o.faults.retry_after_form = RetryAfterForm::kNone;
  start(o);
  auto r = api("/v1/games");
  EXPECT_EQ(r.status, 429U);
  EXPECT_FALSE(r.header("Retry-After"));
}

TEST_F(FaultTest, RateLimitIsEnforcedPerMinute) {
  ManualClock clock;
  SandboxOptions o = small_options();
  o.justtcg.rate_limit = 3;
  start(o, clock);
  for (int i = 0; i < 3; ++i) {
    auto doc = api_json("/v1/games");
    EXPECT_EQ(doc["_metadata"]["apiRateLimit"].GetUint(), 3U);
  }
  clock.advance(std::chrono::seconds(20));
  auto limited = api("/v1/games");
  EXPECT_EQ(limited.status, 429U);
  EXPECT_STREQ(parse_json(limited.body)["code"].GetString(), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(limited.header("Retry-After"), "40");
  clock.advance(std::chrono::seconds(40));
  EXPECT_EQ(api("/v1/games").status, 200U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kRateLimited), 1U);
}

TEST_F(FaultTest, DailyAndMonthlyLimitsAnswerTheirCodes) {
  ManualClock clock;
  SandboxOptions o = small_options();
  o.justtcg.daily_limit = 2;
  start(o, clock);
  auto first = api_json("/v1/games");
  EXPECT_EQ(first["_metadata"]["apiDailyLimit"].GetUint(), 2U);
  EXPECT_EQ(first["_metadata"]["apiDailyRequestsRemaining"].GetUint(), 1U);
  EXPECT_EQ(api("/v1/games").status, 200U);
  auto over = api("/v1/games");
  EXPECT_EQ(over.status, 429U);
  EXPECT_STREQ(parse_json(over.body)["code"].GetString(), "DAILY_LIMIT_EXCEEDED");
  clock.advance(std::chrono::hours(24));
  EXPECT_EQ(api("/v1/games").status, 200U);

  sandbox_.reset();
  o.justtcg.daily_limit = 0;
  o.justtcg.monthly_limit = 1;
  start(o, clock);
  EXPECT_EQ(api("/v1/games").status, 200U);
  auto month = api("/v1/games");
  EXPECT_EQ(month.status, 429U);
  EXPECT_STREQ(parse_json(month.body)["code"].GetString(), "REQUEST_LIMIT_EXCEEDED");
}

TEST_F(FaultTest, HangAcceptsAndNeverAnswers) {
  SandboxOptions o = small_options();
  o.faults.hang_rate = 1.0;
  start(o);
  client_->set_timeout(std::chrono::milliseconds(300));
  auto r = api("/v1/games");
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.status, 0U);
  EXPECT_EQ(client_->connects(), 1) << "the connection was accepted";
  EXPECT_EQ(sandbox_->stats().count("GET /v1/games", "hang"), 1U);
  // The server is not wedged: once hangs stop, requests are answered again.
  control(http::verb::post, "/_sandbox/faults?hang_rate=0");
  client_->set_timeout(std::chrono::seconds(10));
  EXPECT_EQ(api("/v1/games").status, 200U);
}

TEST_F(FaultTest, TruncateCutsTheBodyAndClosesTheConnection) {
  SandboxOptions o = small_options();
  o.faults.truncate_rate = 1.0;
  start(o);
  auto r = api("/v1/cards?game=pokemon");
  EXPECT_EQ(r.status, 200U);
  EXPECT_FALSE(r.complete);
  ASSERT_TRUE(r.header("Content-Length"));
  EXPECT_LT(r.body.size(), std::stoul(*r.header("Content-Length")));
  rapidjson::Document doc;
  doc.Parse(r.body.c_str(), r.body.size());
  EXPECT_TRUE(doc.HasParseError());
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kTruncated), 1U);
  // Errors are never truncated: only 200 bodies are.
  auto denied = client_->get("/v1/games");
  EXPECT_EQ(denied.status, 401U);
  EXPECT_TRUE(denied.complete);
}

bool price_is_valid(const rapidjson::Value& variant) {
  return variant["price"].IsNumber() && variant["price"].GetDouble() >= 0;
}

// Expects `price` to show `defect` ("price_wrong_type" or "negative_price").
void expect_price_defect(const rapidjson::Value& variant, const std::string& defect) {
  const auto& price = variant["price"];
  if (defect == "price_wrong_type") {
    EXPECT_TRUE(price.IsBool()) << variant["id"].GetString();
  } else {
    ASSERT_EQ(defect, "negative_price");
    ASSERT_TRUE(price.IsNumber()) << variant["id"].GetString();
    EXPECT_LT(price.GetDouble(), 0) << variant["id"].GetString();
  }
}

TEST_F(FaultTest, InvalidItemsCarryTheListedDefects) {
  SandboxOptions o = small_options();
  o.catalog.invalid_rate = 0.3;
  start(o);
  const std::uint32_t per_card = o.catalog.variants_per_card;
  auto truth = control(http::verb::get, "/_sandbox/truth?invalid=1");
  const auto& invalid = truth["invalid"];
  ASSERT_GT(invalid["card_items"].GetUint64(), 0U);
  ASSERT_GT(invalid["variant_items"].GetUint64(), 0U);
  EXPECT_EQ(invalid["card_items"].GetUint64() + invalid["variant_items"].GetUint64(),
            truth["invalid_items"].Size());
  EXPECT_EQ(invalid["cards"].GetUint64(), invalid["card_items"].GetUint64());
  EXPECT_EQ(invalid["variants"].GetUint64(),
            invalid["cards"].GetUint64() * per_card + invalid["variant_items"].GetUint64());
  // A card with a bad variant still counts as a card; only that variant is left out.
  EXPECT_EQ(truth["cards"].GetUint64() + invalid["cards"].GetUint64(), 42U);
  EXPECT_EQ(truth["variants"].GetUint64() + invalid["variants"].GetUint64(), 42U * per_card);

  std::set<std::string> defects;
  for (const auto& item : truth["invalid_items"].GetArray()) {
    const std::string kind = item["kind"].GetString();
    const std::string id = item["id"].GetString();
    const std::string card_id = item["card_id"].GetString();
    const std::string defect = item["defect"].GetString();
    defects.insert(defect);
    auto doc = api_json("/v1/cards?cardId=" + card_id);
    ASSERT_EQ(doc["data"].Size(), 1U);
    const auto& card = doc["data"][0];
    const auto& variants = card["variants"];
    ASSERT_EQ(variants.Size(), per_card);
    if (kind == "card") {
      // The whole card is invalid; its variants are not broken themselves.
      EXPECT_EQ(defect, "missing_name");
      EXPECT_EQ(id, card_id);
      EXPECT_STREQ(item["path"].GetString(), "/name");
      EXPECT_FALSE(card.HasMember("name"));
      for (const auto& v : variants.GetArray()) EXPECT_TRUE(price_is_valid(v)) << id;
      continue;
    }
    // One variant is invalid, always the same one; the card and its siblings are valid.
    ASSERT_EQ(kind, "variant");
    EXPECT_STREQ(item["path"].GetString(), "/variants/0/price");
    EXPECT_TRUE(card["name"].IsString()) << card_id;
    EXPECT_EQ(variants[0]["id"].GetString(), id);
    expect_price_defect(variants[0], defect);
    for (rapidjson::SizeType v = 1; v < variants.Size(); ++v) {
      EXPECT_TRUE(price_is_valid(variants[v])) << variants[v]["id"].GetString();
    }
    // The defect stays on its variant in filtered responses, and does not move to whichever
    // variant is served first.
    auto alone = api_json("/v1/cards?variantId=" + id);
    ASSERT_EQ(alone["data"][0]["variants"].Size(), 1U);
    expect_price_defect(alone["data"][0]["variants"][0], defect);
    auto near_mint = api_json("/v1/cards?cardId=" + card_id + "&condition=NM");
    ASSERT_EQ(near_mint["data"][0]["variants"].Size(), 1U);
    expect_price_defect(near_mint["data"][0]["variants"][0], defect);
    auto damaged = api_json("/v1/cards?cardId=" + card_id + "&condition=Damaged");
    ASSERT_EQ(damaged["data"][0]["variants"].Size(), 1U);
    EXPECT_TRUE(price_is_valid(damaged["data"][0]["variants"][0])) << card_id;
  }
  EXPECT_EQ(defects, (std::set<std::string>{"missing_name", "price_wrong_type", "negative_price"}));
}

TEST_F(FaultTest, VariantDefectsFollowTheirVariantThroughMutations) {
  SandboxOptions o = small_options();
  o.catalog.invalid_rate = 0.3;
  start(o);
  auto before = control(http::verb::get, "/_sandbox/truth?invalid=1");
  std::map<std::string, std::string> bad_variants;  // id -> defect
  std::set<std::string> bad_cards;
  for (const auto& item : before["invalid_items"].GetArray()) {
    if (std::string(item["kind"].GetString()) == "variant") {
      bad_variants[item["id"].GetString()] = item["defect"].GetString();
    } else {
      bad_cards.insert(item["id"].GetString());
    }
  }
  ASSERT_FALSE(bad_variants.empty());

  // Every price moves; the defective variants move too and stay defective.
  control(http::verb::post, "/_sandbox/mutate?fraction=1");
  auto after = control(http::verb::get, "/_sandbox/truth?invalid=1");
  EXPECT_NE(std::string(after["checksum"].GetString()), before["checksum"].GetString());
  EXPECT_EQ(after["variants"].GetUint64(), before["variants"].GetUint64());
  EXPECT_EQ(after["invalid"]["variant_items"].GetUint64(), bad_variants.size());
  EXPECT_EQ(after["invalid"]["cards"].GetUint64(), bad_cards.size());

  // The incremental response carries every card with its changed variants: each defect
  // shows on its own variant only.
  sandbox_->stats().reset();
  auto changed =
      api_json("/v1/cards?updated_after=" + std::to_string(Catalog::kEpoch) + "&limit=200");
  ASSERT_EQ(changed["data"].Size(), 42U);
  std::size_t seen = 0;
  for (const auto& card : changed["data"].GetArray()) {
    EXPECT_EQ(card.HasMember("name"), bad_cards.count(card["id"].GetString()) == 0);
    for (const auto& v : card["variants"].GetArray()) {
      auto bad = bad_variants.find(v["id"].GetString());
      EXPECT_GT(v["lastUpdated"].GetInt64(), Catalog::kEpoch);
      if (bad == bad_variants.end()) {
        EXPECT_TRUE(price_is_valid(v)) << v["id"].GetString();
      } else {
        expect_price_defect(v, bad->second);
        ++seen;
      }
    }
  }
  EXPECT_EQ(seen, bad_variants.size());
  // Counted per item served: each bad card once, each bad variant once.
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kInvalidItem),
            bad_cards.size() + bad_variants.size());
}

TEST_F(FaultTest, RepeatCarriesTheNextPagesFirstItem) {
  SandboxOptions o = small_options();
  o.faults.repeat_rate = 1.0;
  start(o);
  auto set = api_json("/v1/sets?game=pokemon&limit=1");
  std::string id = set["data"][0]["id"].GetString();
  EXPECT_EQ(set["data"].Size(), 2U) << "sets repeat too";
  auto first = api_json("/v1/cards?set=" + id + "&limit=3");
  auto second = api_json("/v1/cards?set=" + id + "&limit=3&offset=3");
  ASSERT_EQ(first["data"].Size(), 4U);
  EXPECT_EQ(first["meta"]["limit"].GetUint(), 3U);
  EXPECT_STREQ(first["data"][3]["id"].GetString(), second["data"][0]["id"].GetString());
  // The last page has no next page to borrow from.
  auto last = api_json("/v1/cards?set=" + id + "&limit=3&offset=6");
  EXPECT_EQ(last["data"].Size(), 1U);
}

TEST_F(FaultTest, ShortPagesReportTheSmallerLimit) {
  SandboxOptions o = small_options();
  o.faults.short_page_rate = 1.0;
  start(o);
  auto doc = api_json("/v1/cards?game=pokemon&limit=6");
  EXPECT_EQ(doc["meta"]["limit"].GetUint(), 3U);
  EXPECT_EQ(doc["data"].Size(), 3U);
  EXPECT_EQ(doc["meta"]["total"].GetUint(), 21U);
  EXPECT_TRUE(doc["meta"]["hasMore"].GetBool());
}

TEST_F(FaultTest, OutageWindowAnswers503UntilItEnds) {
  ManualClock clock;
  SandboxOptions o = small_options();
  o.faults.outage_start = 5;
  o.faults.outage_duration = 10;
  start(o, clock);
  EXPECT_EQ(api("/v1/games").status, 200U);
  clock.advance(std::chrono::seconds(6));
  auto down = api("/v1/games");
  EXPECT_EQ(down.status, 503U);
  EXPECT_STREQ(parse_json(down.body)["code"].GetString(), "SERVICE_UNAVAILABLE");
  // Even a request without a key: the outage is in front of everything.
  EXPECT_EQ(client_->get("/v1/games").status, 503U);
  // The control endpoints stay up.
  EXPECT_EQ(client_->get("/_sandbox/truth").status, 200U);
  clock.advance(std::chrono::seconds(10));
  EXPECT_EQ(api("/v1/games").status, 200U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kOutage), 2U);
}

TEST_F(FaultTest, OutageCanBeStartedAndEndedAtRuntime) {
  ManualClock clock;
  start(small_options(), clock);
  clock.advance(std::chrono::seconds(100));
  auto set = control(http::verb::post, "/_sandbox/outage?duration=30");
  EXPECT_DOUBLE_EQ(set["outage_start"].GetDouble(), 100.0);
  EXPECT_EQ(api("/v1/games").status, 503U);
  clock.advance(std::chrono::seconds(29));
  EXPECT_EQ(api("/v1/games").status, 503U);
  control(http::verb::post, "/_sandbox/outage?duration=0");
  EXPECT_EQ(api("/v1/games").status, 200U);
  control(http::verb::post, "/_sandbox/outage?start=200&duration=5");
  EXPECT_EQ(api("/v1/games").status, 200U);
  clock.advance(std::chrono::seconds(72));  // t = 201
  EXPECT_EQ(api("/v1/games").status, 503U);
}

TEST_F(FaultTest, LatencyDelaysEveryAnswer) {
  SandboxOptions o = small_options();
  o.faults.latency = std::chrono::milliseconds(120);
  start(o);
  auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(api("/v1/games").status, 200U);
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(120));
}

TEST_F(FaultTest, ControlEndpointsAreNeverFaultedOrCounted) {
  SandboxOptions o = small_options();
  o.faults.fail_rate = 1.0;
  o.faults.latency = std::chrono::milliseconds(0);
  start(o);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client_->get("/_sandbox/truth").status, 200U);
  EXPECT_EQ(sandbox_->stats().total(), 0U);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
