#pragma once
// The sandbox's own endpoints under /_sandbox (never faulted, never counted, no key):
// the truth a correct sync must reach, request statistics, and runtime knobs so a test can
// mutate prices, start an outage or change fault rates without restarting the server.

#include <functional>
#include <string>
#include <vector>

#include "sandbox/catalog.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/router.hpp"
#include "sandbox/truth.hpp"

namespace cardsync::sandbox {

// Another emulated upstream's catalog whose prices POST /_sandbox/mutate changes too.
struct MutableCatalog {
  std::string name;  // the key in the mutate answer's "apis"
  // (fraction, now in epoch seconds) -> how many prices changed
  std::function<std::uint64_t(double, std::int64_t)> mutate;
};

class ControlApi {
 public:
  // Everything referenced must outlive the routes.
  ControlApi(Catalog& catalog, FaultInjector& faults, RequestStats& stats, TruthCache& truth,
             std::vector<MutableCatalog> others = {});
  void add_routes(Router& router);

 private:
  ApiResponse truth(const ApiRequest& req);
  ApiResponse stats(const ApiRequest& req);
  ApiResponse reset_stats(const ApiRequest& req);
  ApiResponse mutate(const ApiRequest& req);
  ApiResponse outage(const ApiRequest& req);
  ApiResponse faults(const ApiRequest& req);
  ApiResponse config(const ApiRequest& req);

  Catalog& catalog_;
  FaultInjector& faults_;
  RequestStats& stats_;
  TruthCache& truth_;
  std::vector<MutableCatalog> others_;
};

// "seconds" / "date" / "none"
const char* retry_after_form_name(RetryAfterForm form);
std::optional<RetryAfterForm> parse_retry_after_form(std::string_view name);

}  // namespace cardsync::sandbox
