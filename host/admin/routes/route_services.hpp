#pragma once
// What the route handlers read and drive: the host's pieces (the context), the server's
// options, the token verifier (for /metrics when it asks for a token), the cached queue
// stats and the server's own request counts. All owned by AdminApi, which outlives every handler it
// calls.

#include "admin/admin_context.hpp"
#include "admin/admin_options.hpp"
#include "admin/jwt_verifier.hpp"
#include "admin/queue_stats.hpp"
#include "pipeline/labelled_counters.hpp"

namespace cardsync::admin {

struct RouteServices {
  AdminContext& ctx;
  const AdminOptions& options;
  const JwtVerifier& verifier;
  QueueStats& queue_stats;
  const pipeline::LabelledCounters& admin_requests;  // {method, route, code}, for /metrics
};

}  // namespace cardsync::admin
