// The host's URL scope guard at work in the pipeline: a provider (tests/plugins/link, which
// follows whatever links its jobs name, API key attached) run by the JobRunner with the built
// SQLite storage, the libcurl transport and the resilient client, against two local servers:
// the provider's own origin and a stranger that counts every connection.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "http/curl_client.hpp"
#include "http/url_scope.hpp"
#include "local_http_server.hpp"
#include "log/logger.hpp"
#include "log/memory_sink.hpp"
#include "pipeline/job_runner.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "plugin/provider_runtime.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "resilience/random_source.hpp"
#include "resilience/resilient_client.hpp"
#include "time/clock.hpp"

namespace cardsync::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "tcg_the_shops_secret_key";

class UrlScopeGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("cardsync-url-scope-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);

    registry_ = std::make_unique<plugin::Registry>(
        std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    auto sqlite = registry_->load_file(CARDSYNC_SQLITE_PLUGIN);
    link_ = registry_->load_file(CARDSYNC_LINK_PLUGIN);

    logger_ = std::make_unique<log::Logger>(clock_, log::Level::debug);
    logger_->add_sink(log_sink_);
    storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
        plugin::Instance::create(sqlite, R"({"path":")" + (dir_ / "db.sqlite").string() + "\"}")));
    storage_->migrate();
    queue_ = std::make_unique<queue::JobQueue>(*storage_, clock_);
    // The sink only flushes on its own timing; the test flushes explicitly.
    sink_ = std::make_unique<queue::BatchSink>(*storage_, *queue_, SystemClock::instance());
    transport_ = std::make_unique<CurlClient>(clock_);
    client_ = std::make_unique<ResilientClient>(*transport_, clock_, SystemRandom::instance());
    ResilienceOptions options;
    options.retry.max_retries = 0;
    options.breaker.consecutive_failures = 1;  // one counted failure would open it
    client_->configure("link", options);
  }

  void TearDown() override {
    if (sink_) sink_->stop();
    sink_.reset();
    queue_.reset();
    storage_.reset();
    fs::remove_all(dir_);
  }

  // The link provider with its API key; `base_url` becomes its URL scope, as HostRuntime
  // does with the base_url of a provider's config section.
  std::shared_ptr<plugin::ProviderRuntime> provider(const std::optional<std::string>& base_url) {
    std::optional<UrlScope> scope;
    if (base_url) scope.emplace(*base_url);
    return std::make_shared<plugin::ProviderRuntime>(
        plugin::Instance::create(link_, std::string(R"({"api_key":")") + kApiKey + "\"}"),
        std::move(scope));
  }

  // Enqueues a link.follow job, runs it the way a worker does and returns its row after.
  queue::StoredJob run(plugin::ProviderRuntime& p, const std::string& payload) {
    queue::NewJob job;
    job.type = "link.follow";
    job.key = "job-" + std::to_string(++jobs_);
    job.payload = payload;
    job.request_id = "req-" + std::to_string(jobs_);
    const auto id = queue_->enqueue(job).id;
    auto claimed = queue_->claim(1, {"link.follow"});
    EXPECT_EQ(claimed.size(), 1U);
    if (claimed.empty()) return {};
    PipelineParts parts{*storage_, *queue_, *sink_, *client_, clock_, *logger_, stats_, {}, {}};
    parts.call_deadline = std::chrono::minutes(2);  // a worker's (pipeline.call_deadline_seconds)
    JobRunner runner(parts);
    runner.run(p, std::move(claimed.front()), CancellationToken());
    sink_->flush();
    return queue_->find(id).value_or(queue::StoredJob{});
  }

  static std::string links(const std::string& start, const std::string& next = {}) {
    std::string out = R"({"start":[)" + start + "]";
    if (!next.empty()) out += R"(,"next":")" + next + "\"";
    return out + "}";
  }
  static std::string quoted(const std::string& s) { return "\"" + s + "\""; }
  // The link provider's count of `event` for its one job type, as /metrics shows it.
  int64_t link_jobs(std::string_view event) const {
    for (const auto& e : stats_.job_events.snapshot()) {
      if (e.labels == std::vector<std::string>{std::string(event), "link", "link.follow"}) {
        return e.count;
      }
    }
    return 0;
  }

  std::optional<log::Record> error_line(const std::string& request_id) const {
    for (const auto& r : log_sink_->records()) {
      if (r.level == log::Level::error && r.request_id == request_id) return r;
    }
    return std::nullopt;
  }
  bool logged_anywhere(const std::string& text) const {
    for (const auto& r : log_sink_->records()) {
      if (r.message.find(text) != std::string::npos) return true;
      for (const auto& f : r.fields) {
        if (const auto* s = std::get_if<std::string>(&f.value);
            s != nullptr && s->find(text) != std::string::npos) {
          return true;
        }
      }
    }
    return false;
  }

  cardsync::testing::LocalHttpServer home_;
  cardsync::testing::LocalHttpServer stranger_;
  ManualClock clock_{true, Clock::WallTime{std::chrono::hours(24 * 365 * 56)}};
  fs::path dir_;
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<const plugin::Library> link_;
  std::shared_ptr<log::MemorySink> log_sink_ = std::make_shared<log::MemorySink>();
  std::unique_ptr<log::Logger> logger_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<queue::BatchSink> sink_;
  std::unique_ptr<CurlClient> transport_;
  std::unique_ptr<ResilientClient> client_;
  RunStats stats_;
  int jobs_ = 0;
};

TEST_F(UrlScopeGuard, AForeignNextPageLinkIsNeverSent) {
  auto p = provider(home_.url(""));
  const std::string stolen = stranger_.url("/steal");
  const auto job = run(*p, links(quoted(home_.url("/ok")), stolen + "?api_key=" + kApiKey));

  // The first page went to the provider's own origin; the link to the stranger did not go
  // anywhere, so its API key never left.
  EXPECT_EQ(home_.requests_received(), 1);
  EXPECT_EQ(stranger_.connections_accepted(), 0);
  EXPECT_EQ(stranger_.requests_received(), 0);

  // Failed for good at once: no retry would do better.
  EXPECT_EQ(job.state, sdk::JobState::failed);
  EXPECT_EQ(job.attempts, 1);
  ASSERT_EQ(job.errors.size(), 1U);
  EXPECT_EQ(job.errors.back().message, "provider 'link' asked for " + stolen +
                                           ", which is outside its base_url " + home_.url("") +
                                           "; refused without sending it");
  // Nothing from the answer that carried the link is stored either.
  EXPECT_EQ(stats_.records_emitted.load(), 0);
  EXPECT_EQ(stats_.jobs_failed.load(), 1);
  EXPECT_EQ(link_jobs(job_event::started), 1);
  EXPECT_EQ(link_jobs(job_event::failed), 1);
  EXPECT_EQ(link_jobs(job_event::completed), 0);

  const auto line = error_line("req-1");
  ASSERT_TRUE(line.has_value()) << "no error line with the job's request id";
  EXPECT_NE(line->message.find("outside the provider's base_url"), std::string::npos);
  EXPECT_NE(std::find(line->fields.begin(), line->fields.end(), log::Field("url", stolen)),
            line->fields.end());
  EXPECT_NE(
      std::find(line->fields.begin(), line->fields.end(), log::Field("base_url", home_.url(""))),
      line->fields.end());
  EXPECT_FALSE(logged_anywhere(kApiKey));
}

TEST_F(UrlScopeGuard, NoRequestOfAPageWithARefusedOneIsSent) {
  auto p = provider(home_.url(""));
  const auto job = run(*p, links(quoted(home_.url("/ok")) + "," + quoted(stranger_.url("/steal"))));

  EXPECT_EQ(home_.requests_received(), 0);
  EXPECT_EQ(stranger_.connections_accepted(), 0);
  EXPECT_EQ(job.state, sdk::JobState::failed);
}

TEST_F(UrlScopeGuard, RequestsOutsideTheBasePathAreRefused) {
  auto p = provider(home_.url("/v1"));
  const auto job = run(*p, links(quoted(home_.url("/ok"))));

  EXPECT_EQ(home_.requests_received(), 0);
  EXPECT_EQ(job.state, sdk::JobState::failed);
  ASSERT_FALSE(job.errors.empty());
  EXPECT_EQ(job.errors.back().message, "provider 'link' asked for " + home_.url("/ok") +
                                           ", which is outside its base_url " + home_.url("/v1") +
                                           "; refused without sending it");
}

TEST_F(UrlScopeGuard, LinksWithinTheScopeAreFollowed) {
  auto p = provider(home_.url("/"));
  const auto job = run(*p, links(quoted(home_.url("/ok")), home_.url("/echo")));

  EXPECT_EQ(home_.requests_received(), 2);
  EXPECT_EQ(job.state, sdk::JobState::done);
  EXPECT_EQ(stats_.records_emitted.load(), 2);
  EXPECT_EQ(link_jobs(job_event::completed), 1);
  EXPECT_EQ(link_jobs(job_event::records_emitted), 2);
  EXPECT_EQ(link_jobs(job_event::failed), 0);
}

TEST_F(UrlScopeGuard, ARefusalIsNotAnUpstreamFailure) {
  auto p = provider(home_.url(""));
  EXPECT_EQ(run(*p, links(quoted(stranger_.url("/steal")))).state, sdk::JobState::failed);

  // The breaker opens after one counted failure: it counted none.
  if (const auto* breaker = client_->breakers().find("link")) {
    const auto s = breaker->snapshot();
    EXPECT_EQ(s.state, BreakerState::closed);
    EXPECT_EQ(s.consecutive_failures, 0);
    EXPECT_EQ(s.window_calls, 0);
  }
  EXPECT_EQ(run(*p, links(quoted(home_.url("/ok")))).state, sdk::JobState::done);
  EXPECT_EQ(home_.requests_received(), 1);
}

TEST_F(UrlScopeGuard, WithoutABaseUrlEveryUrlIsSentAsBefore) {
  auto p = provider(std::nullopt);
  const auto job = run(*p, links(quoted(stranger_.url("/ok"))));

  EXPECT_EQ(stranger_.requests_received(), 1);
  EXPECT_EQ(job.state, sdk::JobState::done);
}

}  // namespace
}  // namespace cardsync::pipeline
