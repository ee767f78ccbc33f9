// Card lookups of every provider that offers one (card_lookup_subjects.cpp), through the host's
// generic lookup path against the sandbox: what a lookup answers, and how many requests
// reached the upstream for it.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include <thread>
#include <vector>

#include "card_lookup_subjects.hpp"

namespace cardsync::integration {
namespace {

using lookup::LookupAnswer;
using lookup::LookupStatus;
using ::testing::HasSubstr;

constexpr auto kDay = std::chrono::hours(24);

class CardLookupTest : public LookupFixture,
                       public ::testing::WithParamInterface<CardLookupSubject> {
 protected:
  void SetUp() override { start(GetParam().lookup({})); }

  KnownCard card(int i) { return GetParam().card(*harness_->sandbox, i); }
  // Requests to the lookup's route / to any route of the sandbox so far.
  std::uint64_t lookup_requests() const { return control_->stats().route_total(GetParam().route); }
  std::uint64_t all_requests() const { return control_->stats().total(); }
};

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::vector<LookupAnswer> concurrently(int n, const std::function<LookupAnswer()>& ask) {
  std::vector<LookupAnswer> answers(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  threads.reserve(answers.size());
  for (auto& a : answers) threads.emplace_back([&] { a = ask(); });
  for (auto& t : threads) t.join();
  return answers;
}

TEST_P(CardLookupTest, AMissingCardIsFetchedOnceIntoTheCatalogsRows) {
  const KnownCard c = card(0);
  auto a = lookup(c.input);
  EXPECT_EQ(lookup_requests(), 1U);
  EXPECT_EQ(a.key, c.key);

  // Stored as the catalog sync stores it: the card under its catalog key, its variants under it.
  const auto cards = records(CS_RECORD_CARD);
  ASSERT_EQ(cards.size(), 1U);
  EXPECT_EQ(cards[0].key, c.record_key);
  EXPECT_EQ(parse(cards[0].core_json)["name"].GetString(), c.name);
  EXPECT_EQ(records(CS_RECORD_VARIANT, c.record_key).size(), c.variants);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 1);

  ASSERT_EQ(a.status, LookupStatus::fresh) << a.message;
  EXPECT_TRUE(a.fetched_now);
  ASSERT_TRUE(a.core_json.has_value());
  EXPECT_EQ(parse(*a.core_json)["name"].GetString(), c.name);
  EXPECT_EQ(a.child_field, "variants");
  EXPECT_EQ(a.children_json.size(), c.variants);
  EXPECT_THAT(a.to_json(), HasSubstr(R"("variants":[{)"));
}

TEST_P(CardLookupTest, ALookupRefreshesTheRowsTheCatalogSyncWrote) {
  const KnownCard c = card(0);
  run_job(c.sync_job_type, c.sync_job_key, c.sync_job_payload);
  const auto synced_cards = records(CS_RECORD_CARD);
  const auto synced_variants = records(CS_RECORD_VARIANT);
  ASSERT_GT(synced_cards.size(), 1U);
  ASSERT_EQ(records(CS_RECORD_VARIANT, c.record_key).size(), c.variants);
  control_->reset_stats();

  lookup(c.input);
  EXPECT_EQ(lookup_requests(), 1U);
  // Not one row more: the lookup wrote the card's rows again, unchanged.
  EXPECT_EQ(records(CS_RECORD_CARD).size(), synced_cards.size());
  EXPECT_EQ(records(CS_RECORD_VARIANT).size(), synced_variants.size());
  int seen = 0;
  for (const auto& row : records(CS_RECORD_CARD)) {
    for (const auto& before : synced_cards) {
      if (before.key != row.key) continue;
      seen += row.key == c.record_key ? 1 : 0;
      EXPECT_EQ(row.content_hash, before.content_hash) << row.key;
      EXPECT_EQ(row.version, before.version) << row.key;
    }
  }
  EXPECT_EQ(seen, 1);
}

TEST_P(CardLookupTest, AFreshCardIsAnsweredWithoutAnyRequest) {
  const KnownCard c = card(0);
  ASSERT_EQ(lookup(c.input).status, LookupStatus::fresh);
  control_->reset_stats();
  clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(kind().ttl) -
                 std::chrono::minutes(1));

  auto a = lookup(c.key);
  EXPECT_EQ(a.status, LookupStatus::fresh) << a.message;
  EXPECT_FALSE(a.fetched_now);
  ASSERT_TRUE(a.age.has_value());
  EXPECT_GE(*a.age, kind().ttl - std::chrono::minutes(1));
  EXPECT_EQ(a.children_json.size(), c.variants);
  EXPECT_EQ(all_requests(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 0);
}

TEST_P(CardLookupTest, AStaleCardIsAnsweredAtOnceAndRefreshedByExactlyOneJob) {
  const KnownCard c = card(0);
  const auto first = lookup(c.input);
  ASSERT_EQ(first.status, LookupStatus::fresh) << first.message;
  control_->reset_stats();
  clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(kind().ttl) +
                 std::chrono::minutes(1));

  const auto answers = concurrently(100, [&] { return lookup(c.key); });
  for (const auto& a : answers) {
    ASSERT_EQ(a.status, LookupStatus::stale) << a.message;
    EXPECT_EQ(a.core_json, first.core_json);
    EXPECT_EQ(a.children_json, first.children_json);
    ASSERT_TRUE(a.age.has_value());
    EXPECT_GT(*a.age, kind().ttl);
    ASSERT_TRUE(a.job_id.has_value());
    EXPECT_EQ(*a.job_id, *answers.front().job_id);
  }
  // Answered from storage: nothing was sent while answering.
  EXPECT_EQ(all_requests(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 1);

  EXPECT_EQ(run_due_jobs(), 1);
  EXPECT_EQ(lookup_requests(), 1U);
  auto after = lookup(c.key);
  EXPECT_EQ(after.status, LookupStatus::fresh);
  ASSERT_TRUE(after.age.has_value());
  EXPECT_LT(*after.age, std::chrono::minutes(1));
  EXPECT_EQ(lookup_requests(), 1U);
}

TEST_P(CardLookupTest, AHundredConcurrentLookupsOfAMissingCardMakeOneRequest) {
  const KnownCard c = card(1);
  const auto answers = concurrently(100, [&] { return lookup(c.input); });
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, LookupStatus::fresh) << a.message;
    EXPECT_EQ(a.children_json.size(), c.variants);
  }
  EXPECT_EQ(lookup_requests(), 1U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 1);
}

TEST_P(CardLookupTest, AHundredConcurrentLookupsOfAnUnknownCardMakeOneRequest) {
  const auto answers = concurrently(100, [&] { return lookup(GetParam().unknown_key); });
  for (const auto& a : answers) EXPECT_EQ(a.status, LookupStatus::not_found) << a.message;
  EXPECT_EQ(lookup_requests(), 1U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 1);
}

TEST_P(CardLookupTest, NotFoundIsRememberedAndNotAskedAgainInsideItsTtl) {
  const std::string key = GetParam().unknown_key;
  auto a = lookup(key);
  EXPECT_EQ(a.status, LookupStatus::not_found) << a.message;
  EXPECT_TRUE(a.fetched_now);
  EXPECT_FALSE(a.core_json.has_value());
  EXPECT_EQ(lookup_requests(), 1U);
  // The upstream's "no such card" completes the job (its cursor is the memory).
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);
  EXPECT_TRUE(records(CS_RECORD_CARD).empty());

  clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(kind().not_found_ttl) -
                 std::chrono::hours(1));
  auto again = lookup(key);
  EXPECT_EQ(again.status, LookupStatus::not_found);
  EXPECT_FALSE(again.fetched_now);
  EXPECT_THAT(again.message, HasSubstr("has no card " + key));
  EXPECT_EQ(lookup_requests(), 1U);

  clock_.advance(std::chrono::hours(2));  // past the not-found TTL: asked again
  auto later = lookup(key);
  EXPECT_EQ(later.status, LookupStatus::not_found);
  EXPECT_TRUE(later.fetched_now);
  EXPECT_EQ(lookup_requests(), 2U);
}

TEST_P(CardLookupTest, AnInvalidKeyIsRefusedWithoutARequestOrAJob) {
  for (const auto& input : GetParam().invalid_inputs) {
    auto a = lookup(input);
    EXPECT_EQ(a.status, LookupStatus::invalid) << input;
    EXPECT_FALSE(a.message.empty()) << input;
    EXPECT_EQ(a.http_status(), 400U) << input;
  }
  EXPECT_EQ(all_requests(), 0U);
  EXPECT_TRUE(harness_->queue->stats().empty());
}

TEST_P(CardLookupTest, WhileTheBreakerIsOpenAMissingCardIsQueuedAndNothingSent) {
  open_breaker();
  auto a = lookup(card(0).input);
  EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
  EXPECT_THAT(a.message, HasSubstr("circuit breaker is open"));
  ASSERT_TRUE(a.job_id.has_value());
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_GT(*a.retry_at, clock_.wall());
  EXPECT_EQ(a.http_status(), 202U);
  // The same card asked again is the same job; an unknown one is queued too.
  EXPECT_EQ(lookup(card(0).key).job_id, a.job_id);
  EXPECT_EQ(lookup(GetParam().unknown_key).status, LookupStatus::queued);
  EXPECT_EQ(all_requests(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 2);
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);
}

TEST_P(CardLookupTest, OnceTheDailyQuotaIsSpentMissingCardsAreQueuedNotSent) {
  CardLookupSetup setup;
  setup.host_daily_quota = 1;
  start(GetParam().lookup(setup));
  ASSERT_EQ(lookup(GetParam().unknown_key).status, LookupStatus::not_found);  // the one call
  ASSERT_EQ(lookup_requests(), 1U);

  const KnownCard c = card(0);
  auto a = lookup(c.input);
  EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
  EXPECT_THAT(a.message, HasSubstr("quota"));
  ASSERT_TRUE(a.job_id.has_value());
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_GT(*a.retry_at, clock_.wall());
  EXPECT_LE(*a.retry_at, clock_.wall() + kDay);
  EXPECT_EQ(lookup(card(1).input).status, LookupStatus::queued);
  EXPECT_EQ(lookup(c.key).job_id, a.job_id);
  // What is cached is still answered, and a worker spends nothing before the quota resets.
  EXPECT_EQ(lookup(GetParam().unknown_key).status, LookupStatus::not_found);
  EXPECT_EQ(run_due_jobs(), 0);
  EXPECT_EQ(all_requests(), 1U);

  clock_.advance(kDay);  // the quota resets at 00:00 UTC, and the queued jobs are due
  auto next_day = lookup(c.key);
  EXPECT_EQ(lookup_requests(), 2U);
  EXPECT_EQ(next_day.status, LookupStatus::fresh) << next_day.message;
}

INSTANTIATE_TEST_SUITE_P(Providers, CardLookupTest, ::testing::ValuesIn(card_lookup_subjects()),
                         [](const auto& info) { return info.param.provider; });

}  // namespace
}  // namespace cardsync::integration
