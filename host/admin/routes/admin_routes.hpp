#pragma once
// Every route of the admin server, grouped by resource (one file each in this directory);
// admin_routes() is the one table AdminApi dispatches on. Outside /api/v1 the routes need
// no token (role none); under it, viewer reads and operator changes.

#include <vector>

#include "admin/route_table.hpp"
#include "admin/routes/route_services.hpp"

namespace cardsync::admin {

// /healthz, /readyz, /metrics.
std::vector<Route> health_routes(const RouteServices& s);
// The monitor page's files ("/", "/index.html", "/assets/<name>") and the OpenAPI document.
std::vector<Route> embedded_routes(const RouteServices& s);
// Queue counts, jobs, one job, retries, the failed jobs as CSV.
std::vector<Route> queue_routes(const RouteServices& s);
// Quarantined items, as JSON pages and as CSV.
std::vector<Route> quarantine_routes(const RouteServices& s);
// Stored log lines.
std::vector<Route> logs_routes(const RouteServices& s);
// The live event stream: queue stats and new log lines as server-sent events.
std::vector<Route> events_routes(const RouteServices& s);
// Records written per minute, breakers with pacing and quota per service.
std::vector<Route> stats_routes(const RouteServices& s);
// Enqueueing a provider's sync.
std::vector<Route> syncs_routes(const RouteServices& s);
// Lookups answered through a provider's cache.
std::vector<Route> lookup_routes(const RouteServices& s);

RouteTable admin_routes(const RouteServices& s);

}  // namespace cardsync::admin
