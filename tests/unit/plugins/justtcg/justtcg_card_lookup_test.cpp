// The "card" lookup of JustTcgProvider (a card by its TCGplayer product id) with recorded
// JustTCG answers: the declared kind, key normalisation (also through the C ABI), the request,
// the records (the very rows the catalog sync writes for the card), the found / not_found
// cursors, the classification of everything else, and that no sync ever plans it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>
#include <utility>

#include "justtcg_provider.hpp"
#include "justtcg_test_inputs.hpp"
#include "support/recording_emitter.hpp"
#include "tcgplayer_id.hpp"

namespace cardsync::justtcg {
namespace {

using cardsync::test::RecordingEmitter;
using test::fixture;
using test::header;
using test::job;
using test::response;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey = "tcg_secret_key_0123456789";
constexpr const char* kCharizard = "pokemon-base-set-charizard-holo-rare";

JustTcgProvider make_provider() {
  rapidjson::Document d;
  d.Parse((std::string(R"({"api_key":")") + kKey + "\"}").c_str());
  return JustTcgProvider(d);
}

const cs_provider_vtable& vtable() {
  return *static_cast<const cs_provider_vtable*>(sdk::descriptor<JustTcgProvider>()->vtable);
}

// What normalise_key answers through the C ABI the host calls: its status and the key or the
// error text.
std::pair<cs_status, std::string> normalise_through_abi(const std::string& input) {
  auto p = make_provider();
  std::string text;
  cs_status status = vtable().normalise_key(
      &p, sdk::str("card"), sdk::str(input),
      [](void* ctx, cs_str key) { *static_cast<std::string*>(ctx) = std::string(sdk::view(key)); },
      &text, nullptr);
  return {status, text};
}

// What the card lookup emits for `body`.
cardsync::test::Emitted answer(int status, const std::string& body,
                               std::string_view key = "42382") {
  auto p = make_provider();
  RecordingEmitter start;
  p.start(job("justtcg.card", key), start.emitter());
  RecordingEmitter out;
  p.handle(job("justtcg.card", key), start.emitted().requests.at(0), response(status, body),
           out.emitter());
  return out.emitted();
}

// What handling `body` throws, as the status the host would see, and its message.
std::pair<cs_status, std::string> failure(int status, const std::string& body,
                                          std::string_view key = "42382") {
  try {
    answer(status, body, key);
  } catch (const sdk::Error& e) {
    return {e.status(), e.what()};
  }
  return {CS_OK, "no error"};
}

TEST(JustTcgCardLookup, DeclaresOneCardLookupOverItsOwnJobType) {
  const auto& v = vtable();
  ASSERT_EQ(v.lookup_count, 1U);
  const cs_lookup_kind& k = v.lookups[0];
  EXPECT_STREQ(k.name, "card");
  EXPECT_STREQ(k.job_type, "justtcg.card");
  EXPECT_EQ(k.record_kind, static_cast<uint32_t>(CS_RECORD_CARD));
  EXPECT_EQ(k.child_kind, static_cast<uint32_t>(CS_RECORD_VARIANT));
  EXPECT_STREQ(k.child_field, "variants");
  EXPECT_EQ(k.ttl_seconds, 3600);  // prices move within the day
  EXPECT_EQ(k.not_found_ttl_seconds, 24 * 3600);
  EXPECT_EQ(normalise_tcgplayer_id(k.key_example).digits, k.key_example);
  bool served = false;
  for (const char* const* t = v.job_types; *t != nullptr; ++t)
    served = served || *t == std::string("justtcg.card");
  EXPECT_TRUE(served);
}

TEST(JustTcgCardLookup, NoSyncPlansALookupJob) {
  auto p = make_provider();
  for (const std::string spec : {"", "{}", R"({"mode":"full","games":["pokemon"]})",
                                 R"({"refresh":[{"tcgplayerId":42}]})"}) {
    RecordingEmitter out;
    p.plan(spec, out.emitter());
    ASSERT_FALSE(out.emitted().jobs.empty()) << spec;
    for (const auto& j : out.emitted().jobs) EXPECT_NE(j.type, "justtcg.card") << spec;
  }
}

TEST(JustTcgCardLookup, KeysAreTheDigitsWithoutLeadingZeros) {
  auto p = make_provider();
  EXPECT_EQ(p.normalise_key("card", "42382"), "42382");
  EXPECT_EQ(p.normalise_key("card", "  233180\t"), "233180");
  EXPECT_EQ(p.normalise_key("card", "0042382"), "42382");
  EXPECT_EQ(p.normalise_key("card", "999999999999"), "999999999999");
  for (const std::string bad : {"", "  ", "abc", "42a", "-42", "+42", "4 2", "42.0", "0x2A"}) {
    try {
      (void)p.normalise_key("card", bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const sdk::Permanent& e) {
      EXPECT_THAT(e.what(), HasSubstr("a TCGplayer product id is digits only")) << bad;
    }
  }
  EXPECT_THROW((void)p.normalise_key("card", "000"), sdk::Permanent);
  try {
    (void)p.normalise_key("card", "1234567890123");
    ADD_FAILURE() << "accepted 13 digits";
  } catch (const sdk::Permanent& e) {
    EXPECT_THAT(e.what(), HasSubstr("this one has 13"));
  }
  EXPECT_THROW((void)p.normalise_key("variant", "42"), sdk::Permanent);

  EXPECT_EQ(normalise_through_abi(" 0042382 "), std::make_pair(CS_OK, std::string("42382")));
  auto refused = normalise_through_abi("4238-2");
  EXPECT_EQ(refused.first, CS_PERMANENT);
}

TEST(JustTcgCardLookup, StartAsksForTheCardByTcgplayerIdWithTheKeyHeader) {
  auto p = make_provider();
  RecordingEmitter out;
  p.start(job("justtcg.card", "42382"), out.emitter());
  ASSERT_EQ(out.emitted().requests.size(), 1U);
  const auto& r = out.emitted().requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, "https://api.justtcg.com/v1/cards?tcgplayerId=42382");
  EXPECT_EQ(header(r, "x-api-key"), kKey);
  EXPECT_EQ(header(r, "Accept"), "application/json");

  // A key the host did not normalise is a bug, never sent.
  for (const std::string key : {"042382", "42 382", "", "abc"}) {
    RecordingEmitter refused;
    EXPECT_THROW(p.start(job("justtcg.card", key), refused.emitter()), sdk::Permanent) << key;
    EXPECT_TRUE(refused.emitted().requests.empty()) << key;
  }
}

TEST(JustTcgCardLookup, AFoundCardWritesTheRowsTheCatalogSyncWritesAndCompletesFound) {
  const auto got = answer(200, fixture("card_by_tcgplayer_id.json"));
  // Found, stored under JustTCG's card id (the catalog's row), not the TCGplayer id asked for.
  EXPECT_EQ(got.cursors, std::vector<std::string>{"found:pokemon-base-set-charizard-holo-rare"});
  EXPECT_TRUE(got.requests.empty());
  EXPECT_TRUE(got.jobs.empty());
  ASSERT_EQ(got.rate_limits.size(), 1U);
  EXPECT_EQ(got.rate_limits[0].remaining_today, 88);

  // The same card on a page of its set, through the catalog sync.
  auto p = make_provider();
  RecordingEmitter page;
  sdk::Request page_request;
  page_request.url =
      "https://api.justtcg.com/v1/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=0";
  p.handle(job("justtcg.cards", "base-set-pokemon", R"({"game":"pokemon"})"), page_request,
           response(200, fixture("cards_page1.json")), page.emitter());

  ASSERT_EQ(got.records.size(), 4U);  // the card and its three variants
  for (const auto& rec : got.records) {
    const auto* synced = page.emitted().find(static_cast<cs_record_kind>(rec.kind), rec.key);
    ASSERT_NE(synced, nullptr) << rec.key;
    EXPECT_EQ(rec.parent, synced->parent) << rec.key;
    EXPECT_EQ(rec.core, synced->core) << rec.key;
    EXPECT_EQ(rec.raw, synced->raw) << rec.key;
  }
  const auto* card = got.find(CS_RECORD_CARD, kCharizard);
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->parent, "base-set-pokemon");
  EXPECT_THAT(card->core, HasSubstr(R"("tcgplayer_id":"42382")"));
  EXPECT_EQ(got.of_kind(CS_RECORD_VARIANT).size(), 3U);
  for (const auto& v : got.of_kind(CS_RECORD_VARIANT)) EXPECT_EQ(v.parent, kCharizard);
}

TEST(JustTcgCardLookup, EmptyDataCompletesNotFoundWithNothingStored) {
  const auto r = answer(200, fixture("card_not_found.json"));
  EXPECT_EQ(r.cursors, std::vector<std::string>{"not_found"});
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.requests.empty());
}

TEST(JustTcgCardLookup, OtherAnswersAreClassifiedAsForEveryOtherRequest) {
  EXPECT_EQ(failure(401, fixture("error_401_invalid.json")).first, CS_FATAL);
  EXPECT_EQ(failure(403, fixture("error_403_plan.json")).first, CS_FATAL);
  EXPECT_EQ(failure(429, fixture("error_429_daily.json")).first, CS_RETRY);
  EXPECT_EQ(failure(500, fixture("error_500.json")).first, CS_RETRY);
  EXPECT_EQ(failure(404, fixture("error_404.json")).first, CS_PERMANENT);
  EXPECT_EQ(failure(200, fixture("error_200_validation.json")).first, CS_PERMANENT);
  const std::string body = fixture("card_by_tcgplayer_id.json");
  auto cut = failure(200, body.substr(0, body.size() / 2));
  EXPECT_EQ(cut.first, CS_RETRY);
  EXPECT_THAT(cut.second, Not(HasSubstr(kKey)));

  // An answer about another card is not stored as this one.
  auto other = failure(200, body, "42383");
  EXPECT_EQ(other.first, CS_PERMANENT);
  EXPECT_THAT(other.second, HasSubstr("a card of TCGplayer id 42382"));
  // Nor is a card that breaks the schema (its id missing): there is nothing to answer.
  std::string idless = body;
  const std::string id_member = std::string(R"("id": ")") + kCharizard + R"(",)";
  idless.replace(idless.find(id_member), id_member.size(), "");
  auto broken = failure(200, idless);
  EXPECT_EQ(broken.first, CS_PERMANENT);
  EXPECT_THAT(broken.second, HasSubstr("unexpected shape: required"));
}

}  // namespace
}  // namespace cardsync::justtcg
