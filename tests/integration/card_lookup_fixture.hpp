#pragma once
// A card lookup of one provider through the host's generic lookup path (lookup::LookupService
// over the fetch-through cache), assembled in-process the way HostRuntime assembles it: the
// built SQLite plugin and the provider's plugin loaded through the plugin registry, the job
// queue, batch sink, libcurl transport and resilient client, against an in-process sandbox,
// all on one virtual clock. "A day later" is clock_.advance(); /_sandbox/stats says how many
// requests reached the upstream. The suite never names a provider: a CardLookupSubject says
// everything provider-specific.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "http/curl_client.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "log/logger.hpp"
#include "lookup/lookup_service.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_registry.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "plugin/plugin_storage.hpp"
#include "resilience/resilient_client.hpp"
#include "sandbox/sandbox.hpp"
#include "time/clock.hpp"

namespace cardsync::integration {

// A card the sandbox serves, as the lookup and the storage know it.
struct KnownCard {
  std::string input;       // as a person types it (not yet canonical)
  std::string key;         // the lookup's canonical key
  std::string record_key;  // the key of its card record, as the catalog sync stores it
  std::string name;
  std::size_t variants = 0;  // variant records the upstream serves for it
  // A job of the catalog sync that stores this card with its set.
  std::string sync_job_type, sync_job_key, sync_job_payload;
};

struct CardLookupSubject {
  std::string provider;  // the plugin: cardsync-provider-<provider>.so (CARDSYNC_PLUGIN_DIR)
  std::string route;     // the stats label of the lookup's request: "GET /v1/cards"
  std::function<void(sandbox::SandboxOptions&)> shape;
  // The providers.<provider> section for the sandbox root "http://127.0.0.1:<port>".
  std::function<std::string(const std::string& sandbox_root)> config;
  // The i-th distinct card the sandbox serves (i < 3).
  std::function<KnownCard(sandbox::Sandbox&, int i)> card;
  std::string unknown_key;                  // canonical, and not in the sandbox's catalog
  std::vector<std::string> invalid_inputs;  // not keys at all
};

// The batch sink's clock: virtual wall time (so what it stores is dated by the test's clock)
// with real steady time and sleeps, because the sink's idle flusher sleeps for a day at a
// time, which an auto-advancing clock would turn into days passing.
class WallOnlyClock final : public Clock {
 public:
  explicit WallOnlyClock(const Clock& wall) : wall_(wall) {}
  SteadyTime now() const override { return SystemClock::instance().now(); }
  WallTime wall() const override { return wall_.wall(); }
  bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) override {
    return SystemClock::instance().sleep_until(deadline, cancel);
  }

 private:
  const Clock& wall_;
};

struct CardLookupSetup {
  std::int64_t host_daily_quota = 0;  // the provider section's daily quota (0: none)
  int max_retries = 2;
};

class CardLookupTest : public ::testing::TestWithParam<CardLookupSubject> {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override;
  // Rebuilds everything (a new database too) with `setup`.
  void start(const CardLookupSetup& setup);

  lookup::LookupAnswer lookup(const std::string& input);
  KnownCard card(int i) { return GetParam().card(*sandbox_, i); }
  // Requests to the lookup's route / to any route of the sandbox so far.
  std::uint64_t lookup_requests() const;
  std::uint64_t all_requests() const;
  // Claims and runs every due lookup job the way a worker does; returns how many ran.
  int run_due_jobs();
  // Runs one job the way a worker does (a catalog sync job).
  void run_job(const std::string& type, const std::string& key, const std::string& payload);
  // The lookup's jobs in `state`.
  std::int64_t jobs_in_state(sdk::JobState state);
  // Stored records of `kind` (with `parent_key` when not empty).
  std::vector<queue::StoredRecordRow> records(cs_record_kind kind,
                                              const std::string& parent_key = "");
  // Opens the provider's circuit breaker as that many failed calls would.
  void open_breaker();
  const plugin::LookupKind& kind() const { return provider_->lookups().kinds().front(); }

  ManualClock clock_{true, Clock::WallTime{std::chrono::hours(24 * 365 * 56 + 10)}};
  WallOnlyClock sink_clock_{clock_};
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<SandboxControl> control_;
  std::unique_ptr<plugin::Registry> registry_;
  std::unique_ptr<log::Logger> logger_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<queue::BatchSink> sink_;
  std::unique_ptr<CurlClient> transport_;
  std::unique_ptr<ResilientClient> client_;
  pipeline::RunStats stats_;
  std::shared_ptr<plugin::ProviderRuntime> provider_;
  std::unique_ptr<lookup::LookupService> lookups_;

 private:
  pipeline::PipelineParts parts();
};

// Test names and failure messages show the provider, not the struct's bytes.
inline void PrintTo(const CardLookupSubject& subject, std::ostream* os) {
  *os << subject.provider;
}

// Every provider whose card lookup the suite runs.
std::vector<CardLookupSubject> card_lookup_subjects();

}  // namespace cardsync::integration
