#include "admin/cors_policy.hpp"

#include <algorithm>

#include "admin/http_exchange.hpp"

namespace cardsync::admin {

namespace http = boost::beast::http;

CorsPolicy::CorsPolicy(std::vector<std::string> allowed_origins)
    : allowed_(std::move(allowed_origins)) {
  // A `*` in the list would mean "anyone, with credentials": never honoured.
  std::erase(allowed_, std::string("*"));
}

bool CorsPolicy::allowed(std::string_view origin) const {
  return !origin.empty() && std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end();
}

void CorsPolicy::apply(std::string_view origin, http::fields& headers) const {
  headers.set(http::field::vary, "Origin");
  if (!allowed(origin)) return;
  headers.set(http::field::access_control_allow_origin, to_beast(origin));
  headers.set(http::field::access_control_allow_credentials, "true");
  headers.set(http::field::access_control_expose_headers, "X-Request-Id, Content-Disposition");
}

void CorsPolicy::apply_preflight(std::string_view origin, http::fields& headers) const {
  apply(origin, headers);
  if (!allowed(origin)) return;
  headers.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
  headers.set(http::field::access_control_allow_headers,
              "Authorization, Content-Type, X-Request-Id");
  headers.set(http::field::access_control_max_age, "600");
}

}  // namespace cardsync::admin
