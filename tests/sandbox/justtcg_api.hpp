#pragma once
// The emulated JustTCG v1 API, mounted under /v1: GET /games, GET /sets, GET /cards and the
// POST /cards batch lookup, with upstream's key check, plan limits, usage metadata, error
// bodies and paging quirks (docs/upstream-apis.md; tests/sandbox/README.md says which
// reading the sandbox takes where upstream is ambiguous).

#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/catalog.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/justtcg_json.hpp"
#include "sandbox/justtcg_plan.hpp"
#include "sandbox/rate_window.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/upstream_api.hpp"
#include "sandbox/usage_meter.hpp"

namespace cardsync::sandbox {

struct JustTcgOptions {
  std::string api_key = "tcg_sandbox";
  JustTcgPlan plan = *find_justtcg_plan("enterprise");
  // Enforced requests per minute (429 RATE_LIMIT_EXCEEDED); 0: not enforced, and
  // _metadata.apiRateLimit reports the plan's figure.
  std::uint32_t rate_limit = 0;
  // Enforced daily / monthly requests (429 DAILY_LIMIT_EXCEEDED / REQUEST_LIMIT_EXCEEDED);
  // 0: not enforced, and _metadata reports the plan's figures.
  std::uint64_t daily_limit = 0;
  std::uint64_t monthly_limit = 0;
};

class JustTcgApi final : public UpstreamApi {
 public:
  // Everything referenced must outlive the API. Handlers are called concurrently.
  JustTcgApi(const Catalog& catalog, JustTcgOptions options, FaultInjector& faults,
             RequestStats& stats);

  std::string_view name() const override { return "justtcg"; }
  std::string_view mount_path() const override { return "/v1"; }
  void add_routes(Router& router) override;
  // {"error": message, "code": code}
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  const JustTcgOptions& options() const { return options_; }

 private:
  struct Paging {
    std::uint64_t offset = 0;
    std::uint32_t limit = 0;
  };
  // The key, then the per-minute limit, then the quotas, as upstream checks them. Returns
  // the rejection, or nullopt with `usage` filled in.
  std::optional<ApiResponse> admit(const ApiRequest& req, UsageSnapshot& usage);
  std::optional<ApiResponse> paging(const ApiRequest& req, Paging& out) const;
  ApiResponse validation_error(std::string_view message, const UsageSnapshot& usage) const;
  void write_metadata(JsonWriter& w, const UsageSnapshot& usage) const;

  ApiResponse games(const ApiRequest& req);
  ApiResponse sets(const ApiRequest& req);
  ApiResponse cards(const ApiRequest& req);
  ApiResponse batch(const ApiRequest& req);

  const Catalog& catalog_;
  JustTcgOptions options_;
  FaultInjector& faults_;
  RequestStats& stats_;
  RateWindow rate_;
  UsageMeter usage_;
};

}  // namespace cardsync::sandbox
