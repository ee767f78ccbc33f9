#pragma once
// CORS from an allow-list: only a listed origin is echoed back (never `*`, since the API is
// called with credentials), every answer that depends on Origin says so with `Vary: Origin`,
// and a preflight from a listed origin is answered with the methods and headers the API uses.

#include <boost/beast/http/fields.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::admin {

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins);

  bool allowed(std::string_view origin) const;
  // Adds Vary always, and Access-Control-Allow-Origin (+ Expose-Headers) for a listed origin.
  void apply(std::string_view origin, boost::beast::http::fields& headers) const;
  // The preflight headers (Allow-Methods/Headers, Max-Age) for a listed origin.
  void apply_preflight(std::string_view origin, boost::beast::http::fields& headers) const;

 private:
  std::vector<std::string> allowed_;
};

}  // namespace cardsync::admin
