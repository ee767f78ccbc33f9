// Lookups: every provider's declared lookups through the host's lookup service, at
// /api/v1/lookup/{provider}/{key} and, for each one, under the provider's own name
// (/api/v1/<provider>/<kind>s/{key}).
//
// What the cache holds is answered at once, on the I/O thread, to any viewer. An item it
// does not hold must be fetched, which spends the upstream's quota: the caller's role and
// budget decide whether it may (lookup_budget.hpp; 403 or 429 otherwise, nothing queued),
// and the fetch runs on the server's pool for blocking work, never on an I/O thread (503
// `busy` at once when that pool is full), answering within the lookup's one deadline.
#include <boost/beast/http/field.hpp>
#include <chrono>

#include "admin/lookup_reply.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

std::vector<lookup::LookupService::ProviderLookupInfo> catalog_of(const RouteServices& s) {
  if (!s.ctx.lookup_catalog) return {};
  return s.ctx.lookup_catalog();
}

Reply answer_reply(const std::variant<lookup::LookupAnswer, lookup::LookupRefusal>& result,
                   std::string_view request_id) {
  LookupReply reply = lookup_reply(result, request_id);
  return json_reply(reply.status, std::move(reply.json));
}

std::string describe(const lookup::LookupMiss& miss) {
  return miss.provider + " " + miss.kind + " " + miss.key;
}

// A miss the caller may not fetch: the reason, and nothing spent or queued.
std::optional<Reply> refuse_fetch(const RouteServices& s, const AdminCall& call,
                                  const lookup::LookupMiss& miss) {
  switch (s.lookup_budget.spend(call.role, call.subject)) {
    case LookupBudget::Verdict::allowed:
      return std::nullopt;
    case LookupBudget::Verdict::operator_only:
      return error_reply(call, 403, "forbidden",
                         describe(miss) +
                             " is not cached; fetching it spends the upstream's quota, which "
                             "needs the operator role (admin.viewer_fetches_per_day is 0)");
    case LookupBudget::Verdict::spent: {
      const auto renews = s.lookup_budget.renews_at();
      const auto wait =
          std::chrono::ceil<std::chrono::seconds>(renews - s.ctx.clock.wall()).count();
      Reply r = error_reply(call, 429, "fetch_budget_spent",
                            describe(miss) + " is not cached, and this token's " +
                                std::to_string(s.lookup_budget.per_day()) +
                                " fetches for today (admin.viewer_fetches_per_day) are used; "
                                "cached items are still answered; it renews at 00:00 UTC");
      r.response.set(http::field::retry_after, std::to_string(std::max<int64_t>(1, wait)));
      return r;
    }
  }
  return std::nullopt;
}

Reply lookup(const RouteServices& s, AdminCall& call, std::string_view provider,
             std::string_view kind) {
  const auto decoded = url_decode(call.path_params.get("key"));
  if (!decoded) return error_reply(call, 400, "invalid_parameter", "malformed key");
  if (!s.ctx.lookup_cached || !s.ctx.lookup_fetch) {
    return error_reply(call, 503, "unavailable", "this process serves no lookups");
  }
  auto cached = s.ctx.lookup_cached(provider, kind, *decoded, call.request_id);
  if (auto* refusal = std::get_if<lookup::LookupRefusal>(&cached)) {
    return answer_reply(std::move(*refusal), call.request_id);
  }
  if (auto* answer = std::get_if<lookup::LookupAnswer>(&cached)) {
    return answer_reply(std::move(*answer), call.request_id);
  }
  auto miss = std::get<lookup::LookupMiss>(std::move(cached));
  if (auto refused = refuse_fetch(s, call, miss)) return std::move(*refused);

  Reply r;
  r.blocking = std::make_shared<BlockingReply>();
  r.blocking->run = [s, miss, request_id = call.request_id, asked_at = s.ctx.clock.now()] {
    return answer_reply(s.ctx.lookup_fetch(miss, request_id, asked_at), request_id);
  };
  r.blocking->refused = [s, miss, role = call.role, subject = call.subject,
                         request_id = call.request_id] {
    s.lookup_budget.refund(role, subject);
    Reply busy = json_reply(
        503, error_body("busy",
                        "too many lookups are waiting for upstreams (admin.max_queued_lookups); " +
                            describe(miss) + " was not fetched; ask again shortly",
                        request_id));
    busy.response.set(http::field::retry_after, "1");
    return busy;
  };
  return r;
}

}  // namespace

std::vector<Route> lookup_routes(const RouteServices& s) {
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
