#pragma once
// The emulated Vault API v1 (an invented upstream, for writing a manifest against), mounted
// under /vault/v1:
//   GET /sets?page=&per_page=                         a bare JSON array of sets
//   GET /sets/{code}/cards?page=&per_page=&updated_since=   a bare JSON array of cards
// in a style unlike the other emulated APIs (tests/sandbox/README.md): a bearer token, paging
// by RFC 8288 `Link` headers (rel="next" absent on the last page), per_page at most 100,
// RFC 3339 timestamps, amounts as decimal strings in a nested `offers` array, and errors as
// {"error": {"code", "message"}}. The server applies the same fault flags as to every emulated
// API and counts the requests in /_sandbox/stats.
//
// Control route (never faulted, never counted): GET /_sandbox/truth/vault[?items=1&invalid=1].

#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/fault_injector.hpp"
#include "sandbox/rate_window.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/upstream_api.hpp"
#include "sandbox/vault_catalog.hpp"

namespace cardsync::sandbox {

struct VaultOptions {
  VaultShape shape;
  // The accepted bearer token.
  std::string token = "vault_sandbox";
  // Requests per sliding minute per server (0: not enforced); over it, 429.
  std::uint32_t requests_per_minute = 0;
};

class VaultApi final : public UpstreamApi {
 public:
  static constexpr std::uint32_t kDefaultPerPage = 20;
  static constexpr std::uint32_t kMaxPerPage = 100;

  // Everything referenced must outlive the API. Handlers are called concurrently.
  VaultApi(std::uint64_t seed, double invalid_rate, VaultOptions options, FaultInjector& faults,
           RequestStats& stats);

  std::string_view name() const override { return "vault"; }
  std::string_view mount_path() const override { return "/vault/v1"; }
  void add_routes(Router& router) override;
  // {"error": {"code": <code in lower case>, "message": message}}
  ApiResponse error(unsigned status, std::string_view code,
                    std::string_view message) const override;
  // GET /_sandbox/truth/vault.
  void add_control_routes(Router& router);

  const VaultOptions& options() const { return options_; }
  VaultCatalog& catalog() { return catalog_; }

 private:
  struct Page {
    std::uint64_t number = 1;
    std::uint32_t size = kDefaultPerPage;
  };
  // The token, then the rate limit; nullopt when admitted.
  std::optional<ApiResponse> admit(const ApiRequest& req);
  std::optional<ApiResponse> paging(const ApiRequest& req, Page& out) const;
  // A bare array over items [0, total) of which `write(w, i)` writes item i, with the Link
  // header; `extra` is appended to every link's query (already encoded, "&..." or empty).
  template <class Write>
  ApiResponse list(const ApiRequest& req, const Page& page, std::uint64_t total,
                   const std::string& extra, Write&& write);

  ApiResponse sets(const ApiRequest& req);
  ApiResponse cards(const ApiRequest& req);
  ApiResponse truth(const ApiRequest& req) const;

  VaultOptions options_;
  VaultCatalog catalog_;
  FaultInjector& faults_;
  RequestStats& stats_;
  RateWindow rate_;
};

}  // namespace cardsync::sandbox
