#pragma once
// cardsync SDK: passing the limits an upstream reports to the host's pacing. Upstreams report
// them in headers or in the body, as numbers or numeric strings; the host wants whole numbers
// with -1 for "not reported" (Emitter::rate_limits). Pure functions: thread-safe.

#include <cardsync/decimal.hpp>
#include <cardsync/provider.hpp>

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

namespace cardsync::sdk {

// A reported limit from a JSON value (number or numeric string; fractions truncated); -1 when
// absent (nullptr), negative or not a number.
inline std::int64_t limit_value(const rapidjson::Value* value) {
  auto n = value == nullptr ? std::nullopt : scale_json_number(*value, 0, Rounding::toward_zero);
  return n && *n >= 0 ? *n : -1;
}

// A reported limit from a response header (e.g. "X-RateLimit-Remaining"); -1 when absent or
// not a non-negative number.
inline std::int64_t limit_header(const Response& response, std::string_view name) {
  const std::string_view text = response.header(name);
  auto n = text.empty() ? std::nullopt : scale_decimal(text, 0, Rounding::toward_zero);
  return n && *n >= 0 ? *n : -1;
}

}  // namespace cardsync::sdk
