#pragma once
// Everything the admin API reads and drives, as references and hooks, so `cardsync serve`
// wires the real host pieces and tests wire what they need. Optional parts may be null or
// empty; the endpoints that need them then answer 503 "unavailable".

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "admin/log_broadcast.hpp"
#include "admin/records_per_minute.hpp"
#include "log/logger.hpp"
#include "lookup/lookup_service.hpp"
#include "pipeline/run_stats.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "queue/storage.hpp"
#include "resilience/resilient_client.hpp"
#include "schedule/planned_sync.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

struct AdminContext {
  AdminContext(queue::Storage& s, queue::JobQueue& q, Clock& c, log::Logger& l)
      : storage(s), queue(q), clock(c), logger(l) {}

  queue::Storage& storage;
  queue::JobQueue& queue;
  Clock& clock;
  log::Logger& logger;

  pipeline::RunStats* run_stats = nullptr;
  ResilientClient* client = nullptr;
  std::function<queue::BatchSink::Stats()> sink_stats;
  std::function<int64_t()> log_drops;
  // Plugins loaded (providers + storage), for /readyz.
  std::function<int()> plugins_loaded;
  // Plans a sync of the named provider with `spec` (JSON text, may be empty); nullopt when no
  // such provider is configured.
  std::function<std::optional<schedule::PlannedSync>(std::string_view provider,
                                                     std::string_view spec)>
      plan_sync;
  // Every provider's lookups (GET /api/v1/lookup...): what can be looked up (read once, when
  // the routes are built) and the lookup itself in its two halves (LookupService::from_cache
  // and fetch; thread-safe): the cache's answer, spending nothing, and the fetch of a miss,
  // which waits on the upstream until the lookup's deadline counted from `asked_at`. Unset:
  // no lookups are served.
  std::function<std::vector<lookup::LookupService::ProviderLookupInfo>()> lookup_catalog;
  std::function<lookup::CachedLookup(std::string_view provider, std::string_view kind,
                                     std::string_view key, std::string_view request_id)>
      lookup_cached;
  std::function<lookup::LookupAnswer(const lookup::LookupMiss& miss, std::string_view request_id,
                                     Clock::SteadyTime asked_at)>
      lookup_fetch;
  std::shared_ptr<LogBroadcast> log_broadcast;
  std::shared_ptr<RecordsPerMinute> records_per_minute;
  // Called after this process enqueued or requeued jobs (wakes idle workers).
  std::function<void()> on_new_jobs;
};

}  // namespace cardsync::admin
