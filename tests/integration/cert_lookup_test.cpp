// The cert cache's acceptance tests (issue 7), through the host's real pieces against the
// sandbox's PSA: what a lookup answers, and how many requests reached PSA for it.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include <thread>
#include <vector>

#include "cert_lookup_fixture.hpp"
#include "sandbox/psa_certs.hpp"

namespace cardsync::integration {
namespace {

using cache::CertStatus;
using sandbox::PsaExamples;
using ::testing::HasSubstr;

constexpr auto kDay = std::chrono::hours(24);

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// What the sandbox says a correct client must store for `cert`.
rapidjson::Document truth_of(const SandboxControl& control, std::string_view cert) {
  auto doc = control.get("/_sandbox/truth/psa?certs=" + std::string(cert));
  rapidjson::Document one;
  one.CopyFrom(doc["certs"][0], one.GetAllocator());
  return one;
}

TEST_F(CertLookupTest, MissingCertIsFetchedAndStoredWithWhatPsaSays) {
  auto a = lookup(std::string(PsaExamples::kFound));
  ASSERT_EQ(a.status, CertStatus::fresh) << a.message;
  EXPECT_TRUE(a.fetched_now);
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 1U);

  auto truth = truth_of(*control_, PsaExamples::kFound);
  ASSERT_TRUE(a.cert_json.has_value());
  auto core = parse(*a.cert_json);
  EXPECT_STREQ(core["grade"].GetString(), truth["grade"].GetString());
  EXPECT_STREQ(core["subject"].GetString(), truth["subject"].GetString());
  EXPECT_STREQ(core["year"].GetString(), truth["year"].GetString());
  EXPECT_EQ(core["population"].GetInt64(), truth["population"].GetInt64());
  EXPECT_EQ(core["spec_id"].GetInt64(), truth["spec_id"].GetInt64());
  ASSERT_EQ(a.images.size(), 2U);
  EXPECT_EQ(a.images[0].url, truth["images"]["front"].GetString());
  EXPECT_EQ(a.images[1].url, truth["images"]["back"].GetString());
}

TEST_F(CertLookupTest, FreshHitMakesNoUpstreamRequest) {
  ASSERT_EQ(lookup(std::string(PsaExamples::kFound)).status, CertStatus::fresh);
  control_->reset_stats();
  clock_.advance(6 * kDay);  // inside the 7-day TTL

  auto a = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(a.status, CertStatus::fresh);
  EXPECT_FALSE(a.fetched_now);
  ASSERT_TRUE(a.age.has_value());
  EXPECT_GE(*a.age, 6 * kDay);
  EXPECT_EQ(a.images.size(), 2U);
  EXPECT_EQ(control_->stats().total(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 0);
}

TEST_F(CertLookupTest, StaleHitAnswersOldDataAtOnceAndExactlyOneRefreshRuns) {
  const std::string cert(PsaExamples::kFound);
  auto first = lookup(cert);
  ASSERT_EQ(first.status, CertStatus::fresh);
  control_->reset_stats();
  clock_.advance(8 * kDay);

  constexpr int kLookups = 100;
  std::vector<cache::CertAnswer> answers(kLookups);
  {
    std::vector<std::thread> threads;
    threads.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
      threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = lookup(cert); });
    }
    for (auto& t : threads) t.join();
  }
  for (const auto& a : answers) {
    ASSERT_EQ(a.status, CertStatus::stale) << a.message;
    EXPECT_EQ(a.cert_json, first.cert_json);
    ASSERT_TRUE(a.age.has_value());
    EXPECT_GE(*a.age, 8 * kDay);
    ASSERT_TRUE(a.job_id.has_value());
    EXPECT_EQ(*a.job_id, *answers.front().job_id);
  }
  // Answered from storage: nothing was sent while answering.
  EXPECT_EQ(control_->stats().total(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 1);

  EXPECT_EQ(run_due_jobs(), 1);
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 1U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 2);  // the first fetch and the refresh

  auto after = lookup(cert);
  EXPECT_EQ(after.status, CertStatus::fresh);
  ASSERT_TRUE(after.age.has_value());
  EXPECT_LT(*after.age, std::chrono::minutes(1));
  EXPECT_EQ(psa_requests(), 2U);
}

TEST_F(CertLookupTest, HundredConcurrentLookupsOfAMissingCertMakeOneFetch) {
  const std::string cert(PsaExamples::kBackFirst);
  constexpr int kLookups = 100;
  std::vector<cache::CertAnswer> answers(kLookups);
  {
    std::vector<std::thread> threads;
    threads.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
      threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = lookup(cert); });
    }
    for (auto& t : threads) t.join();
  }
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, CertStatus::fresh) << a.message;
    EXPECT_EQ(a.images.size(), 2U);
  }
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 1U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 1);
}

TEST_F(CertLookupTest, NotFoundIsRememberedAndNotRefetchedInsideItsTtl) {
  const std::string cert(PsaExamples::kNotFound);
  auto a = lookup(cert);
  EXPECT_EQ(a.status, CertStatus::not_found) << a.message;
  EXPECT_FALSE(a.cert_json.has_value());
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 0U);  // no call spent on images of a cert that does not exist
  // A permanent not-found completes the job (its cursor is the memory), it does not fail it.
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);

  clock_.advance(std::chrono::hours(23));
  auto again = lookup(cert);
  EXPECT_EQ(again.status, CertStatus::not_found);
  EXPECT_FALSE(again.fetched_now);
  EXPECT_EQ(cert_requests(), 1U);

  clock_.advance(std::chrono::hours(2));  // past the 1-day not-found TTL: asked again
  auto later = lookup(cert);
  EXPECT_EQ(later.status, CertStatus::not_found);
  EXPECT_TRUE(later.fetched_now);
  EXPECT_EQ(cert_requests(), 2U);
}

TEST_F(CertLookupTest, NotFoundWithANullPsaCertIsNotFoundToo) {
  auto a = lookup(std::string(PsaExamples::kNotFoundNullCert));
  EXPECT_EQ(a.status, CertStatus::not_found) << a.message;
}

TEST_F(CertLookupTest, FrontAndBackComeFromIsFrontImageWhenTheBackIsSentFirst) {
  const std::string cert(PsaExamples::kBackFirst);
  auto truth = truth_of(*control_, cert);
  ASSERT_STREQ(truth["served_order"][0].GetString(), "back");

  auto a = lookup(cert);
  ASSERT_EQ(a.status, CertStatus::fresh) << a.message;
  ASSERT_EQ(a.images.size(), 2U);
  EXPECT_EQ(a.images[0].side, "front");
  EXPECT_EQ(a.images[0].url, truth["images"]["front"].GetString());
  EXPECT_EQ(a.images[1].side, "back");
  EXPECT_EQ(a.images[1].url, truth["images"]["back"].GetString());

  const std::string front_key = cert + "/front";  // RecordQuery holds views
  sdk::RecordQuery q;
  q.kind = CS_RECORD_CERT_IMAGE;
  q.key = front_key;
  auto rows = storage_->read_records(q);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_THAT(rows[0].core_json, HasSubstr(truth["images"]["front"].GetString()));
  EXPECT_EQ(rows[0].parent_key, cert);
}

TEST_F(CertLookupTest, AnEmptyImageListIsKeptAsNoImages) {
  const std::string cert(PsaExamples::kNoImages);
  auto a = lookup(cert);
  ASSERT_EQ(a.status, CertStatus::fresh) << a.message;
  EXPECT_TRUE(a.no_images);
  EXPECT_TRUE(a.images.empty());
  EXPECT_EQ(parse(*a.cert_json)["image_count"].GetInt(), 0);

  // Remembered as "no images", not as "images unknown": the next lookup does not ask again.
  auto again = lookup(cert);
  EXPECT_EQ(again.status, CertStatus::fresh);
  EXPECT_TRUE(again.no_images);
  EXPECT_EQ(image_requests(), 1U);
  EXPECT_THAT(again.to_json(), HasSubstr(R"("images":[],"no_images":true)"));
}

TEST_F(CertLookupTest, BadInputGetsAClearErrorAndNoRequest) {
  auto letters = lookup("slab #ABC");
  EXPECT_EQ(letters.status, CertStatus::invalid);
  EXPECT_THAT(letters.message, HasSubstr("no digits"));
  auto long_one = lookup("1234 5678 9012 3");
  EXPECT_EQ(long_one.status, CertStatus::invalid);
  EXPECT_THAT(long_one.message, HasSubstr("13 digits"));
  auto empty = lookup("");
  EXPECT_EQ(empty.status, CertStatus::invalid);
  EXPECT_EQ(control_->stats().total(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued) + jobs_in_state(sdk::JobState::done), 0);
}

TEST_F(CertLookupTest, TypedSeparatorsAreDroppedAndLeadingZerosKept) {
  auto a = lookup("0001-2345");
  ASSERT_EQ(a.status, CertStatus::fresh) << a.message;
  EXPECT_EQ(a.cert, PsaExamples::kLeadingZeros);
  EXPECT_EQ(lookup(std::string(PsaExamples::kLeadingZeros)).status, CertStatus::fresh);
  EXPECT_EQ(cert_requests(), 1U);
}

TEST_F(CertLookupTest, ANumberPsaCallsInvalidIsRememberedAndNotAskedAgainInsideItsTtl) {
  // 11 digits are a cert number to us, not to PSA (400); only zeros are an empty request (204).
  for (std::string_view number : {PsaExamples::kInvalid, PsaExamples::kEmpty}) {
    SCOPED_TRACE(number);
    start({});
    const std::string cert(number);
    auto a = lookup(cert);
    EXPECT_EQ(a.status, CertStatus::invalid) << a.message;
    EXPECT_THAT(a.message, HasSubstr("invalid"));
    EXPECT_TRUE(a.fetched_now);
    EXPECT_EQ(cert_requests(), 1U);  // a 400 is not retried
    EXPECT_EQ(image_requests(), 0U);
    // Like a not-found, it completes the job: the cursor is what remembers it.
    EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);

    clock_.advance(std::chrono::hours(23));  // inside not_found_ttl_seconds (1 day)
    auto again = lookup(cert);
    EXPECT_EQ(again.status, CertStatus::invalid);
    EXPECT_FALSE(again.fetched_now);
    EXPECT_EQ(cert_requests(), 1U);  // no call spent on a number PSA already refused
    EXPECT_THAT(again.message, HasSubstr("PSA calls " + cert + " an invalid cert number"));
    ASSERT_TRUE(again.age.has_value());
    EXPECT_GE(*again.age, std::chrono::hours(23));
    // Told apart from a not-found on the wire: the CLI exits 2, the admin API answers 400.
    EXPECT_EQ(again.http_status(), 400U);
    EXPECT_THAT(again.to_json(), HasSubstr(R"("status":"invalid")"));

    clock_.advance(std::chrono::hours(2));  // past the TTL: PSA is asked again
    auto later = lookup(cert);
    EXPECT_EQ(later.status, CertStatus::invalid);
    EXPECT_TRUE(later.fetched_now);
    EXPECT_EQ(cert_requests(), 2U);
  }
}

TEST_F(CertLookupTest, OnceTheDailyQuotaIsSpentUncachedCertsAreQueuedNotSent) {
  CertLookupSetup setup;
  setup.host_daily_quota = 3;
  start(setup);
  ASSERT_EQ(lookup(std::string(PsaExamples::kFound)).status, CertStatus::fresh);         // 2 calls
  ASSERT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, CertStatus::not_found);  // 1
  ASSERT_EQ(psa_requests(), 3U);

  auto a = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(a.status, CertStatus::queued);
  EXPECT_THAT(a.message, HasSubstr("quota"));
  ASSERT_TRUE(a.job_id.has_value());
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_GT(*a.retry_at, clock_.wall());
  EXPECT_LE(*a.retry_at, clock_.wall() + kDay);
  auto b = lookup(std::string(PsaExamples::kNoImages));
  EXPECT_EQ(b.status, CertStatus::queued);
  EXPECT_EQ(psa_requests(), 3U);  // nothing sent
  // The same cert asked again is the same job.
  EXPECT_EQ(lookup(std::string(PsaExamples::kBackFirst)).job_id, a.job_id);
  // What is cached is still answered.
  EXPECT_EQ(lookup(std::string(PsaExamples::kFound)).status, CertStatus::fresh);
  // A worker does not spend anything on the queued jobs before the quota resets.
  EXPECT_EQ(run_due_jobs(), 0);

  clock_.advance(kDay);  // the quota resets at 00:00 UTC, and the queued jobs are due
  auto next_day = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(next_day.status, CertStatus::fresh) << next_day.message;
}

// PSA's 429 means the day's calls are spent (the provider says so): the host sends nothing
// more that day, and the job waits for 00:00 UTC without failing or spending an attempt.
TEST_F(CertLookupTest, PsaOwn429OnTheImagesQueuesTheJobUntilMidnightAndItResumesThere) {
  CertLookupSetup setup;
  setup.sandbox_daily_quota = 1;  // PSA counts calls the host does not know about
  start(setup);
  const auto midnight = std::chrono::floor<std::chrono::days>(clock_.wall()) + std::chrono::days(1);
  auto a = lookup(std::string(PsaExamples::kFound));  // the cert call passes, images get 429
  EXPECT_EQ(a.status, CertStatus::queued) << a.message;
  EXPECT_THAT(a.message, HasSubstr("quota"));
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_EQ(*a.retry_at, midnight);
  EXPECT_EQ(a.http_status(), 202U);
  EXPECT_EQ(image_requests(), 1U);  // the 429 was not retried
  EXPECT_EQ(client_->pacer("psa").daily_remaining(), 0);

  ASSERT_TRUE(a.job_id.has_value());
  auto job = queue_->find(*a.job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, sdk::JobState::queued);
  EXPECT_EQ(job->attempts, 0);  // snoozed, not retried
  ASSERT_FALSE(job->errors.empty());
  EXPECT_EQ(job->errors.back().http_status, 429);
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);
  EXPECT_EQ(run_due_jobs(), 0);  // a worker finds nothing due before midnight

  clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(midnight - clock_.wall()));
  auto next_day = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(next_day.status, CertStatus::fresh) << next_day.message;
  EXPECT_EQ(next_day.images.size(), 2U);
  EXPECT_EQ(cert_requests(), 1U);  // resumed from its checkpoint: only the images again
  EXPECT_EQ(image_requests(), 2U);
}

TEST_F(CertLookupTest, AfterPsaSaysTheQuotaIsSpentNothingMoreIsSentThatDay) {
  CertLookupSetup setup;
  setup.sandbox_daily_quota = 1;
  start(setup);  // the host's own quota (100) knows nothing of PSA's count
  const auto midnight = std::chrono::floor<std::chrono::days>(clock_.wall()) + std::chrono::days(1);
  ASSERT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, CertStatus::not_found);
  auto spent = lookup(std::string(PsaExamples::kBackFirst));  // 429
  EXPECT_EQ(spent.status, CertStatus::queued) << spent.message;
  EXPECT_EQ(cert_requests(), 2U);

  for (std::string_view cert : {PsaExamples::kNoImages, PsaExamples::kLeadingZeros}) {
    auto a = lookup(std::string(cert));
    EXPECT_EQ(a.status, CertStatus::queued) << a.message;
    EXPECT_THAT(a.message, HasSubstr("quota"));
    ASSERT_TRUE(a.retry_at.has_value());
    EXPECT_EQ(*a.retry_at, midnight);
    EXPECT_THAT(a.to_json(), HasSubstr(R"("status":"queued")"));
    EXPECT_THAT(a.to_json(), HasSubstr("T00:00:00Z"));
  }
  EXPECT_EQ(lookup(std::string(PsaExamples::kBackFirst)).job_id, spent.job_id);
  EXPECT_EQ(psa_requests(), 2U);  // nothing sent after the 429
  EXPECT_EQ(run_due_jobs(), 0);
  EXPECT_EQ(psa_requests(), 2U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 3);
  // What is cached is still answered.
  EXPECT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, CertStatus::not_found);
}

TEST_F(CertLookupTest, ABadTokenStopsTheProviderWithAClearMessage) {
  CertLookupSetup setup;
  setup.token = "wrong-token";
  start(setup);
  auto a = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(a.status, CertStatus::unavailable);
  EXPECT_THAT(a.message, HasSubstr("providers.psa.token"));
  EXPECT_THAT(a.message, ::testing::Not(HasSubstr("wrong-token")));
  EXPECT_TRUE(provider_->disabled());
  EXPECT_EQ(cert_requests(), 3U);  // the first request and max_retries = 2 retries

  // Later lookups send nothing while the provider is stopped.
  auto b = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(b.status, CertStatus::unavailable);
  EXPECT_EQ(cert_requests(), 3U);
}

}  // namespace
}  // namespace cardsync::integration
