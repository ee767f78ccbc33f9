#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {

RouteTable admin_routes(const RouteServices& s) {
  RouteTable table;
  for (auto* group : {health_routes, embedded_routes, queue_routes, quarantine_routes, logs_routes,
                      events_routes, stats_routes, syncs_routes, lookup_routes}) {
    for (auto& route : group(s)) table.add(std::move(route));
  }
  return table;
}

}  // namespace cardsync::admin
