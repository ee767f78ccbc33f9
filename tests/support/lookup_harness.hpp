#pragma once
// The host's lookup path assembled in-process the way HostRuntime assembles it: the built
// SQLite plugin and provider plugins loaded through the plugin registry, the job queue, the
// batch sink, libcurl and a resilient client configured from each provider's section, and the
// lookup service over them; optionally an in-process sandbox as the upstream. Every lookup
// test and benchmark builds on this one assembly; what differs between them (the clock, the
// providers and their sections, the sandbox's shape) is a parameter.

#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/curl_client.hpp"
#include "log/logger.hpp"
#include "log/memory_sink.hpp"
#include "lookup/lookup_service.hpp"
#include "pipeline/job_runner.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "plugin/provider_runtime.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "resilience/resilient_client.hpp"
#include "sandbox/sandbox.hpp"
#include "support/wall_time_clock.hpp"
#include "time/clock.hpp"

namespace cardsync::test {

struct LookupHarnessOptions {
  std::filesystem::path storage_plugin;  // the built SQLite plugin
  std::filesystem::path database;        // its database file
  log::Level log_level = log::Level::warn;
  queue::QueueOptions queue;
};

class LookupHarness {
 public:
  // Everything runs on `host_clock` (which must outlive the harness) except the batch sink, which
  // takes only its wall time from it (WallTimeClock).
  LookupHarness(Clock& host_clock, const LookupHarnessOptions& options);
  ~LookupHarness();
  LookupHarness(const LookupHarness&) = delete;
  LookupHarness& operator=(const LookupHarness&) = delete;

  // Starts the upstream on the harness's clock; call it before adding the providers that
  // talk to it (their sections name its base_url()).
  void start_sandbox(const sandbox::SandboxOptions& options);
  std::string base_url() const { return sandbox->base_url(); }

  // Loads a provider from its section of a config file (providers.<name>), host-owned keys
  // included (resilience, schedule, daily_quota, ttl_seconds, ...): the plugin gets the
  // section without them, requests are scoped to its base_url, the resilient client is
  // configured from it, and the lookup service is timed by it.
  std::shared_ptr<plugin::ProviderRuntime> add_provider(const std::filesystem::path& plugin,
                                                        const std::string& section);
  // The lookup service over every provider added, timed by their sections, or by
  // `providers_json` (a config file's "providers" object) when given.
  lookup::LookupService& serve_lookups(const std::optional<std::string>& providers_json = {});

  // The parts a worker of this host runs with (a worker's call deadline; a lookup sets its own).
  pipeline::PipelineParts parts();
  // Claims and runs every due job of `job_type` the way a worker does; returns how many ran.
  int run_due_jobs(plugin::ProviderRuntime& provider, const std::string& job_type);
  // Enqueues one job and runs it (and any due job of its type) the way a worker does; returns
  // why it did not complete, or nothing.
  std::optional<std::string> run_job(plugin::ProviderRuntime& provider, const std::string& type,
                                     const std::string& key, const std::string& payload);
  // Jobs of `job_type` in `state`; all jobs.
  std::int64_t jobs_in_state(const std::string& job_type, sdk::JobState state);
  std::int64_t jobs();
  // Stored records of `kind` (under `parent_key` when not empty).
  std::vector<queue::StoredRecordRow> records(cs_record_kind kind,
                                              const std::string& parent_key = "");
  // Opens `service`'s circuit breaker as that many failed calls would.
  void open_breaker(std::string_view service_name);

  Clock& clock;
  WallTimeClock sink_clock;
  std::unique_ptr<sandbox::Sandbox> sandbox;
  std::unique_ptr<plugin::Registry> registry;
  std::shared_ptr<log::MemorySink> log_sink;
  std::unique_ptr<log::Logger> logger;
  std::unique_ptr<plugin::PluginStorage> storage;
  std::unique_ptr<queue::JobQueue> queue;
  std::unique_ptr<queue::BatchSink> sink;
  std::unique_ptr<CurlClient> transport;
  std::unique_ptr<ResilientClient> client;
  pipeline::RunStats stats;
  std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers;
  rapidjson::Document providers_config{rapidjson::kObjectType};  // "providers"
  std::unique_ptr<lookup::LookupService> service;
};

}  // namespace cardsync::test
