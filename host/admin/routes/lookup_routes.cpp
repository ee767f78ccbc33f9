// Lookups: every provider's declared lookups through the host's lookup service, at
// /api/v1/lookup/{provider}/{key} and, for each one, under the provider's own name
// (/api/v1/<provider>/<kind>s/{key}).
#include "admin/lookup_reply.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {
namespace {

std::vector<lookup::LookupService::ProviderLookupInfo> catalog_of(const RouteServices& s) {
  if (!s.ctx.lookup_catalog) return {};
  return s.ctx.lookup_catalog();
}

Reply lookup(const RouteServices& s, AdminCall& call, std::string_view provider,
             std::string_view kind) {
  const auto decoded = url_decode(call.path_params.get("key"));
  if (!decoded) return error_reply(call, 400, "invalid_parameter", "malformed key");
  if (!s.ctx.lookup) {
    return error_reply(call, 503, "unavailable", "this process serves no lookups");
  }
  LookupReply reply =
      lookup_reply(s.ctx.lookup(provider, kind, *decoded, call.request_id), call.request_id);
  return json_reply(reply.status, std::move(reply.json));
}

}  // namespace

std::vector<Route> lookup_routes(const RouteServices& s) {
  namespace http = boost::beast::http;
  const auto catalog = catalog_of(s);
  std::vector<Route> routes = {
      {http::verb::get, "/api/v1/lookup", Role::viewer,
       [catalog](AdminCall&) { return json_reply(200, lookup_catalog_json(catalog)); }},
      {http::verb::get, "/api/v1/lookup/{provider}/{key}", Role::viewer,
       [s](AdminCall& c) {
         const auto provider = url_decode(c.path_params.get("provider"));
         if (!provider) return error_reply(c, 400, "invalid_parameter", "malformed provider");
         return lookup(s, c, *provider, c.query_param("kind").value_or(""));
       }},
  };
  for (const auto& info : catalog) {
    for (const auto& kind : info.kinds) {
      routes.push_back({http::verb::get, "/api/v1/" + info.provider + "/" + kind.name + "s/{key}",
                        Role::viewer,
                        [s, provider = info.provider, name = kind.name](AdminCall& c) {
                          return lookup(s, c, provider, name);
                        }});
    }
  }
  return routes;
}

}  // namespace cardsync::admin
