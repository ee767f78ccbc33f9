#pragma once
// A provider's lookups assembled in-process the way HostRuntime assembles them (the built
// SQLite plugin and the provider's plugin loaded through the plugin registry, the job queue,
// batch sink, libcurl transport and a resilient client configured from the provider section,
// the lookup service over it), against an in-process sandbox, all on one virtual clock:
// "eight days later" is clock.advance(), and /_sandbox/stats says how many requests reached
// the upstream. The provider is a parameter (LookupProviderCase): each provider's test file
// says which plugin, which config section and which lookup kind.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "http/curl_client.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "log/logger.hpp"
#include "log/memory_sink.hpp"
#include "lookup/lookup_service.hpp"
#include "pipeline/job_runner.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_registry.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "plugin/plugin_storage.hpp"
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

// One provider's lookup under test.
struct LookupProviderCase {
  std::filesystem::path plugin;  // the built provider plugin
  std::string kind;              // the lookup kind under test
  // The provider's section of a config file (providers.<name>) for a sandbox serving at
  // `base_url`, host-owned keys included (resilience, ttl_seconds, ..., and daily_quota for
  // a provider that declares one): the fixture gives the plugin the section without the
  // host's keys, configures the resilient client and the lookup's timing from it.
  std::function<std::string(const std::string& base_url)> section;
  // What this case needs of the sandbox beyond the smallest catalog (e.g. the upstream's own
  // daily quota). May be empty.
  std::function<void(sandbox::SandboxOptions&)> sandbox;
};

class LookupFixture : public ::testing::Test {
 protected:
  void TearDown() override;
  // Rebuilds everything (a new sandbox and database too) for `provider`.
  void start(const LookupProviderCase& provider);

  // Through the lookup service, as `cardsync lookup <provider> <input> --kind <kind>` asks;
  // a refusal fails the test.
  lookup::LookupAnswer lookup(const std::string& input);
  // Claims and runs every due job of the kind's job type the way a worker does; returns how
  // many ran.
  int run_due_jobs();
  // Jobs of the kind's job type in `state`.
  std::int64_t jobs_in_state(sdk::JobState state);
  // The parts a worker of this host would run with (a worker's call deadline).
  pipeline::PipelineParts worker_parts();

  const std::string& provider_name() const { return name_; }
  const plugin::LookupKind& kind() const { return kind_; }

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
  std::unique_ptr<lookup::LookupService> service_;

 private:
  std::string name_;
  plugin::LookupKind kind_;
};

}  // namespace cardsync::integration
