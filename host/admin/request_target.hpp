#pragma once
// A request target read the way every admin route reads it: the path as sent (never
// decoded, so an encoded "/" cannot make a new path segment) and the query's names and values
// decoded as application/x-www-form-urlencoded.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::admin {

using QueryValues = std::map<std::string, std::string, std::less<>>;

struct RequestTarget {
  std::string path;
  QueryValues query;       // a repeated name keeps its last value
  bool bad_query = false;  // a broken %-escape; `query` then holds what came before it
};

RequestTarget read_request_target(std::string_view target);

// application/x-www-form-urlencoded value ('+' is a space); nullopt on a broken escape.
std::optional<std::string> url_decode(std::string_view in);

// The whole text as a decimal int64 (an optional '-', then digits); nullopt otherwise.
std::optional<int64_t> parse_int(std::string_view text);

}  // namespace cardsync::admin
