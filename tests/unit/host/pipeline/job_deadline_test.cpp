// One deadline for a whole job run (what a lookup waits on), in virtual time: the `link`
// test provider makes two calls in a row, over the resilience tests' fake transport (which
// takes its latency from the clock and honours each call's deadline), with the built SQLite
// storage. Each call gets only what is left of the one deadline, and a job with calls left
// when it passes is released for a worker, spending no attempt.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "fake_transport.hpp"
#include "log/logger.hpp"
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

class JobDeadline : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("cardsync-job-deadline-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    registry_ = std::make_unique<plugin::Registry>(
        std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    auto sqlite = registry_->load_file(CARDSYNC_SQLITE_PLUGIN);
    link_ = registry_->load_file(CARDSYNC_LINK_PLUGIN);
    storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
        plugin::Instance::create(sqlite, R"({"path":")" + (dir_ / "db.sqlite").string() + "\"}")));
    storage_->migrate();
    queue_ = std::make_unique<queue::JobQueue>(*storage_, clock_);
    sink_ = std::make_unique<queue::BatchSink>(*storage_, *queue_, SystemClock::instance());
    ResilienceOptions options;
    options.retry.max_retries = 0;
    client_.configure("link", options);
  }
  void TearDown() override {
    if (sink_) sink_->stop();
    sink_.reset();
    queue_.reset();
    storage_.reset();
    fs::remove_all(dir_);
  }

  // Runs a job that calls /1 and then /2, with a lookup's 5 s deadline; returns its row.
  queue::StoredJob run_with_deadline(Clock::SteadyTime deadline) {
    queue::NewJob job;
    job.type = "link.follow";
    job.key = "k";
    job.payload = R"({"start":["http://up.example/1"],"next":"http://up.example/2"})";
    const auto id = queue_->enqueue(job).id;
    auto claimed = queue_->claim(1, {"link.follow"});
    EXPECT_EQ(claimed.size(), 1U);
    if (claimed.empty()) return {};
    PipelineParts parts{*storage_, *queue_, *sink_, client_, clock_, logger_, stats_, {}, {}};
    parts.call_deadline = std::chrono::seconds(5);  // each call's own bound, as a lookup's
    auto provider = std::make_shared<plugin::ProviderRuntime>(plugin::Instance::create(link_, "{}"),
                                                              std::nullopt);
    JobRunner runner(parts);
    runner.run(*provider, std::move(claimed.front()), CancellationToken(), deadline);
    sink_->flush();
    return queue_->find(id).value_or(queue::StoredJob{});
  }

  ManualClock clock_{true};
  log::Logger logger_{clock_, log::Level::error};
  testing::FakeTransport transport_{clock_};
  ResilientClient client_{transport_, clock_, SystemRandom::instance()};
  RunStats stats_;
  fs::path dir_;
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<const plugin::Library> link_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<queue::BatchSink> sink_;
};

TEST_F(JobDeadline, EachCallGetsWhatIsLeftOfTheOneDeadline) {
  transport_.latency(std::chrono::seconds(4));
  const auto t0 = clock_.now();
  const auto deadline = t0 + std::chrono::seconds(5);
  (void)run_with_deadline(deadline);
  ASSERT_EQ(transport_.calls(), 2);
  EXPECT_EQ(transport_.deadlines()[0], deadline);
  // Not 4 s + its own 5 s: the second call is cut at the lookup's deadline.
  EXPECT_EQ(transport_.deadlines()[1], deadline);
  EXPECT_LE(clock_.now() - t0, std::chrono::seconds(5));
}

TEST_F(JobDeadline, AJobWithCallsLeftAtTheDeadlineIsReleasedForAWorker) {
  transport_.latency(std::chrono::seconds(5));
  const auto t0 = clock_.now();
  const auto row = run_with_deadline(t0 + std::chrono::seconds(5));
  EXPECT_EQ(transport_.calls(), 1);
  EXPECT_EQ(row.state, sdk::JobState::queued);
  EXPECT_LE(clock_.now() - t0, std::chrono::seconds(5));
}

}  // namespace
}  // namespace cardsync::pipeline
