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

#include "admin/log_broadcast.hpp"
#include "admin/records_per_minute.hpp"
#include "log/logger.hpp"
#include "pipeline/run_stats.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "queue/storage.hpp"
#include "resilience/resilient_client.hpp"
#include "schedule/planned_sync.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

// A cert lookup's answer as HTTP: the status code and the JSON body.
struct CertReply {
  unsigned status = 200;
  std::string json;
};

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
  // GET /api/v1/psa/certs/{cert}; unset: 503.
  std::function<CertReply(std::string_view cert, std::string_view request_id)> cert_lookup;
  std::shared_ptr<LogBroadcast> log_broadcast;
  std::shared_ptr<RecordsPerMinute> records_per_minute;
  // Called after this process enqueued or requeued jobs (wakes idle workers).
  std::function<void()> on_new_jobs;
};

}  // namespace cardsync::admin
