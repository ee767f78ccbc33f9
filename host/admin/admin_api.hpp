#pragma once
// The admin server's front (docs/admin-api.md; the OpenAPI document is served at
// /api/v1/openapi.json): request ids, CORS, bearer auth, then the route table
// (routes/admin_routes.hpp) decides which handler answers, or 404 / 405 / 403. Network-free:
// HttpServer carries the bytes.

#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_call.hpp"
#include "admin/admin_context.hpp"
#include "admin/admin_options.hpp"
#include "admin/cors_policy.hpp"
#include "admin/cross_site_guard.hpp"
#include "admin/http_exchange.hpp"
#include "admin/jwt_verifier.hpp"
#include "admin/lookup_budget.hpp"
#include "admin/queue_stats.hpp"
#include "admin/route_table.hpp"
#include "admin/routes/route_services.hpp"
#include "pipeline/labelled_counters.hpp"

namespace cardsync::admin {

class AdminApi final : public RequestHandler {
 public:
  // `options` must have passed check_admin_options. `context`'s parts must outlive the API.
  AdminApi(const AdminOptions& options, AdminContext context);
  AdminApi(const AdminApi&) = delete;
  AdminApi& operator=(const AdminApi&) = delete;

  Reply handle(const HttpRequest& request) noexcept override;
  HttpResponse refuse(const HttpRequest& head, unsigned status, std::string_view code,
                      std::string_view message) noexcept override;

  // The queue/stats JSON (also the event stream's `stats` event), at most a second old.
  std::string queue_stats_json();
  // Prometheus text exposition of the host's counters.
  std::string metrics_text();

 private:
  // What finishing a reply needs of its request, kept for a reply that is computed later.
  struct Finish {
    boost::beast::http::verb method;
    std::string request_id;
    std::string origin;
    std::string path;
    std::string route;
    Clock::SteadyTime started;
  };
  Reply dispatch(AdminCall& call);
  // The request id, CORS and security headers, the debug line and the request count.
  void complete(Reply& reply, const Finish& finish);
  // A blocking reply whose answer (or refusal) is completed when it is made.
  Reply later(const std::shared_ptr<BlockingReply>& inner, Finish finish);
  Reply failed(const HttpRequest& req, std::string request_id, const char* what) noexcept;
  // Under /api/v1, before any route is looked up: the CORS preflight, the bearer token and
  // the query string. A reply when the call stops here.
  std::optional<Reply> admit_api_call(AdminCall& call);
  // Counts a response in cardsync_admin_requests_total: by route pattern, not path, so ids in
  // paths do not make a series each.
  void count_request(boost::beast::http::verb method, std::string_view path, std::string_view route,
                     unsigned status);

  const AdminOptions options_;
  AdminContext ctx_;
  CorsPolicy cors_;
  CrossSiteGuard cross_site_;
  JwtVerifier verifier_;
  QueueStats queue_stats_;
  LookupBudget lookup_budget_;
  pipeline::LabelledCounters requests_;
  RouteServices services_;
  RouteTable routes_;
};

}  // namespace cardsync::admin
