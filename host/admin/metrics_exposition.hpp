#pragma once
// GET /metrics: the host's counters in the Prometheus text exposition format (version 0.0.4),
// every family with HELP and TYPE: the build, jobs by type and state, storage health, queue
// lag, records written, batch flushes, upstream HTTP attempts, retries, throttles and
// breaker opens by service, job outcomes by service and job type, breaker states, daily
// quotas, the admin server's own requests and dropped log lines. A family whose source is
// not wired in the context is left out. Service names are the configured provider instances
// (the host knows none by name). docs/admin-api.md lists the families.

#include <string>

#include "admin/admin_context.hpp"
#include "admin/queue_stats.hpp"
#include "pipeline/labelled_counters.hpp"

namespace cardsync::admin {

// `admin_requests`: this server's responses by {method, route, code}; `queue_counts`: the
// cached counts (queue_stats.hpp), so a scrape never runs the grouped count itself.
std::string metrics_exposition(const AdminContext& ctx,
                               const pipeline::LabelledCounters& admin_requests,
                               const QueueCounts& queue_counts);

}  // namespace cardsync::admin
