#pragma once
// The emulated Scryfall API, mounted under /scryfall (base URL http://127.0.0.1:<port>/scryfall):
//   GET /sets                                   {"object":"list","has_more":false,"data":[set]}
//   GET /cards/search?q=e:<code>&unique=prints  {"object":"list","total_cards","has_more",
//                                                "next_page","data":[card]}
//   GET /cards/{id}                             the card object, as in search results; an
//                                                unknown id is a 404 not_found
// with Scryfall's quirks: paging follows the absolute `next_page` URL (a cursor: the sandbox
// puts its own `start` position in it, so a client that counts pages itself loses cards on a
// short page), a search that matches nothing is a 404, requests without an Accept header or
// a User-Agent are refused (400), and errors are {"object":"error","code","status","details"}.
// The server applies the same fault flags as to every emulated API and counts the requests
// in /_sandbox/stats under "GET /scryfall/...".
//
// Control route (never faulted, never counted): GET /_sandbox/truth/scryfall[?invalid=1].

#include "sandbox/fault_injector.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/scryfall_catalog.hpp"
#include "sandbox/upstream_api.hpp"

namespace cardsync::sandbox {

class ScryfallApi final : public UpstreamApi {
 public:
  // Everything referenced must outlive the API. Handlers are called concurrently.
  ScryfallApi(std::uint64_t seed, double invalid_rate, ScryfallShape shape, FaultInjector& faults,
              RequestStats& stats);

  std::string_view name() const override { return "scryfall"; }
  std::string_view mount_path() const override { return "/scryfall"; }
  void add_routes(Router& router) override;
  // {"object":"error","code":<snake case>,"status":status,"details":message}
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  // GET /_sandbox/truth/scryfall.
  void add_control_routes(Router& router);

  const ScryfallCatalog& catalog() const { return catalog_; }

 private:
  std::optional<ApiResponse> refuse_headers(const ApiRequest& req) const;
  ApiResponse sets(const ApiRequest& req);
  ApiResponse search(const ApiRequest& req);
  ApiResponse card(const ApiRequest& req);
  ApiResponse truth(const ApiRequest& req) const;

  ScryfallCatalog catalog_;
  FaultInjector& faults_;
  RequestStats& stats_;
};

}  // namespace cardsync::sandbox
