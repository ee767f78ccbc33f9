// GET /metrics as a shop's Prometheus reads it: every family with HELP and TYPE, per-service
// labels fed by real resilience events (a fake upstream answering 503), job outcomes by
// service and job type, breaker state and quota per service, the build, the admin server's
// own requests, and Prometheus's own linter over a live scrape.
#include <gmock/gmock.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "admin_test_support.hpp"
#include "fake_transport.hpp"
#include "pipeline/pipeline_listener.hpp"
#include "promtool_check.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest()
      : clock_(true, wall_origin()),
        logger_(clock_, log::Level::info),
        queue_(*db_.storage, clock_),
        transport_(clock_),
        listener_(logger_, stats_),
        client_(transport_, clock_, SystemRandom::instance(), &listener_) {}

  void SetUp() override {
    options_.port = 0;
    options_.auth.hs256_secret = kSecret;
    // "metered": a daily quota; "flaky": retries once, its breaker opens after two failures.
    ResilienceOptions metered;
    metered.pacing.daily_quota = 100;
    client_.configure("metered", metered);
    ResilienceOptions flaky;
    flaky.retry.max_retries = 1;
    flaky.breaker.consecutive_failures = 2;
    client_.configure("flaky", flaky);

    AdminContext ctx(*db_.storage, queue_, clock_, logger_);
    ctx.run_stats = &stats_;
    ctx.client = &client_;
    ctx.sink_stats = [] { return queue::BatchSink::Stats{}; };
    ctx.log_drops = [] { return int64_t{0}; };
    api_ = std::make_unique<AdminApi>(options_, std::move(ctx));
    server_ = std::make_unique<HttpServer>(options_, *api_);
    server_->start();
  }
  void TearDown() override {
    server_->stop();
    server_.reset();
    api_.reset();
  }

  HttpResult get(const std::string& path) {
    RequestSpec r;
    r.path = path;
    return http(server_->port(), r);
  }
  std::string scrape() {
    const auto r = get("/metrics");
    EXPECT_EQ(r.status, 200);
    return r.body;
  }
  // Two calls to "flaky", whose upstream always answers 503: the first is retried once and
  // opens the breaker; the second is turned away by the open breaker.
  void trip_flaky() {
    transport_.always(cardsync::testing::status_response(503));
    for (int i = 0; i < 2; ++i) {
      cardsync::HttpRequest req;
      req.url = "http://flaky.invalid/x";
      CallOptions call;
      call.service = "flaky";
      (void)client_.execute(req, call);
    }
  }

  SqliteStorage db_;
  ManualClock clock_;
  log::Logger logger_;
  queue::JobQueue queue_;
  cardsync::testing::FakeTransport transport_;
  pipeline::RunStats stats_;
  pipeline::PipelineListener listener_;
  ResilientClient client_;
  AdminOptions options_;
  std::unique_ptr<AdminApi> api_;
  std::unique_ptr<HttpServer> server_;
};

// The metric family a sample line belongs to (a histogram's _bucket/_sum/_count are its
// family's).
std::string family_of(const std::string& line, const std::set<std::string>& histograms) {
  std::string name = line.substr(0, line.find_first_of("{ "));
  for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (name.ends_with(suffix)) {
      auto base = name.substr(0, name.size() - suffix.size());
      if (histograms.count(base) > 0) return base;
    }
  }
  return name;
}

TEST_F(MetricsTest, EveryFamilyHasHelpAndTypeBeforeItsSamplesAndAppearsOnce) {
  queue_.enqueue(queue::NewJob{"metered.cards", "k1", "", "", {}, 0});
  trip_flaky();
  (void)get("/healthz");
  const std::string text = scrape();

  std::set<std::string> helped;
  std::map<std::string, std::string> typed;
  std::set<std::string> histograms;
  std::set<std::string> finished;
  std::string current;
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ")) {
      const auto rest = line.substr(7);
      const auto name = rest.substr(0, rest.find(' '));
      EXPECT_GT(rest.size(), name.size() + 1) << "empty help: " << line;
      EXPECT_TRUE(helped.insert(name).second) << "HELP twice: " << name;
      EXPECT_EQ(finished.count(name), 0u) << name << "'s samples are split";
      if (!current.empty()) finished.insert(current);
      current = name;
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      EXPECT_EQ(name, current) << "TYPE without its HELP just before";
      typed[name] = type;
      if (type == "histogram") histograms.insert(name);
      continue;
    }
    ASSERT_FALSE(line.empty());
    ++samples;
    const auto family = family_of(line, histograms);
    EXPECT_EQ(family, current) << "sample outside its family: " << line;
    EXPECT_EQ(helped.count(family), 1u) << "no HELP for " << line;
    EXPECT_EQ(typed.count(family), 1u) << "no TYPE for " << line;
    if (typed[family] == "counter") {
      EXPECT_TRUE(family.ends_with("_total")) << family;
    }
  }
  EXPECT_GT(samples, 50);
  for (const char* family :
       {"cardsync_build_info", "cardsync_jobs", "cardsync_http_retries_total",
        "cardsync_http_throttles_total", "cardsync_breaker_opens_total",
        "cardsync_jobs_completed_total", "cardsync_jobs_failed_total", "cardsync_quarantined_total",
        "cardsync_breaker_state", "cardsync_quota_remaining", "cardsync_quota_daily_limit",
        "cardsync_admin_requests_total", "cardsync_queue_lag_seconds"}) {
    EXPECT_EQ(helped.count(family), 1u) << family;
  }
}

TEST_F(MetricsTest, RetriesThrottlesAndBreakerOpensAreCountedPerService) {
  trip_flaky();
  const std::string text = scrape();
  EXPECT_THAT(text, HasSubstr("cardsync_http_retries_total{service=\"flaky\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_opens_total{service=\"flaky\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_http_throttles_total{service=\"flaky\",reason=\"breaker_"
                              "open\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("cardsync_http_requests_total{service=\"flaky\",status=\"503\"} 2\n"));
  // A configured service with nothing to report is there at zero, so the first increment
  // shows in rate() and increase().
  EXPECT_THAT(text, HasSubstr("cardsync_http_retries_total{service=\"metered\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_opens_total{service=\"metered\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_http_throttles_total{service=\"metered\",reason=\"quota\"} "
                              "0\n"));
}

TEST_F(MetricsTest, BreakerStateIsOneForTheCurrentStateOnly) {
  trip_flaky();
  const std::string text = scrape();
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_state{service=\"flaky\",state=\"open\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_state{service=\"flaky\",state=\"closed\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_state{service=\"flaky\",state=\"half_open\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_state{service=\"metered\",state=\"closed\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_breaker_state{service=\"metered\",state=\"open\"} 0\n"));
}

TEST_F(MetricsTest, QuotaRemainingAndLimitPerServiceWithADailyQuota) {
  client_.report_daily_remaining("metered", 7);
  const std::string text = scrape();
  EXPECT_THAT(text, HasSubstr("cardsync_quota_daily_limit{service=\"metered\"} 100\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_quota_remaining{service=\"metered\"} 7\n"));
  EXPECT_THAT(text, Not(HasSubstr("cardsync_quota_daily_limit{service=\"flaky\"}")));
  EXPECT_THAT(text, Not(HasSubstr("cardsync_quota_remaining{service=\"flaky\"}")));
}

TEST_F(MetricsTest, JobOutcomesAreCountedByServiceAndJobType) {
  queue_.enqueue(queue::NewJob{"metered.cards", "k1", "", "", {}, 0});
  stats_.job_events.add({pipeline::job_event::failed, "metered", "metered.sets"}, 2);
  stats_.job_events.add({pipeline::job_event::completed, "metered", "metered.sets"});
  stats_.job_events.add({pipeline::job_event::quarantined, "metered", "metered.sets"}, 5);
  const std::string text = scrape();
  EXPECT_THAT(text, HasSubstr("cardsync_jobs_failed_total{service=\"metered\",type=\"metered."
                              "sets\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_jobs_completed_total{service=\"metered\",type=\"metered."
                              "sets\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_quarantined_total{service=\"metered\",type=\"metered."
                              "sets\"} 5\n"));
  // A job type the queue holds is there at zero before its first outcome.
  EXPECT_THAT(text, HasSubstr("cardsync_jobs_failed_total{service=\"metered\",type=\"metered."
                              "cards\"} 0\n"));
}

TEST_F(MetricsTest, BuildInfoNamesTheVersionAndThePluginAbi) {
  const std::string abi =
      "abi=\"" + std::to_string(CS_ABI_MAJOR) + "." + std::to_string(CS_ABI_MINOR) + "\"";
  const std::regex build(R"(cardsync_build_info\{version="[0-9]+\.[0-9]+\.[0-9]+",)" + abi +
                         R"(\} 1\n)");
  EXPECT_TRUE(std::regex_search(scrape(), build));
}

TEST_F(MetricsTest, AdminRequestsHaveTheirOwnFamilyByRoutePattern) {
  (void)get("/healthz");
  (void)get("/api/v1/jobs/42");  // no token: 401, counted under its route's pattern
  (void)get("/api/v1/jobs/43");
  (void)get("/no/such/page");
  const std::string text = scrape();
  EXPECT_THAT(text, HasSubstr("cardsync_admin_requests_total{method=\"GET\",route=\"/healthz\","
                              "code=\"200\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_admin_requests_total{method=\"GET\",route=\"/api/v1/jobs/"
                              "{id:int}\",code=\"401\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("cardsync_admin_requests_total{method=\"GET\",route=\"unmatched\","
                              "code=\"404\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("/api/v1/jobs/42")));
  // Upstream attempts are the providers' alone.
  EXPECT_THAT(text, Not(HasSubstr("cardsync_http_requests_total{service=\"admin\"")));
}

TEST_F(MetricsTest, PromtoolAcceptsALiveScrape) {
  CARDSYNC_NEED_PROMTOOL();
  queue_.enqueue(queue::NewJob{"metered.cards", "k1", "", "", {}, 0});
  client_.report_daily_remaining("metered", 7);
  trip_flaky();
  (void)get("/api/v1/jobs/42");
  const auto r = promtool_check_metrics(scrape());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->exit_code, 0) << r->output;
  EXPECT_EQ(r->output, "") << "promtool reported problems";
}

}  // namespace
}  // namespace cardsync::admin::testing
