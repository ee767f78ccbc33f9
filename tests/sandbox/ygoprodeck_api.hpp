#pragma once
// The emulated YGOPRODeck API v7, mounted under /ygoprodeck/api/v7:
//   GET /cardsets.php                a bare JSON array of sets (no envelope, no paging)
//   GET /cardinfo.php?cardset=<set name>[&num=N&offset=O]
//                                    {"data":[card]} or, paged, {"data":[card],"meta":{...}}
// with the API's quirks (tests/sandbox/README.md): num and offset both or neither, meta's
// next_page (an absolute URL) and next_page_offset absent on the last page, every "nothing
// matched" or bad parameter a 400 {"error":"No card matching your query ..."}, and an
// optional per-second rate limit that blocks the client for a while once exceeded. The server
// applies the same fault flags as to every emulated API and counts the requests in
// /_sandbox/stats.
//
// Control route (never faulted, never counted): GET /_sandbox/truth/ygoprodeck[?items=1].

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "sandbox/fault_injector.hpp"
#include "sandbox/rate_window.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/upstream_api.hpp"
#include "sandbox/ygoprodeck_catalog.hpp"

namespace cardsync::sandbox {

struct YgoProDeckOptions {
  YgoProDeckShape shape;
  // Requests per second before the client is blocked (upstream: 20); 0: not enforced.
  std::uint32_t rate_limit = 0;
  // How long a client that went over the limit is answered 429 (upstream: an hour).
  std::chrono::seconds block{3600};
};

class YgoProDeckApi final : public UpstreamApi {
 public:
  // Everything referenced must outlive the API. Handlers are called concurrently.
  YgoProDeckApi(std::uint64_t seed, YgoProDeckOptions options, FaultInjector& faults,
                RequestStats& stats);

  std::string_view name() const override { return "ygoprodeck"; }
  std::string_view mount_path() const override { return "/ygoprodeck/api/v7"; }
  void add_routes(Router& router) override;
  // {"error": message}
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  // GET /_sandbox/truth/ygoprodeck.
  void add_control_routes(Router& router);

  const YgoProDeckOptions& options() const { return options_; }
  YgoProDeckCatalog& catalog() { return catalog_; }

 private:
  // The rate limit and the block it leads to; nullopt when admitted (and counted).
  std::optional<ApiResponse> admit();
  // The cards a cardinfo.php query names, in order; nullopt when its parameters are bad.
  std::optional<std::vector<std::uint64_t>> matching(const ApiRequest& req) const;
  ApiResponse cardsets(const ApiRequest& req);
  ApiResponse cardinfo(const ApiRequest& req);
  ApiResponse truth(const ApiRequest& req) const;

  YgoProDeckOptions options_;
  YgoProDeckCatalog catalog_;
  FaultInjector& faults_;
  RequestStats& stats_;
  RateWindow rate_;
  std::mutex block_mu_;
  std::optional<Clock::SteadyTime> blocked_until_;
};

}  // namespace cardsync::sandbox
