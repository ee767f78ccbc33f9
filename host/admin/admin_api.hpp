#pragma once
// The admin server's routes (docs/admin-api.md; the OpenAPI document is served at
// /api/v1/openapi.json): request ids, CORS, bearer auth and roles, then one handler per
// endpoint over the host's queue, storage, resilience and logs. Network-free: HttpServer
// carries the bytes.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "admin/admin_context.hpp"
#include "admin/admin_options.hpp"
#include "admin/cors_policy.hpp"
#include "admin/http_exchange.hpp"
#include "admin/jwt_verifier.hpp"

namespace cardsync::admin {

class AdminApi final : public RequestHandler {
 public:
  // `options` must have passed check_admin_options. `context`'s parts must outlive the API.
  AdminApi(const AdminOptions& options, AdminContext context);

  Reply handle(const HttpRequest& request) noexcept override;
  HttpResponse refuse(const HttpRequest& head, unsigned status, std::string_view code,
                      std::string_view message) noexcept override;

  // The queue/stats JSON (also the event stream's `stats` event). Computed at most once per
  // second (by the injected clock) however many clients ask: the grouped count over the whole
  // queue is the expensive part, and a monitor needs no fresher figures.
  std::string queue_stats_json();
  // Prometheus text exposition of the host's counters.
  std::string metrics_text();

 private:
  struct Call;
  Reply route(Call& call);
  Reply api(Call& call);

  Reply healthz(Call& call);
  Reply readyz(Call& call);
  Reply metrics(Call& call);
  Reply asset(Call& call);
  Reply queue_stats(Call& call);
  Reply list_jobs(Call& call);
  Reply get_job(Call& call, int64_t id);
  Reply retry_job(Call& call, int64_t id);
  Reply retry_failed(Call& call);
  Reply failed_csv(Call& call);
  Reply quarantine(Call& call);
  Reply quarantine_csv(Call& call);
  Reply logs(Call& call);
  Reply breakers(Call& call);
  Reply enqueue_sync(Call& call);
  Reply cert(Call& call, std::string_view cert);
  Reply records_per_minute(Call& call);
  Reply events(Call& call);
  Reply openapi(Call& call);

  std::string compute_queue_stats();

  const AdminOptions options_;
  AdminContext ctx_;
  CorsPolicy cors_;
  JwtVerifier verifier_;

  std::mutex stats_mu_;  // held while computing, so a burst of requests queries once
  std::string stats_cache_;
  Clock::SteadyTime stats_at_{};
};

}  // namespace cardsync::admin
