// The PSA cert lookup's acceptance tests (issue 7), through the host's real pieces (the
// lookup service, its fetch-through cache and the pipeline) with the built PSA plugin against
// the sandbox's PSA: what a lookup answers, and how many requests reached PSA for it.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "lookup_fixture.hpp"
#include "sandbox/psa_certs.hpp"

namespace cardsync::integration {
namespace {

using lookup::LookupAnswer;
using lookup::LookupStatus;
using sandbox::PsaExamples;
using ::testing::HasSubstr;

constexpr auto kDay = std::chrono::hours(24);
constexpr const char* kCertRoute = "GET /publicapi/cert/GetByCertNumber/{cert}";
constexpr const char* kImagesRoute = "GET /publicapi/cert/GetImagesByCertNumber/{cert}";

// What providers.psa says, beyond the sandbox's base_url.
struct PsaSetup {
  std::int64_t host_daily_quota = 100;    // providers.psa.daily_quota
  std::uint64_t sandbox_daily_quota = 0;  // PSA's own 429 limit (0: off)
  std::string token = "psa_sandbox";
  int max_retries = 2;                  // what config/cardsync.example.json recommends for PSA
  std::optional<int> breaker_failures;  // resilience.breaker.consecutive_failures
  std::optional<double> lookup_deadline_seconds;  // providers.psa.lookup_deadline_seconds
  std::optional<int> ttl_seconds;                 // providers.psa.ttl_seconds
};

LookupProviderCase psa(const PsaSetup& s) {
  LookupProviderCase c;
  c.plugin = CARDSYNC_PSA_PLUGIN;
  c.kind = "cert";
  c.section = [s](const std::string& base_url) {
    std::string json = R"({"base_url":")" + base_url + R"(/publicapi","token":")" + s.token +
                       R"(","daily_quota":)" + std::to_string(s.host_daily_quota) +
                       R"(,"resilience":{"retry":{"max_retries":)" + std::to_string(s.max_retries) +
                       R"(,"base_delay_seconds":0.1})";
    if (s.breaker_failures) {
      json += R"(,"breaker":{"consecutive_failures":)" + std::to_string(*s.breaker_failures) + "}";
    }
    json += "}";
    if (s.lookup_deadline_seconds) {
      json += R"(,"lookup_deadline_seconds":)" + std::to_string(*s.lookup_deadline_seconds);
    }
    if (s.ttl_seconds) json += R"(,"ttl_seconds":)" + std::to_string(*s.ttl_seconds);
    return json + "}";
  };
  c.sandbox = [s](sandbox::SandboxOptions& so) { so.psa.daily_quota = s.sandbox_daily_quota; };
  return c;
}

class PsaLookupTest : public LookupFixture {
 protected:
  void SetUp() override { start(psa({})); }

  // PSA requests answered so far, per endpoint.
  std::uint64_t cert_requests() const { return control_->stats().route_total(kCertRoute); }
  std::uint64_t image_requests() const { return control_->stats().route_total(kImagesRoute); }
  std::uint64_t psa_requests() const { return cert_requests() + image_requests(); }
};

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

// The answer's images (its "images" children), side -> URL.
std::map<std::string, std::string> images(const LookupAnswer& a) {
  EXPECT_EQ(a.child_field, "images");
  std::map<std::string, std::string> out;
  for (const auto& child : a.children_json) {
    auto doc = parse(child);
    out[doc["side"].GetString()] = doc["url"].GetString();
  }
  EXPECT_EQ(out.size(), a.children_json.size()) << "one image per side";
  return out;
}

TEST_F(PsaLookupTest, MissingCertIsFetchedAndStoredWithWhatPsaSays) {
  auto a = lookup(std::string(PsaExamples::kFound));
  ASSERT_EQ(a.status, LookupStatus::fresh) << a.message;
  EXPECT_EQ(a.provider, "psa");
  EXPECT_EQ(a.kind, "cert");
  EXPECT_TRUE(a.fetched_now);
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 1U);

  auto truth = truth_of(*control_, PsaExamples::kFound);
  ASSERT_TRUE(a.core_json.has_value());
  auto core = parse(*a.core_json);
  EXPECT_STREQ(core["grade"].GetString(), truth["grade"].GetString());
  EXPECT_STREQ(core["subject"].GetString(), truth["subject"].GetString());
  EXPECT_STREQ(core["year"].GetString(), truth["year"].GetString());
  EXPECT_EQ(core["population"].GetInt64(), truth["population"].GetInt64());
  EXPECT_EQ(core["spec_id"].GetInt64(), truth["spec_id"].GetInt64());
  auto sides = images(a);
  ASSERT_EQ(sides.size(), 2U);
  EXPECT_EQ(sides["front"], truth["images"]["front"].GetString());
  EXPECT_EQ(sides["back"], truth["images"]["back"].GetString());
  // Children are answered in key order: <cert>/back, then <cert>/front.
  EXPECT_THAT(a.children_json[0], HasSubstr(R"("side":"back")"));
}

TEST_F(PsaLookupTest, FreshHitMakesNoUpstreamRequest) {
  ASSERT_EQ(lookup(std::string(PsaExamples::kFound)).status, LookupStatus::fresh);
  control_->reset_stats();
  clock_.advance(6 * kDay);  // inside the 7-day TTL

  auto a = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(a.status, LookupStatus::fresh);
  EXPECT_FALSE(a.fetched_now);
  ASSERT_TRUE(a.age.has_value());
  EXPECT_GE(*a.age, 6 * kDay);
  EXPECT_EQ(a.children_json.size(), 2U);
  EXPECT_EQ(control_->stats().total(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued), 0);
}

TEST_F(PsaLookupTest, StaleHitAnswersOldDataAtOnceAndExactlyOneRefreshRuns) {
  const std::string cert(PsaExamples::kFound);
  auto first = lookup(cert);
  ASSERT_EQ(first.status, LookupStatus::fresh);
  control_->reset_stats();
  clock_.advance(8 * kDay);

  constexpr int kLookups = 100;
  std::vector<LookupAnswer> answers(kLookups);
  {
    std::vector<std::thread> threads;
    threads.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
      threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = lookup(cert); });
    }
    for (auto& t : threads) t.join();
  }
  for (const auto& a : answers) {
    ASSERT_EQ(a.status, LookupStatus::stale) << a.message;
    EXPECT_EQ(a.core_json, first.core_json);
    EXPECT_EQ(a.children_json, first.children_json);
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
  EXPECT_EQ(after.status, LookupStatus::fresh);
  ASSERT_TRUE(after.age.has_value());
  EXPECT_LT(*after.age, std::chrono::minutes(1));
  EXPECT_EQ(psa_requests(), 2U);
}

TEST_F(PsaLookupTest, HundredConcurrentLookupsOfAMissingCertMakeOneFetch) {
  const std::string cert(PsaExamples::kBackFirst);
  constexpr int kLookups = 100;
  std::vector<LookupAnswer> answers(kLookups);
  {
    std::vector<std::thread> threads;
    threads.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
      threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = lookup(cert); });
    }
    for (auto& t : threads) t.join();
  }
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, LookupStatus::fresh) << a.message;
    EXPECT_EQ(a.children_json.size(), 2U);
  }
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 1U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::done), 1);
}

TEST_F(PsaLookupTest, NotFoundIsRememberedAndNotRefetchedInsideItsTtl) {
  const std::string cert(PsaExamples::kNotFound);
  auto a = lookup(cert);
  EXPECT_EQ(a.status, LookupStatus::not_found) << a.message;
  EXPECT_FALSE(a.core_json.has_value());
  EXPECT_EQ(a.http_status(), 404U);
  EXPECT_EQ(cert_requests(), 1U);
  EXPECT_EQ(image_requests(), 0U);  // no call spent on images of a cert that does not exist
  // A permanent not-found completes the job (its cursor is the memory), it does not fail it.
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);

  clock_.advance(std::chrono::hours(23));
  auto again = lookup(cert);
  EXPECT_EQ(again.status, LookupStatus::not_found);
  EXPECT_FALSE(again.fetched_now);
  EXPECT_EQ(again.message, "psa has no cert " + cert);
  EXPECT_EQ(cert_requests(), 1U);

  clock_.advance(std::chrono::hours(2));  // past the 1-day not-found TTL: asked again
  auto later = lookup(cert);
  EXPECT_EQ(later.status, LookupStatus::not_found);
  EXPECT_TRUE(later.fetched_now);
  EXPECT_EQ(cert_requests(), 2U);
}

TEST_F(PsaLookupTest, NotFoundWithANullPsaCertIsNotFoundToo) {
  auto a = lookup(std::string(PsaExamples::kNotFoundNullCert));
  EXPECT_EQ(a.status, LookupStatus::not_found) << a.message;
}

TEST_F(PsaLookupTest, FrontAndBackComeFromIsFrontImageWhenTheBackIsSentFirst) {
  const std::string cert(PsaExamples::kBackFirst);
  auto truth = truth_of(*control_, cert);
  ASSERT_STREQ(truth["served_order"][0].GetString(), "back");

  auto a = lookup(cert);
  ASSERT_EQ(a.status, LookupStatus::fresh) << a.message;
  auto sides = images(a);
  ASSERT_EQ(sides.size(), 2U);
  EXPECT_EQ(sides["front"], truth["images"]["front"].GetString());
  EXPECT_EQ(sides["back"], truth["images"]["back"].GetString());

  const std::string front_key = cert + "/front";  // RecordQuery holds views
  sdk::RecordQuery q;
  q.kind = CS_RECORD_CERT_IMAGE;
  q.key = front_key;
  auto rows = harness_->storage->read_records(q);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_THAT(rows[0].core_json, HasSubstr(truth["images"]["front"].GetString()));
  EXPECT_EQ(rows[0].parent_key, cert);
}

TEST_F(PsaLookupTest, AnEmptyImageListIsKeptAsNoImages) {
  const std::string cert(PsaExamples::kNoImages);
  auto a = lookup(cert);
  ASSERT_EQ(a.status, LookupStatus::fresh) << a.message;
  EXPECT_EQ(a.child_field, "images");
  EXPECT_TRUE(a.children_json.empty());
  EXPECT_EQ(parse(*a.core_json)["image_count"].GetInt(), 0);

  // Remembered as "no images", not as "images unknown": the next lookup does not ask again.
  auto again = lookup(cert);
  EXPECT_EQ(again.status, LookupStatus::fresh);
  EXPECT_TRUE(again.children_json.empty());
  EXPECT_EQ(image_requests(), 1U);
  EXPECT_THAT(again.to_json(), HasSubstr(R"("image_count":0)"));
  auto doc = parse(again.to_json());
  ASSERT_TRUE(doc["data"]["images"].IsArray());
  EXPECT_EQ(doc["data"]["images"].Size(), 0U);
}

TEST_F(PsaLookupTest, BadInputGetsAClearErrorAndNoRequest) {
  auto letters = lookup("slab #ABC");
  EXPECT_EQ(letters.status, LookupStatus::invalid);
  EXPECT_THAT(letters.message, HasSubstr("at least one digit"));
  auto long_one = lookup("1234 5678 9012 3");
  EXPECT_EQ(long_one.status, LookupStatus::invalid);
  EXPECT_THAT(long_one.message, HasSubstr("at most 12 digits"));
  EXPECT_THAT(long_one.message, HasSubstr("13"));
  auto empty = lookup("");
  EXPECT_EQ(empty.status, LookupStatus::invalid);
  EXPECT_EQ(control_->stats().total(), 0U);
  EXPECT_EQ(jobs_in_state(sdk::JobState::queued) + jobs_in_state(sdk::JobState::done), 0);
}

TEST_F(PsaLookupTest, TypedSeparatorsAreDroppedAndLeadingZerosKept) {
  auto a = lookup("0001-2345");
  ASSERT_EQ(a.status, LookupStatus::fresh) << a.message;
  EXPECT_EQ(a.key, PsaExamples::kLeadingZeros);
  EXPECT_EQ(lookup(std::string(PsaExamples::kLeadingZeros)).status, LookupStatus::fresh);
  EXPECT_EQ(cert_requests(), 1U);
}

TEST_F(PsaLookupTest, ANumberPsaCallsInvalidIsRememberedAndNotAskedAgainInsideItsTtl) {
  // 11 digits are a cert number to us, not to PSA (400); only zeros are an empty request (204).
  for (std::string_view number : {PsaExamples::kInvalid, PsaExamples::kEmpty}) {
    SCOPED_TRACE(number);
    start(psa({}));
    const std::string cert(number);
    auto a = lookup(cert);
    EXPECT_EQ(a.status, LookupStatus::invalid) << a.message;
    EXPECT_THAT(a.message, HasSubstr("invalid"));
    EXPECT_TRUE(a.fetched_now);
    EXPECT_EQ(cert_requests(), 1U);  // a 400 is not retried
    EXPECT_EQ(image_requests(), 0U);
    // Like a not-found, it completes the job: the cursor is what remembers it.
    EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);

    clock_.advance(std::chrono::hours(23));  // inside the kind's not-found TTL (1 day)
    auto again = lookup(cert);
    EXPECT_EQ(again.status, LookupStatus::invalid);
    EXPECT_FALSE(again.fetched_now);
    EXPECT_EQ(cert_requests(), 1U);  // no call spent on a number PSA already refused
    EXPECT_EQ(again.message, "psa calls " + cert + " an invalid cert");
    ASSERT_TRUE(again.age.has_value());
    EXPECT_GE(*again.age, std::chrono::hours(23));
    // Told apart from a not-found on the wire: the CLI exits 2, the admin API answers 400.
    EXPECT_EQ(again.http_status(), 400U);
    EXPECT_THAT(again.to_json(), HasSubstr(R"("status":"invalid")"));

    clock_.advance(std::chrono::hours(2));  // past the TTL: PSA is asked again
    auto later = lookup(cert);
    EXPECT_EQ(later.status, LookupStatus::invalid);
    EXPECT_TRUE(later.fetched_now);
    EXPECT_EQ(cert_requests(), 2U);
  }
}

TEST_F(PsaLookupTest, TheProviderSectionSetsTheTtl) {
  PsaSetup setup;
  setup.ttl_seconds = 3600;
  start(psa(setup));
  ASSERT_EQ(lookup(std::string(PsaExamples::kFound)).status, LookupStatus::fresh);
  clock_.advance(std::chrono::minutes(59));
  EXPECT_EQ(lookup(std::string(PsaExamples::kFound)).status, LookupStatus::fresh);
  clock_.advance(std::chrono::minutes(2));
  auto a = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(a.status, LookupStatus::stale);
  EXPECT_TRUE(a.job_id.has_value());
  EXPECT_EQ(cert_requests(), 1U);
}

TEST_F(PsaLookupTest, OnceTheDailyQuotaIsSpentUncachedCertsAreQueuedNotSent) {
  PsaSetup setup;
  setup.host_daily_quota = 3;
  start(psa(setup));
  ASSERT_EQ(lookup(std::string(PsaExamples::kFound)).status, LookupStatus::fresh);  // 2 calls
  ASSERT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, LookupStatus::not_found);  // 1
  ASSERT_EQ(psa_requests(), 3U);

  auto a = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(a.status, LookupStatus::queued);
  EXPECT_THAT(a.message, HasSubstr("quota"));
  ASSERT_TRUE(a.job_id.has_value());
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_GT(*a.retry_at, clock_.wall());
  EXPECT_LE(*a.retry_at, clock_.wall() + kDay);
  auto b = lookup(std::string(PsaExamples::kNoImages));
  EXPECT_EQ(b.status, LookupStatus::queued);
  EXPECT_EQ(psa_requests(), 3U);  // nothing sent
  // The same cert asked again is the same job.
  EXPECT_EQ(lookup(std::string(PsaExamples::kBackFirst)).job_id, a.job_id);
  // What is cached is still answered.
  EXPECT_EQ(lookup(std::string(PsaExamples::kFound)).status, LookupStatus::fresh);
  // A worker does not spend anything on the queued jobs before the quota resets.
  EXPECT_EQ(run_due_jobs(), 0);

  clock_.advance(kDay);  // the quota resets at 00:00 UTC, and the queued jobs are due
  auto next_day = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(next_day.status, LookupStatus::fresh) << next_day.message;
}

// PSA's 429 means the day's calls are spent (the provider says so): the host sends nothing
// more that day, and the job waits for 00:00 UTC without failing or spending an attempt.
TEST_F(PsaLookupTest, PsaOwn429OnTheImagesQueuesTheJobUntilMidnightAndItResumesThere) {
  PsaSetup setup;
  setup.sandbox_daily_quota = 1;  // PSA counts calls the host does not know about
  start(psa(setup));
  const auto midnight = std::chrono::floor<std::chrono::days>(clock_.wall()) + std::chrono::days(1);
  auto a = lookup(std::string(PsaExamples::kFound));  // the cert call passes, images get 429
  EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
  EXPECT_THAT(a.message, HasSubstr("quota"));
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_EQ(*a.retry_at, midnight);
  EXPECT_EQ(a.http_status(), 202U);
  EXPECT_EQ(image_requests(), 1U);  // the 429 was not retried
  EXPECT_EQ(harness_->client->pacer("psa").daily_remaining(), 0);

  ASSERT_TRUE(a.job_id.has_value());
  auto job = harness_->queue->find(*a.job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, sdk::JobState::queued);
  EXPECT_EQ(job->attempts, 0);  // snoozed, not retried
  ASSERT_FALSE(job->errors.empty());
  EXPECT_EQ(job->errors.back().http_status, 429);
  EXPECT_EQ(jobs_in_state(sdk::JobState::failed), 0);
  EXPECT_EQ(run_due_jobs(), 0);  // a worker finds nothing due before midnight

  clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(midnight - clock_.wall()));
  auto next_day = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(next_day.status, LookupStatus::fresh) << next_day.message;
  EXPECT_EQ(next_day.children_json.size(), 2U);
  EXPECT_EQ(cert_requests(), 1U);  // resumed from its checkpoint: only the images again
  EXPECT_EQ(image_requests(), 2U);
}

TEST_F(PsaLookupTest, AfterPsaSaysTheQuotaIsSpentNothingMoreIsSentThatDay) {
  PsaSetup setup;
  setup.sandbox_daily_quota = 1;
  start(psa(setup));  // the host's own quota (100) knows nothing of PSA's count
  const auto midnight = std::chrono::floor<std::chrono::days>(clock_.wall()) + std::chrono::days(1);
  ASSERT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, LookupStatus::not_found);
  auto spent = lookup(std::string(PsaExamples::kBackFirst));  // 429
  EXPECT_EQ(spent.status, LookupStatus::queued) << spent.message;
  EXPECT_EQ(cert_requests(), 2U);

  for (std::string_view cert : {PsaExamples::kNoImages, PsaExamples::kLeadingZeros}) {
    auto a = lookup(std::string(cert));
    EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
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
  EXPECT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, LookupStatus::not_found);
}

// While PSA fails and its breaker is open, an uncached cert is queued for when the breaker
// lets calls through again, and nothing is sent.
TEST_F(PsaLookupTest, WhileTheBreakerIsOpenUncachedCertsAreQueuedNotSent) {
  PsaSetup setup;
  setup.breaker_failures = 3;  // the first lookup's three attempts open it
  start(psa(setup));
  ASSERT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, LookupStatus::not_found);
  control_->outage(24 * 3600.0);  // every PSA request is answered 503

  auto failing = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(failing.status, LookupStatus::queued) << failing.message;
  EXPECT_THAT(failing.message, HasSubstr("HTTP 503"));  // the job waits for its retry
  EXPECT_EQ(cert_requests(), 1U + 3U);  // the first attempt and max_retries = 2 retries
  const auto sent = psa_requests();
  ASSERT_NE(harness_->client->breakers().find("psa"), nullptr);
  const auto open_until = harness_->client->breakers().find("psa")->open_until();
  ASSERT_TRUE(open_until.has_value()) << "the breaker should be open after 3 failures";

  auto a = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
  EXPECT_THAT(a.message, HasSubstr("circuit breaker is open"));
  EXPECT_EQ(a.http_status(), 202U);
  ASSERT_TRUE(a.retry_at.has_value());
  EXPECT_GT(*a.retry_at, clock_.wall());
  ASSERT_TRUE(a.job_id.has_value());
  auto job = harness_->queue->find(*a.job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, sdk::JobState::queued);
  EXPECT_EQ(job->attempts, 0);
  EXPECT_GE(job->run_at_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(a.retry_at->time_since_epoch())
                .count());
  // Asked again: the same job, still nothing sent.
  EXPECT_EQ(lookup(std::string(PsaExamples::kBackFirst)).job_id, a.job_id);
  EXPECT_EQ(psa_requests(), sent);
  // What is cached is still answered.
  EXPECT_EQ(lookup(std::string(PsaExamples::kNotFound)).status, LookupStatus::not_found);
}

// A lookup whose job another worker (or process) is running waits for it up to the deadline,
// then answers "queued" with that job; once the other worker stores the cert, it is answered
// from storage.
TEST_F(PsaLookupTest, ALookupWaitsForAJobRunningElsewhereUpToItsDeadline) {
  for (std::optional<double> deadline : {std::optional<double>{}, std::optional<double>{0.5}}) {
    SCOPED_TRACE(deadline ? "lookup_deadline_seconds 0.5" : "the default deadline");
    PsaSetup setup;
    setup.lookup_deadline_seconds = deadline;
    start(psa(setup));
    const std::chrono::milliseconds expected =
        deadline ? std::chrono::milliseconds(500) : std::chrono::seconds(5);
    const std::string cert(PsaExamples::kFound);
    queue::NewJob job;
    job.type = "psa.cert";
    job.key = cert;
    const auto id = harness_->queue->enqueue(job).id;
    auto held = harness_->queue->claim(1, {"psa.cert"});  // the other worker
    ASSERT_EQ(held.size(), 1U);

    const auto before = clock_.now();
    auto a = lookup(cert);
    const auto waited = clock_.now() - before;
    EXPECT_EQ(a.status, LookupStatus::queued) << a.message;
    EXPECT_EQ(a.job_id, id);
    EXPECT_THAT(a.message,
                HasSubstr("has not answered within " + std::to_string(expected.count()) + " ms"));
    EXPECT_GE(waited, expected);
    EXPECT_LT(waited, expected + std::chrono::seconds(1));
    EXPECT_EQ(psa_requests(), 0U);

    // The runner must outlive the flush: the sink reports the committed unit back to it.
    pipeline::JobRunner runner(worker_parts());
    runner.run(*provider_, held.front(), CancellationToken());
    harness_->sink->flush();
    auto after = lookup(cert);
    EXPECT_EQ(after.status, LookupStatus::fresh) << after.message;
    EXPECT_FALSE(after.fetched_now);
    EXPECT_EQ(psa_requests(), 2U);
  }
}

TEST_F(PsaLookupTest, ABadTokenStopsTheProviderWithAClearMessage) {
  PsaSetup setup;
  setup.token = "wrong-token";
  start(psa(setup));
  auto a = lookup(std::string(PsaExamples::kFound));
  EXPECT_EQ(a.status, LookupStatus::unavailable);
  EXPECT_THAT(a.message, HasSubstr("providers.psa.token"));
  EXPECT_THAT(a.message, ::testing::Not(HasSubstr("wrong-token")));
  EXPECT_TRUE(provider_->disabled());
  EXPECT_EQ(cert_requests(), 3U);  // the first request and max_retries = 2 retries

  // Later lookups send nothing while the provider is stopped; the lookup waits as a job.
  auto b = lookup(std::string(PsaExamples::kBackFirst));
  EXPECT_EQ(b.status, LookupStatus::unavailable);
  EXPECT_THAT(b.message, HasSubstr("the psa provider is stopped"));
  EXPECT_THAT(b.message, ::testing::Not(HasSubstr("wrong-token")));
  EXPECT_TRUE(b.job_id.has_value());
  EXPECT_EQ(b.http_status(), 503U);
  EXPECT_EQ(cert_requests(), 3U);
}

}  // namespace
}  // namespace cardsync::integration
