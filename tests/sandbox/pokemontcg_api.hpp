#pragma once
// The emulated Pokémon TCG API v2, mounted under /pokemontcg/v2:
//   GET /sets?page=&pageSize=            {"data":[set],"page","pageSize","count","totalCount"}
//   GET /sets/{id}                       {"data":set}
//   GET /cards?q=set.id:<id>&page=&pageSize=   the same list envelope of cards
//   GET /cards/{id}                      {"data":card}
// with the API's quirks (tests/sandbox/README.md): page numbers from 1, pageSize capped at
// 250, an empty page past the end, an optional X-Api-Key (a wrong one is 403; without one
// the anonymous limits apply), errors as {"error":{"message","code"}}. The server applies the
// same fault flags as to every emulated API and counts the requests in /_sandbox/stats.
//
// Control route (never faulted, never counted): GET /_sandbox/truth/pokemontcg[?items=1].

#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/fault_injector.hpp"
#include "sandbox/pokemontcg_catalog.hpp"
#include "sandbox/rate_window.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/upstream_api.hpp"
#include "sandbox/usage_meter.hpp"

namespace cardsync::sandbox {

struct PokemonTcgOptions {
  PokemonTcgShape shape;
  // The accepted X-Api-Key; a request without the header is anonymous.
  std::string api_key = "ptcg_sandbox";
  // Upstream's limits (0: not enforced): anonymous 30 a minute and 1,000 a day, keyed
  // 20,000 a day. Over a limit: 429.
  std::uint32_t anonymous_per_minute = 30;
  std::uint64_t anonymous_per_day = 1000;
  std::uint64_t keyed_per_day = 20000;
};

class PokemonTcgApi final : public UpstreamApi {
 public:
  static constexpr std::uint32_t kMaxPageSize = 250;

  // Everything referenced must outlive the API. Handlers are called concurrently.
  PokemonTcgApi(std::uint64_t seed, PokemonTcgOptions options, FaultInjector& faults,
                RequestStats& stats);

  std::string_view name() const override { return "pokemontcg"; }
  std::string_view mount_path() const override { return "/pokemontcg/v2"; }
  void add_routes(Router& router) override;
  // {"error": {"message": message, "code": status}}
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  // GET /_sandbox/truth/pokemontcg.
  void add_control_routes(Router& router);

  const PokemonTcgOptions& options() const { return options_; }
  PokemonTcgCatalog& catalog() { return catalog_; }

 private:
  struct Page {
    std::uint64_t page = 1;
    std::uint32_t size = kMaxPageSize;
  };
  // The key, then the limits that apply to it; nullopt when admitted (and counted).
  std::optional<ApiResponse> admit(const ApiRequest& req);
  std::optional<ApiResponse> paging(const ApiRequest& req, Page& out) const;
  ApiResponse limited(std::string_view message, std::chrono::seconds wait);
  // The list envelope over items [0, total) of which `write(i)` writes item i.
  template <class Write>
  ApiResponse list(const Page& page, std::uint64_t total, Write&& write);

  ApiResponse sets(const ApiRequest& req);
  ApiResponse set(const ApiRequest& req);
  ApiResponse cards(const ApiRequest& req);
  ApiResponse card(const ApiRequest& req);
  ApiResponse truth(const ApiRequest& req) const;

  PokemonTcgOptions options_;
  PokemonTcgCatalog catalog_;
  FaultInjector& faults_;
  RequestStats& stats_;
  RateWindow anonymous_rate_;
  UsageMeter anonymous_daily_;
  UsageMeter keyed_daily_;
};

}  // namespace cardsync::sandbox
