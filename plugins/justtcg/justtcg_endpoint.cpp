#include "justtcg_endpoint.hpp"

#include <utility>

namespace cardsync::justtcg {
namespace {

sdk::Request base_request(const Config& config, std::string method, std::string url) {
  return {std::move(method),
          std::move(url),
          {{"x-api-key", config.api_key}, {"Accept", "application/json"}},
          {}};
}

}  // namespace

sdk::Request get_request(const Config& config, std::string_view path, const QueryParams& params) {
  return base_request(config, "GET", sdk::with_query(config.base_url + std::string(path), params));
}

sdk::Request post_request(const Config& config, std::string_view path, std::string body) {
  sdk::Request r = base_request(config, "POST", config.base_url + std::string(path));
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

}  // namespace cardsync::justtcg
