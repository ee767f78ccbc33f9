// Lookups the host answers through a provider's cache, by the hook the context carries.
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {
namespace {

Reply cert_lookup(const RouteServices& s, AdminCall& call) {
  const std::string_view cert = call.path_params.get("cert");
  if (!s.ctx.cert_lookup) {
    return error_reply(call, 503, "unavailable",
                       "cert lookups need the psa provider configured in this process");
  }
  const auto decoded = url_decode(cert);
  if (!decoded) return error_reply(call, 400, "invalid_parameter", "malformed cert number");
  CertReply answer = s.ctx.cert_lookup(*decoded, call.request_id);
  return json_reply(answer.status, std::move(answer.json));
}

}  // namespace

std::vector<Route> lookup_routes(const RouteServices& s) {
  return {
      {boost::beast::http::verb::get, "/api/v1/psa/certs/{cert}", Role::viewer,
       [s](AdminCall& c) { return cert_lookup(s, c); }},
  };
}

}  // namespace cardsync::admin
