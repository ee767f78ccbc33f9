#pragma once
// cardsync SDK: query strings of the requests a provider builds and reads back. A provider
// keeps no state between calls, so the page a response answers is best read from the
// request that asked for it. Values are percent-encoded (url.hpp). Pure functions: thread-safe.

#include <cardsync/url.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sdk {

// Name/value pairs in the order they are sent; names may repeat.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// `url` followed by ?name=value&... with names and values percent-encoded; `url` as is when
// `params` is empty.
inline std::string with_query(std::string url, const QueryParams& params) {
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    url += sep;
    url += percent_encode(name);
    url += '=';
    url += percent_encode(value);
    sep = '&';
  }
  return url;
}

// The decoded value of the first query parameter `name` in `url` ("" for a bare name);
// nullopt when absent.
inline std::optional<std::string> query_value(std::string_view url, std::string_view name) {
  const std::size_t q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(q + 1);
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace cardsync::sdk
