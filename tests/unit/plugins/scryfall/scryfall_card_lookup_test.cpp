// The "card" lookup of ScryfallProvider, driven through its C descriptor as the host drives it
// with recorded Scryfall answers: the declared kind, key normalisation, the GET /cards/{id}
// request, the records (the same the set sync stores for the card), the found / not_found
// cursors, and the classification of everything else.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <utility>

#include "conformance/provider_driver.hpp"
#include "scryfall_card_id.hpp"
#include "scryfall_provider.hpp"
#include "support/recorded_response.hpp"

namespace cardsync::scryfall {
namespace {

using conformance::CallResult;
using conformance::JobInput;
using conformance::ProviderDriver;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr const char* kEmperor = "0a1b2c3d-1111-4222-8333-444455556666";

std::string fixture(const std::string& name) {
  return test::read_fixture(CARDSYNC_SCRYFALL_FIXTURES, name);
}

// What normalise_key answers through the C ABI: its status and the key or the error.
std::pair<cs_status, std::string> normalise(const std::string& kind, const std::string& input) {
  const cs_plugin_descriptor* d = sdk::descriptor<ScryfallProvider>();
  ProviderDriver driver(d, "{}");  // initialises the plugin with a host API
  void* instance = nullptr;
  std::string text;
  auto* err = reinterpret_cast<cs_error*>(&text);
  if (d->create(sdk::str("{}"), &instance, err) != CS_OK) return {CS_FATAL, text};
  const auto& v = driver.vtable();
  const cs_status status = v.normalise_key(
      instance, sdk::str(kind), sdk::str(input),
      [](void* ctx, cs_str key) { *static_cast<std::string*>(ctx) = std::string(sdk::view(key)); },
      &text, err);
  d->destroy(instance);
  return {status, text};
}

class ScryfallCardLookup : public ::testing::Test {
 protected:
  ProviderDriver driver_{sdk::descriptor<ScryfallProvider>(), "{}"};
  const JobInput job_{7, "scryfall.card", kEmperor, "", "", "rid", 1};

  CallResult answer(int status, const std::string& body) {
    auto start = driver_.start(job_);
    EXPECT_EQ(start.status, CS_OK) << start.error;
    return driver_.handle(job_, start.requests.at(0), status, body);
  }
};

TEST_F(ScryfallCardLookup, DeclaresOneCardLookupOverItsOwnJobType) {
  const auto& v = driver_.vtable();
  ASSERT_EQ(v.lookup_count, 1U);
  const cs_lookup_kind& k = v.lookups[0];
  EXPECT_STREQ(k.name, "card");
  EXPECT_STREQ(k.job_type, "scryfall.card");
  EXPECT_EQ(k.record_kind, static_cast<uint32_t>(CS_RECORD_CARD));
  EXPECT_EQ(k.child_kind, static_cast<uint32_t>(CS_RECORD_VARIANT));
  EXPECT_STREQ(k.child_field, "variants");
  // Scryfall updates prices once a day.
  EXPECT_EQ(k.ttl_seconds, 24 * 3600);
  EXPECT_EQ(k.not_found_ttl_seconds, 24 * 3600);
  EXPECT_TRUE(normalise_card_id(k.key_example).uuid.has_value()) << k.key_example;
  std::vector<std::string> types;
  for (const char* const* t = v.job_types; *t != nullptr; ++t) types.emplace_back(*t);
  EXPECT_THAT(types, Contains("scryfall.card"));
  // Lookups run on demand: a sync never plans them.
  for (const std::string spec : {"", "{}", R"({"sets":["neo"]})"}) {
    for (const auto& job : driver_.plan(spec).jobs) EXPECT_NE(job.type, "scryfall.card") << spec;
  }
}

TEST_F(ScryfallCardLookup, KeysAreUuidsInLowercaseWithoutSurroundingSpace) {
  EXPECT_EQ(normalise("card", " 0A1B2C3D-1111-4222-8333-444455556666\n"),
            std::make_pair(CS_OK, std::string(kEmperor)));
  EXPECT_EQ(normalise("card", kEmperor), std::make_pair(CS_OK, std::string(kEmperor)));
  for (const std::string bad :
       {"", "   ", "neo/42", "0a1b2c3d111142228333444455556666",
        "0a1b2c3d-1111-4222-8333-44445555666g", "0a1b2c3d-1111-4222-8333-4444555566667",
        "{0a1b2c3d-1111-4222-8333-444455556666}", "0a1b2c3d-1111-4222-8333-4444 5555666"}) {
    auto [status, message] = normalise("card", bad);
    EXPECT_EQ(status, CS_PERMANENT) << bad;
    EXPECT_THAT(message, HasSubstr("a Scryfall card id is a UUID")) << bad;
  }
  EXPECT_THAT(normalise("card", "neo/42").second, HasSubstr("\"neo/42\" is not one"));
  auto other_kind = normalise("set", "neo");
  EXPECT_EQ(other_kind.first, CS_PERMANENT);
  EXPECT_THAT(other_kind.second, HasSubstr("only cards"));
}

TEST_F(ScryfallCardLookup, StartAsksForTheCardByIdWithTheUsualHeadersAndPacing) {
  auto r = driver_.start(job_);
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_EQ(r.requests[0].method, "GET");
  EXPECT_EQ(r.requests[0].url, std::string("https://api.scryfall.com/cards/") + kEmperor);
  EXPECT_THAT(r.requests[0].headers, Contains(Pair("Accept", "application/json")));
  EXPECT_THAT(r.requests[0].headers, Contains(Pair("User-Agent", HasSubstr("cardsync-scryfall/"))));
  EXPECT_EQ(r.rate_per_minute, 600);

  // A key the host did not normalise is a bug, never sent.
  for (const std::string key : {"0A1B2C3D-1111-4222-8333-444455556666", "neo", ""}) {
    JobInput bad = job_;
    bad.key = key;
    auto refused = driver_.start(bad);
    EXPECT_EQ(refused.status, CS_PERMANENT) << key;
    EXPECT_TRUE(refused.requests.empty()) << key;
  }
}

TEST_F(ScryfallCardLookup, AFoundCardIsStoredExactlyAsTheSetSyncStoresItAndCompletesFound) {
  auto r = answer(200, fixture("card.json"));
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_TRUE(r.requests.empty());
  EXPECT_EQ(r.cursor, "found");
  EXPECT_TRUE(r.rejects.empty());

  // The same card in a search page, through the set sync.
  const JobInput cards_job{2, "scryfall.cards", "neo", "", "", "rid", 1};
  auto page = driver_.handle(cards_job, driver_.start(cards_job).requests.at(0), 200,
                             fixture("cards_page1.json"));
  ASSERT_EQ(page.status, CS_OK) << page.error;
  ASSERT_EQ(r.records.size(), 3U);  // the card and its two finishes
  for (const auto& rec : r.records) {
    const auto* synced = page.find(static_cast<cs_record_kind>(rec.kind), rec.key);
    ASSERT_NE(synced, nullptr) << rec.key;
    EXPECT_EQ(rec.parent, synced->parent) << rec.key;
    EXPECT_EQ(rec.core, synced->core) << rec.key;
    EXPECT_EQ(rec.raw, synced->raw) << rec.key;
  }
  const auto* card = r.find(CS_RECORD_CARD, kEmperor);
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->parent, "neo");
  EXPECT_THAT(card->core, HasSubstr(R"("name":"The Wandering Emperor")"));
  const auto* nonfoil = r.find(CS_RECORD_VARIANT, std::string(kEmperor) + "/nonfoil");
  ASSERT_NE(nonfoil, nullptr);
  EXPECT_EQ(nonfoil->parent, kEmperor);
  EXPECT_THAT(nonfoil->core, HasSubstr(R"("price_cents":2499,"currency":"USD")"));
  EXPECT_NE(r.find(CS_RECORD_VARIANT, std::string(kEmperor) + "/foil"), nullptr);
}

TEST_F(ScryfallCardLookup, Scryfalls404CompletesNotFoundWithNothingStored) {
  auto r = answer(404, fixture("card_not_found.json"));
  ASSERT_EQ(r.status, CS_OK) << r.error;
  EXPECT_EQ(r.cursor, "not_found");
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.requests.empty());
}

TEST_F(ScryfallCardLookup, OtherAnswersAreClassifiedAsEverywhereElse) {
  auto status_of = [&](int status, const std::string& body) {
    auto r = answer(status, body);
    EXPECT_TRUE(r.records.empty()) << status << " " << body;
    EXPECT_FALSE(r.cursor.has_value()) << status << " " << body;
    return std::make_pair(r.status, r.error);
  };
  EXPECT_EQ(status_of(429, fixture("error_429.json")).first, CS_RETRY);
  EXPECT_EQ(status_of(503, "<html>busy</html>").first, CS_RETRY);
  EXPECT_EQ(status_of(200, fixture("error_429.json")).first, CS_RETRY);
  EXPECT_EQ(status_of(400, fixture("error_400.json")).first, CS_PERMANENT);
  EXPECT_EQ(status_of(403, R"({"object":"error","code":"forbidden","status":403})").first,
            CS_FATAL);
  const std::string card = fixture("card.json");
  auto cut = status_of(200, card.substr(0, card.size() / 2));
  EXPECT_EQ(cut.first, CS_RETRY);
  EXPECT_THAT(cut.second, HasSubstr("truncated or malformed"));
  auto list = status_of(200, R"({"object":"list","data":[]})");
  EXPECT_EQ(list.first, CS_RETRY);
  EXPECT_THAT(list.second, HasSubstr("without a card object"));

  // A card that breaks the schema is not stored as the answer.
  std::string nameless = card;
  nameless.replace(nameless.find(R"("name":"The Wandering Emperor",)"),
                   std::string(R"("name":"The Wandering Emperor",)").size(), "");
  auto broken = status_of(200, nameless);
  EXPECT_EQ(broken.first, CS_PERMANENT);
  EXPECT_THAT(broken.second, HasSubstr("unexpected shape: required"));
  // Nor is another card than the one asked for.
  std::string other = card;
  other.replace(other.find(kEmperor), std::string(kEmperor).size(),
                "0a1b2c3d-9999-4222-8333-444455556666");
  auto wrong = status_of(200, other);
  EXPECT_EQ(wrong.first, CS_PERMANENT);
  EXPECT_THAT(wrong.second, HasSubstr("with card 0a1b2c3d-9999"));
}

}  // namespace
}  // namespace cardsync::scryfall
