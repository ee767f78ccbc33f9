#pragma once
// What the route handlers read and drive: the host's pieces (the context), the server's
// options, the token verifier (for /metrics when it asks for a token), the cached queue
// stats, the server's own request counts and the viewers' lookup budget. All owned by
// AdminApi, which outlives every handler it calls.

#include "admin/admin_context.hpp"
#include "admin/admin_options.hpp"
#include "admin/jwt_verifier.hpp"
#include "admin/lookup_budget.hpp"
#include "admin/queue_stats.hpp"
#include "pipeline/labelled_counters.hpp"

namespace cardsync::admin {

struct RouteServices {
  AdminContext& ctx;
  const AdminOptions& options;
  const JwtVerifier& verifier;
  QueueStats& queue_stats;
  const pipeline::LabelledCounters& admin_requests;  // {method, route, code}, for /metrics
  LookupBudget& lookup_budget;                       // viewers' fetches of uncached items
};

}  // namespace cardsync::admin
