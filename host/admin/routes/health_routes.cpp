// /healthz, /readyz and /metrics: for probes and scrapers, so no token (a scrape may be asked
// for one with admin.metrics_require_auth). /readyz and /metrics read the queue's cached
// counts (queue_stats.hpp): however often they are asked, the storage is asked once a second.
#include <rapidjson/stringbuffer.h>

#include <boost/beast/http/field.hpp>

#include "admin/json_writer.hpp"
#include "admin/metrics_exposition.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

Reply healthz(AdminCall& /*call*/) {
  return json_reply(200, R"({"status":"ok"})");
}

Reply readyz(const RouteServices& s, AdminCall& /*call*/) {
  // The cached counts: a probe (or a flood of them) never runs the grouped count itself.
  const auto counts = s.queue_stats.counts();
  const bool ready = counts->ok();
  const std::string storage = ready ? "ok" : "error: " + redact_text(counts->error);
  const int plugins = s.ctx.plugins_loaded ? s.ctx.plugins_loaded() : 0;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "status");
  write_string(w, ready ? "ready" : "not_ready");
  write_key(w, "storage");
  write_string(w, storage);
  write_key(w, "plugins");
  w.Int(plugins);
  w.EndObject();
  return json_reply(ready ? 200 : 503, json_text(buf));
}

Reply metrics(const RouteServices& s, AdminCall& call) {
  if (s.options.metrics_require_auth && s.options.auth.enabled) {
    const auto header = to_std(call.req[http::field::authorization]);
    const bool bearer = header.size() > 7 && header.substr(0, 7) == "Bearer ";
    if (!bearer || !s.verifier.verify(std::string_view(header.data() + 7, header.size() - 7)).ok) {
      Reply r = error_reply(call, 401, "unauthorized", "/metrics needs a bearer token");
      r.response.set(http::field::www_authenticate, "Bearer");
      return r;
    }
  }
  return make_reply(200, metrics_exposition(s.ctx, s.admin_requests, *s.queue_stats.counts()),
                    "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace

std::vector<Route> health_routes(const RouteServices& s) {
  using http::verb;
  return {
      {verb::get, "/healthz", Role::none, healthz},
      {verb::get, "/readyz", Role::none, [s](AdminCall& c) { return readyz(s, c); }},
      {verb::get, "/metrics", Role::none, [s](AdminCall& c) { return metrics(s, c); }},
  };
}

}  // namespace cardsync::admin
