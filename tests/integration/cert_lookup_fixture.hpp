#pragma once
// The host's cert lookup assembled in-process the way HostRuntime assembles it (the built
// SQLite and PSA plugins loaded through the plugin registry, the job queue, batch sink,
// libcurl transport and resilient client), against an in-process sandbox serving PSA, all on
// one virtual clock: "eight days later" is clock.advance(), and /_sandbox/stats says how
// many requests reached PSA.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "cache/cert_lookup.hpp"
#include "http/curl_client.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "log/logger.hpp"
#include "log/memory_sink.hpp"
#include "pipeline/job_runner.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "resilience/resilient_client.hpp"
#include "sandbox/sandbox.hpp"
#include "time/clock.hpp"

namespace cardsync::integration {

// The batch sink's clock: virtual wall time (so what it stores is dated by the test's clock)
// with real steady time and sleeps, because the sink's idle flusher sleeps for a day at a
// time, which an auto-advancing clock would turn into days passing.
class SinkClock final : public Clock {
 public:
  explicit SinkClock(const Clock& wall) : wall_(wall) {}
  SteadyTime now() const override { return SystemClock::instance().now(); }
  WallTime wall() const override { return wall_.wall(); }
  bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) override {
    return SystemClock::instance().sleep_until(deadline, cancel);
  }

 private:
  const Clock& wall_;
};

struct CertLookupSetup {
  std::int64_t host_daily_quota = 100;    // providers.psa.daily_quota
  std::uint64_t sandbox_daily_quota = 0;  // PSA's own 429 limit (0: off)
  std::string token = "psa_sandbox";
  int max_retries = 2;  // what config/cardsync.example.json recommends for PSA
};

class CertLookupTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override;
  // Rebuilds everything (a new database too) with `setup`.
  void start(const CertLookupSetup& setup);

  cache::CertAnswer lookup(const std::string& cert) { return lookup_->lookup(cert, "test"); }
  // PSA requests answered so far, per endpoint.
  std::uint64_t cert_requests() const;
  std::uint64_t image_requests() const;
  std::uint64_t psa_requests() const { return cert_requests() + image_requests(); }
  // Claims and runs every due psa.cert job the way a worker does; returns how many ran.
  int run_due_jobs();
  // psa.cert jobs per state name ("queued", "processing", "done", "failed").
  std::int64_t jobs_in_state(sdk::JobState state);

  ManualClock clock_{true, Clock::WallTime{std::chrono::hours(24 * 365 * 56 + 10)}};
  SinkClock sink_clock_{clock_};
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<SandboxControl> control_;
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<log::MemorySink> log_sink_;
  std::unique_ptr<log::Logger> logger_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<queue::BatchSink> sink_;
  std::unique_ptr<CurlClient> transport_;
  std::unique_ptr<ResilientClient> client_;
  pipeline::RunStats stats_;
  std::shared_ptr<plugin::ProviderRuntime> provider_;
  std::unique_ptr<cache::CertLookup> lookup_;
  cache::CertCacheOptions options_;
};

}  // namespace cardsync::integration
