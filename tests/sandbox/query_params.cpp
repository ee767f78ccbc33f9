#include "sandbox/query_params.hpp"

#include <cardsync/url.hpp>

namespace cardsync::sandbox {

QueryParams QueryParams::parse(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name = sdk::percent_decode(pair.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? std::string{} : sdk::percent_decode(pair.substr(eq + 1));
    params.values_.insert_or_assign(std::move(name), std::move(value));
  }
  return params;
}

std::optional<std::string_view> QueryParams::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace cardsync::sandbox
