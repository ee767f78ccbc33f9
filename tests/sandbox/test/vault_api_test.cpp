// The emulated Vault API: the bearer token, bare-array pages linked by RFC 8288 `Link` headers
// (rel="next" absent on the last page), per_page at most 100, 404 for an unknown set, the
// updated_since filter, the optional rate limit, the shared fault flags in the API's error
// shape, and a walk that follows the links and rebuilds the truth's records exactly, invalid
// cards quarantined, before and after a mutation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "sandbox/calendar_text.hpp"
#include "sandbox/vault_json.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace http = boost::beast::http;

constexpr const char* kToken = "vault_sandbox";

// rel -> target (the URL without scheme and host), from a Link header. The links are on the
// request's Host, which this test client sends without the port.
std::map<std::string, std::string> links(const HttpResult& r) {
  std::map<std::string, std::string> out;
  const std::string value = r.header("Link").value_or("");
  static const std::regex kLink(R"re(<http://127\.0\.0\.1(?::[0-9]+)?([^>]*)>; rel="([a-z]+)")re");
  for (auto it = std::sregex_iterator(value.begin(), value.end(), kLink);
       it != std::sregex_iterator(); ++it) {
    out[(*it)[2]] = (*it)[1];
  }
  return out;
}

class VaultApiTest : public SandboxTest {
 protected:
  static SandboxOptions vault_options(double invalid_rate = 0.0) {
    SandboxOptions o = small_options();
    o.catalog.invalid_rate = invalid_rate;
    o.vault.shape = {4, 23};
    return o;
  }
  HttpResult vault(const std::string& target, const std::string& authorization) {
    return client_->get(target, {{"Authorization", authorization}});
  }
  HttpResult vault(const std::string& target) {
    return vault(target, std::string("Bearer ") + kToken);
  }
  rapidjson::Document vault_json(const std::string& target) {
    HttpResult r = vault(target);
    EXPECT_TRUE(r.complete) << target << ": " << r.error;
    EXPECT_EQ(r.status, 200U) << target << ": " << r.body;
    return parse_json(r.body);
  }
  static void expect_error(const HttpResult& r, unsigned status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto doc = parse_json(r.body);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << r.body;
    EXPECT_EQ(doc["error"]["code"].GetString(), code) << r.body;
    EXPECT_TRUE(doc["error"]["message"].IsString());
  }
};

TEST_F(VaultApiTest, EveryCallNeedsTheBearerToken) {
  start(vault_options());
  auto none = client_->get("/vault/v1/sets");
  expect_error(none, 401, "unauthorized");
  EXPECT_EQ(none.header("WWW-Authenticate"), R"(Bearer realm="vault")");
  auto wrong = vault("/vault/v1/sets", "Bearer stolen");
  expect_error(wrong, 401, "unauthorized");
  EXPECT_THAT(wrong.header("WWW-Authenticate").value_or(""), HasSubstr("invalid_token"));
  expect_error(vault("/vault/v1/sets", kToken), 401, "unauthorized");
  expect_error(vault("/vault/v1/sets/ARC/cards", "Basic dmF1bHQ="), 401, "unauthorized");
  EXPECT_EQ(vault("/vault/v1/sets", std::string("bearer ") + kToken).status, 200U)
      << "the scheme is case-insensitive";
  EXPECT_EQ(sandbox_->stats().count("GET /vault/v1/sets", "401"), 3U);
}

TEST_F(VaultApiTest, SetsAreABareArrayPagedByLinkHeaders) {
  start(vault_options());
  auto first = vault("/vault/v1/sets?per_page=3");
  ASSERT_EQ(first.status, 200U);
  auto doc = parse_json(first.body);
  ASSERT_TRUE(doc.IsArray());
  ASSERT_EQ(doc.Size(), 3U);
  const auto& set = doc[0];
  EXPECT_THAT(set["code"].GetString(), MatchesRegex("[A-Z][A-Z][A-Z]"));
  EXPECT_TRUE(set["name"].IsString());
  EXPECT_THAT(set["released_at"].GetString(),
              MatchesRegex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z"));
  EXPECT_EQ(set["card_count"].GetUint(), 23U);
  auto rels = links(first);
  EXPECT_EQ(rels.size(), 2U);
  EXPECT_EQ(rels["next"], "/vault/v1/sets?page=2&per_page=3");
  EXPECT_EQ(rels["last"], "/vault/v1/sets?page=2&per_page=3");
  EXPECT_THAT(*first.header("Link"),
              MatchesRegex(R"(<http://127\.0\.0\.1(:[0-9]+)?/vault/v1/sets\?page=2&per_page=3>; )"
                           R"(rel="next", <[^>]+>; rel="last")"));

  auto last = vault(rels["next"]);
  auto last_doc = parse_json(last.body);
  ASSERT_EQ(last_doc.Size(), 1U);
  EXPECT_TRUE(last_doc[0]["released_at"].IsNull()) << "the last set is announced";
  EXPECT_EQ(last_doc[0]["card_count"].GetUint(), 0U);
  auto last_rels = links(last);
  EXPECT_EQ(last_rels.count("next"), 0U) << "no next on the last page";
  EXPECT_EQ(last_rels["prev"], "/vault/v1/sets?page=1&per_page=3");
  EXPECT_EQ(last_rels["first"], "/vault/v1/sets?page=1&per_page=3");

  auto all = vault("/vault/v1/sets");
  EXPECT_EQ(parse_json(all.body).Size(), 4U) << "20 a page by default";
  EXPECT_FALSE(all.header("Link")) << "a single page links nowhere";
  auto past = vault("/vault/v1/sets?page=9");
  EXPECT_EQ(parse_json(past.body).Size(), 0U);
  EXPECT_FALSE(past.header("Link"));
  EXPECT_EQ(vault("/vault/v1/sets?per_page=100").status, 200U);
  for (const char* bad : {"/vault/v1/sets?per_page=101", "/vault/v1/sets?per_page=0",
                          "/vault/v1/sets?page=0", "/vault/v1/sets?page=x"}) {
    expect_error(vault(bad), 400, "invalid_parameter");
  }
}

TEST_F(VaultApiTest, CardsCarryOffersWithDecimalStringAmounts) {
  start(vault_options());
  const std::string code = sandbox_->vault().catalog().sets()[0].code;
  auto page = vault("/vault/v1/sets/" + code + "/cards?per_page=10");
  auto doc = parse_json(page.body);
  ASSERT_EQ(doc.Size(), 10U);
  EXPECT_EQ(links(page)["next"], "/vault/v1/sets/" + code + "/cards?page=2&per_page=10");
  EXPECT_EQ(links(page)["last"], "/vault/v1/sets/" + code + "/cards?page=3&per_page=10");
  bool null_amount = false, foil = false, no_rarity = false, mils = false;
  for (const auto& card : doc.GetArray()) {
    EXPECT_THAT(card["id"].GetString(), MatchesRegex("crd_[0-9a-f]{12}"));
    EXPECT_TRUE(card["name"].IsString());
    EXPECT_EQ(card["set"].GetString(), code);
    EXPECT_THAT(card["number"].GetString(), MatchesRegex("[0-9]{3}"));
    ASSERT_TRUE(card.HasMember("rarity"));
    no_rarity |= card["rarity"].IsNull();
    EXPECT_TRUE(parse_iso_timestamp(card["updated_at"].GetString()));
    for (const auto& offer : card["offers"].GetArray()) {
      EXPECT_STREQ(offer["currency"].GetString(), "EUR");
      const std::string finish = offer["finish"].GetString();
      EXPECT_TRUE(finish == "normal" || finish == "foil") << finish;
      foil |= finish == "foil";
      if (offer["amount"].IsNull()) {
        null_amount = true;
        continue;
      }
      EXPECT_THAT(offer["amount"].GetString(), MatchesRegex("[0-9]+\\.[0-9]{2,3}"));
      mils |= std::string(offer["amount"].GetString()).size() -
                  std::string(offer["amount"].GetString()).find('.') ==
              4;
    }
  }
  EXPECT_TRUE(null_amount && foil && no_rarity && mils);

  auto announced = vault("/vault/v1/sets/" + sandbox_->vault().catalog().sets()[3].code + "/cards");
  EXPECT_EQ(announced.status, 200U);
  EXPECT_EQ(parse_json(announced.body).Size(), 0U) << "an announced set has no cards yet";
  expect_error(vault("/vault/v1/sets/ZZZ/cards"), 404, "set_not_found");
  expect_error(vault("/vault/v1/sets/" + code), 404, "not_found");
  expect_error(vault("/vault/v1/cards"), 404, "not_found");
}

TEST_F(VaultApiTest, UpdatedSinceListsOnlyCardsChangedAtOrAfterIt) {
  ManualClock clock(false, Clock::WallTime{std::chrono::seconds(VaultCatalog::kEpoch + 86400)});
  start(vault_options(), clock);
  const std::string code = sandbox_->vault().catalog().sets()[1].code;
  const std::string since = "?updated_since=2025-01-01T00:00:00Z";
  auto none = vault_json("/vault/v1/sets/" + code + "/cards" + since);
  EXPECT_EQ(none.Size(), 0U) << "nothing changed since the catalog was generated";
  auto m = control(http::verb::post, "/_sandbox/mutate?fraction=0.5");
  EXPECT_GT(m["apis"]["vault"].GetUint64(), 0U);
  auto first = vault("/vault/v1/sets/" + code + "/cards" + since + "&per_page=2");
  auto changed = parse_json(first.body);
  ASSERT_GT(changed.Size(), 0U);
  for (const auto& card : changed.GetArray()) {
    EXPECT_STREQ(card["updated_at"].GetString(), "2025-01-02T00:00:00Z");
  }
  if (links(first).count("next") != 0) {
    EXPECT_EQ(links(first)["next"], "/vault/v1/sets/" + code +
                                        "/cards?page=2&per_page=2&updated_since=2025-01-01T00%3A00%"
                                        "3A00Z")
        << "the filter stays in the links";
  }
  auto all = vault_json("/vault/v1/sets/" + code +
                        "/cards?per_page=100&updated_since=" + "2024-01-01T00:00:00Z");
  EXPECT_EQ(all.Size(), 23U);
  expect_error(vault("/vault/v1/sets/" + code + "/cards?updated_since=1735689600"), 400,
               "invalid_parameter");
}

TEST_F(VaultApiTest, TheRateLimitAndInjectedFaultsSpeakTheApisErrorShape) {
  ManualClock clock;
  SandboxOptions o = vault_options();
  o.vault.requests_per_minute = 2;
  o.faults.retry_after = std::chrono::seconds(9);
  start(o, clock);
  EXPECT_EQ(vault("/vault/v1/sets").status, 200U);
  EXPECT_EQ(vault("/vault/v1/sets").status, 200U);
  auto limited = vault("/vault/v1/sets");
  expect_error(limited, 429, "rate_limit_exceeded");
  EXPECT_EQ(limited.header("Retry-After"), "60");
  clock.advance(std::chrono::seconds(60));
  EXPECT_EQ(vault("/vault/v1/sets").status, 200U);
  EXPECT_EQ(sandbox_->stats().counter(StatCounter::kRateLimited), 1U);
  sandbox_->stop();

  o.vault.requests_per_minute = 0;
  o.faults.throttle_rate = 1.0;
  start(o, clock);
  auto throttled = vault("/vault/v1/sets");
  expect_error(throttled, 429, "rate_limit_exceeded");
  EXPECT_EQ(throttled.header("Retry-After"), "9");
  control(http::verb::post, "/_sandbox/faults?throttle_rate=0&fail_rate=1");
  std::set<unsigned> statuses;
  for (int i = 0; i < 20; ++i) {
    auto r = vault("/vault/v1/sets");
    expect_error(r, r.status, r.status == 500 ? "internal_error" : "service_unavailable");
    statuses.insert(r.status);
  }
  EXPECT_EQ(statuses, (std::set<unsigned>{500, 503}));
  control(http::verb::post, "/_sandbox/faults?fail_rate=0&truncate_rate=1");
  auto cut = vault("/vault/v1/sets");
  EXPECT_EQ(cut.status, 200U);
  EXPECT_FALSE(cut.complete);
  control(http::verb::post, "/_sandbox/faults?truncate_rate=0&hang_rate=1");
  client_->set_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(vault("/vault/v1/sets").complete);
  client_->set_timeout(std::chrono::seconds(10));
  control(http::verb::post, "/_sandbox/faults?hang_rate=0");
  control(http::verb::post, "/_sandbox/outage?duration=30");
  expect_error(vault("/vault/v1/sets"), 503, "service_unavailable");
  clock.advance(std::chrono::seconds(31));
  EXPECT_EQ(vault("/vault/v1/sets").status, 200U);
  const auto& stats = sandbox_->stats();
  EXPECT_EQ(stats.count("GET /vault/v1/sets", "hang"), 1U);
  EXPECT_EQ(stats.api_total("vault"), 25U);
}

// The records a sync following the links makes, built from the API alone, in the truth's
// terms: "kind/key" -> {"parent_key", "core"} serialised.
struct VaultWalk {
  std::map<std::string, std::string> records;
  std::set<std::string> rejected;  // card ids that fail the item schema
  int requests = 0;
};

std::string record_text(const std::string& parent, const std::string& core) {
  return parent + " " + core;
}

template <class Fetch>
VaultWalk walk_vault(Fetch&& fetch, unsigned per_page) {
  VaultWalk walk;
  auto pages = [&](std::string target, auto&& each) {
    target += "?per_page=" + std::to_string(per_page);
    while (true) {
      HttpResult r = fetch(target);
      ++walk.requests;
      auto doc = parse_json(r.body);
      for (const auto& item : doc.GetArray()) each(item);
      auto rels = links(r);
      if (rels.count("next") == 0) break;
      target = rels["next"];
    }
  };
  auto quoted = [](const rapidjson::Value& v) {
    return v.IsNull() ? std::string("null") : "\"" + std::string(v.GetString()) + "\"";
  };
  walk.records["game/arcanum"] = record_text(
      "", R"({"name":"Arcanum","cards_count":null,"sets_count":null,"last_updated":null})");
  std::vector<std::string> codes;
  pages("/vault/v1/sets", [&](const rapidjson::Value& s) {
    const std::string code = s["code"].GetString();
    codes.push_back(code);
    const std::string date = s["released_at"].IsNull()
                                 ? "null"
                                 : "\"" + std::string(s["released_at"].GetString(), 10) + "\"";
    walk.records["set/" + code] = record_text(
        "arcanum", R"({"name":)" + quoted(s["name"]) + R"(,"release_date":)" + date +
                       R"(,"cards_count":)" + std::to_string(s["card_count"].GetUint()) + "}");
  });
  for (const auto& code : codes) {
    pages("/vault/v1/sets/" + code + "/cards", [&](const rapidjson::Value& c) {
      const std::string id = c["id"].GetString();
      const auto& first_amount = c["offers"][0]["amount"];
      if (!c.HasMember("name") || !(first_amount.IsString() || first_amount.IsNull())) {
        walk.rejected.insert(id);
        return;
      }
      walk.records["card/" + id] =
          record_text(code, R"({"name":)" + quoted(c["name"]) + R"(,"game":"Arcanum","number":)" +
                                quoted(c["number"]) + R"(,"rarity":)" + quoted(c["rarity"]) +
                                R"(,"tcgplayer_id":null})");
      const auto updated = parse_iso_timestamp(c["updated_at"].GetString());
      for (const auto& offer : c["offers"].GetArray()) {
        if (offer["amount"].IsNull()) continue;
        // Exact decimal arithmetic on the text: whole euros, then up to three decimals.
        const std::string amount = offer["amount"].GetString();
        const auto dot = amount.find('.');
        std::string decimals = amount.substr(dot + 1);
        decimals.resize(3, '0');
        const std::int64_t mils = std::stoll(amount.substr(0, dot)) * 1000 + std::stoll(decimals);
        const std::string finish = offer["finish"].GetString();
        std::string core = R"({"condition":"Near Mint","printing":")";
        core += finish;
        core += R"(","language":"English","price_cents":)";
        core += std::to_string((mils + 5) / 10);
        core += R"(,"currency":"EUR","last_updated":)";
        core += std::to_string(*updated);
        core += R"(,"sku":null})";
        std::string key = "variant/" + id;
        key += "/";
        key += finish;
        walk.records[key] = record_text(id, core);
      }
    });
  }
  return walk;
}

std::string serialise(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

TEST_F(VaultApiTest, FollowingTheLinksRebuildsTheTruthsRecords) {
  SandboxOptions o = vault_options(0.1);
  o.faults.repeat_rate = 0.4;
  start(o);
  auto fetch = [this](const std::string& target) { return vault(target); };
  for (int round = 0; round < 2; ++round) {
    auto truth = control(http::verb::get, "/_sandbox/truth/vault?items=1&invalid=1");
    VaultWalk walk = walk_vault(fetch, 7);
    std::map<std::string, std::string> expected;
    for (const auto& [kind, records] : truth["records"].GetObject()) {
      for (const auto& r : records.GetArray()) {
        expected[std::string(kind.GetString()) + "/" + r["key"].GetString()] =
            record_text(r["parent_key"].GetString(), serialise(r["core"]));
      }
    }
    EXPECT_EQ(walk.records, expected);
    EXPECT_EQ(truth["sets"].GetUint64(), 4U);
    EXPECT_EQ(truth["variants"].GetUint64() + truth["cards"].GetUint64() + 5, walk.records.size());
    std::set<std::string> invalid;
    for (const auto& item : truth["invalid_items"].GetArray())
      invalid.insert(item["id"].GetString());
    EXPECT_EQ(walk.rejected, invalid);
    EXPECT_EQ(truth["invalid"]["cards"].GetUint64(), invalid.size());
    EXPECT_FALSE(invalid.empty());
    auto m = control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
    EXPECT_GT(m["apis"]["vault"].GetUint64(), 0U);
  }
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kRepeat), 0U);
  EXPECT_GT(sandbox_->stats().counter(StatCounter::kInvalidItem), 0U);
}

TEST_F(VaultApiTest, StartupMutationMatchesARuntimeOne) {
  SandboxOptions o = vault_options();
  o.mutate = 0.3;
  start(o);
  auto at_start = control(http::verb::get, "/_sandbox/truth/vault");
  sandbox_.reset();
  start(vault_options());
  auto clean = control(http::verb::get, "/_sandbox/truth/vault");
  EXPECT_STRNE(clean["checksum"].GetString(), at_start["checksum"].GetString());
  control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
  EXPECT_STREQ(control(http::verb::get, "/_sandbox/truth/vault")["checksum"].GetString(),
               at_start["checksum"].GetString());
}

TEST(VaultFlags, ShapeTheCatalogTheTokenAndTheLimit) {
  const char* argv[] = {"cardsync-sandbox",
                        "--vault-sets",
                        "7",
                        "--vault-cards-per-set",
                        "9",
                        "--vault-token",
                        "t0k",
                        "--vault-requests-per-minute",
                        "60"};
  const auto o = parse_sandbox_command_line(9, argv).options.vault;
  EXPECT_EQ(o.shape.sets, 7U);
  EXPECT_EQ(o.shape.cards_per_set, 9U);
  EXPECT_EQ(o.token, "t0k");
  EXPECT_EQ(o.requests_per_minute, 60U);
  const char* defaults[] = {"cardsync-sandbox"};
  const auto d = parse_sandbox_command_line(1, defaults).options.vault;
  EXPECT_EQ(d.token, "vault_sandbox");
  EXPECT_EQ(d.requests_per_minute, 0U);
  const char* bad[] = {"cardsync-sandbox", "--vault-cards-per-set", "1000"};
  EXPECT_THROW(parse_sandbox_command_line(3, bad), SandboxUsageError);
  const char* spaced[] = {"cardsync-sandbox", "--vault-token", "a b"};
  EXPECT_THROW(parse_sandbox_command_line(3, spaced), SandboxUsageError);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
