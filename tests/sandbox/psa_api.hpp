#pragma once
// The emulated PSA public API, mounted under /publicapi: GET cert/GetByCertNumber/{cert} and
// GET cert/GetImagesByCertNumber/{cert}, with PSA's quirks (docs/upstream-apis.md): "not
// found" is a 200, a bad or missing token is a 500 (not a 401), the daily call quota answers
// 429. The certs themselves are psa_certs.hpp. The server applies the same fault flags as to
// JustTCG and counts every PSA request in /_sandbox/stats under its route.
//
// Control route (never faulted, never counted): GET /_sandbox/truth/psa[?certs=a,b,...] says
// what a correct client must end with for each cert (and lists one example of each case).

#include <cstdint>
#include <string>

#include "sandbox/fault_injector.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/upstream_api.hpp"
#include "sandbox/usage_meter.hpp"

namespace cardsync::sandbox {

struct PsaOptions {
  std::string token = "psa_sandbox";
  // Calls per UTC day (both endpoints count) before PSA answers 429; 0: not enforced. The
  // free plan's 100 by default.
  std::uint64_t daily_quota = 100;
};

class PsaApi final : public UpstreamApi {
 public:
  // Everything referenced must outlive the API. Handlers are called concurrently.
  PsaApi(PsaOptions options, FaultInjector& faults);

  std::string_view name() const override { return "psa"; }
  std::string_view mount_path() const override { return "/publicapi"; }
  void add_routes(Router& router) override;
  // {"Message": message}, as PSA's ASP.NET error bodies.
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  // GET /_sandbox/truth/psa.
  void add_control_routes(Router& router);
  const PsaOptions& options() const { return options_; }

 private:
  // The token, then the quota, as PSA checks them; nullopt when admitted (and counted).
  std::optional<ApiResponse> admit(const ApiRequest& req);
  ApiResponse cert(const ApiRequest& req);
  ApiResponse images(const ApiRequest& req);
  ApiResponse truth(const ApiRequest& req) const;

  PsaOptions options_;
  UsageMeter usage_;
};

}  // namespace cardsync::sandbox
