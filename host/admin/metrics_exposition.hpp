#pragma once
// GET /metrics: the host's counters in the Prometheus text exposition format (version 0.0.4):
// jobs by type and state, storage health, queue lag, records written, batch flushes, upstream
// HTTP and job counters, breaker states and dropped log lines; each family only when its
// source is wired in the context.

#include <string>

#include "admin/admin_context.hpp"

namespace cardsync::admin {

std::string metrics_exposition(const AdminContext& ctx);

}  // namespace cardsync::admin
