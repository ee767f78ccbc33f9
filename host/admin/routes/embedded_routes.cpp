// The files compiled into the binary: the monitor page (no token, so a browser can load it
// before it has one) and the OpenAPI document of this API.
#include <boost/beast/http/field.hpp>

#include "admin/asset_table.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::embedded {
extern const std::string_view admin_openapi_json;
}

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

Reply asset(const Asset& a) {
  Reply r = make_reply(200, std::string(a.content), a.content_type);
  r.response.set(http::field::cache_control, "no-cache");
  if (a.name.ends_with(".html")) {
    // The page has no inline script, style or handler (its browser test enforces this
    // policy), so nothing beyond 'self' is allowed.
    r.response.set("Content-Security-Policy",
                   "default-src 'self'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'; object-src 'none'");
    r.response.set("X-Frame-Options", "DENY");
    r.response.set("Referrer-Policy", "no-referrer");
  }
  return r;
}

Reply openapi(AdminCall& /*call*/) {
  return json_reply(200, std::string(embedded::admin_openapi_json));
}

}  // namespace

std::vector<Route> embedded_routes(const RouteServices& /*s*/) {
  using http::verb;
  std::vector<Route> routes;
  // One literal route per file, so only the exact paths find_asset resolves are served.
  for (const Asset& a : all_assets()) {
    auto serve = [a](AdminCall& /*call*/) { return asset(a); };
    if (a.name == "index.html") {
      routes.push_back({verb::get, "/", Role::none, serve});
      routes.push_back({verb::get, "/index.html", Role::none, serve});
    }
    routes.push_back({verb::get, "/assets/" + std::string(a.name), Role::none, serve});
  }
  routes.push_back({verb::get, "/api/v1/openapi.json", Role::viewer, openapi});
  return routes;
}

}  // namespace cardsync::admin
