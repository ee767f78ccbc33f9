#pragma once
// Refuses what a web page on another site could make a browser send to the admin API:
// - an unsafe method (anything but GET, HEAD, OPTIONS) without an application/json body type:
//   browsers send text/plain, forms or no type cross-site without a preflight;
// - an unsafe method from an Origin that is neither this server nor in admin.allowed_origins;
// - on a loopback listen address, a Host header naming anything but this machine: a page whose
//   name was rebound to 127.0.0.1 (DNS rebinding) reaches the server under its own name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/http_exchange.hpp"

namespace cardsync::admin {

struct CrossSiteRefusal {
  unsigned status;
  std::string code;
  std::string message;
};

class CrossSiteGuard {
 public:
  // `listen_host` is admin.listen's address; `allowed_origins` the CORS list, whose hosts are
  // also accepted as Host names (a reverse proxy that keeps the name the browser used).
  CrossSiteGuard(const std::string& listen_host, const std::vector<std::string>& allowed_origins);

  // Thread-safe (const). nullopt: the request may proceed.
  std::optional<CrossSiteRefusal> check(const HttpRequest& request) const;

 private:
  bool host_allowed(std::string_view host) const;
  bool origin_allowed(std::string_view origin, std::string_view host) const;

  bool loopback_;
  std::vector<std::string> host_names_;
  std::vector<std::string> allowed_origins_;
};

}  // namespace cardsync::admin
