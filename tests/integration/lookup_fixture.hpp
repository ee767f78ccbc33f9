#pragma once
// One provider's lookups through the host (test::LookupHarness: the lookup service over the
// built SQLite plugin and the provider's plugin, the job queue, batch sink, libcurl and a
// resilient client configured from the provider section) against an in-process sandbox, all
// on one auto-advancing virtual clock: "eight days later" is clock_.advance(), and
// /_sandbox/stats says how many requests reached the upstream. The provider is data
// (LookupProviderCase): which plugin, which config section, which lookup kind, which sandbox.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "support/lookup_harness.hpp"

namespace cardsync::integration {

// One provider's lookup under test.
struct LookupProviderCase {
  std::filesystem::path plugin;  // the built provider plugin
  std::string kind;              // the lookup kind under test
  // The provider's section of a config file (providers.<name>) for a sandbox serving at
  // `base_url`, host-owned keys included (resilience, ttl_seconds, ..., and daily_quota for
  // a provider that declares one): the plugin gets the section without the host's keys; the
  // resilient client and the lookup's timing are configured from it.
  std::function<std::string(const std::string& base_url)> section;
  // What this case needs of the sandbox beyond the smallest catalog (another shape, the
  // upstream's own daily quota). May be empty.
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
  // Runs one job the way a worker does (a catalog sync job); a job that does not complete
  // fails the test.
  void run_job(const std::string& type, const std::string& key, const std::string& payload);
  // Jobs of the kind's job type in `state`.
  std::int64_t jobs_in_state(sdk::JobState state);
  // Stored records of `kind` (under `parent_key` when not empty).
  std::vector<queue::StoredRecordRow> records(cs_record_kind kind,
                                              const std::string& parent_key = "");
  // Opens the provider's circuit breaker as that many failed calls would.
  void open_breaker();
  // The parts a worker of this host would run with (a worker's call deadline).
  pipeline::PipelineParts worker_parts() { return harness_->parts(); }

  const std::string& provider_name() const { return name_; }
  const plugin::LookupKind& kind() const { return kind_; }

  ManualClock clock_{true, Clock::WallTime{std::chrono::hours(24 * 365 * 56 + 10)}};
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<test::LookupHarness> harness_;
  std::unique_ptr<SandboxControl> control_;
  std::shared_ptr<plugin::ProviderRuntime> provider_;

 private:
  std::string name_;
  plugin::LookupKind kind_;
};

}  // namespace cardsync::integration
