// Retry-After header values as an upstream sends them (delta-seconds or any HTTP-date form),
// against a "now" the input also picks. Properties: a delay is never negative nor beyond the
// one-year ceiling, and a value of digits alone (around spaces) is exactly that many seconds.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "resilience/retry_after.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // 2026-01-01T00:00:00Z, moved by up to 255 x 30 days so dates fall before and after it.
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)) +
                   std::chrono::hours(24 * 30) * (static_cast<int>(data[0]) - 128);
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto delay = cardsync::parse_retry_after(value, now);
  if (!delay) return 0;
  constexpr auto kYear = std::chrono::seconds(std::chrono::hours(24 * 365));
  if (*delay < std::chrono::seconds(0) || *delay > kYear) std::abort();

  std::string_view trimmed = value;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
    trimmed.remove_prefix(1);
  }
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
    trimmed.remove_suffix(1);
  }
  const bool digits = !trimmed.empty() && std::all_of(trimmed.begin(), trimmed.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (digits && trimmed.size() <= 9) {
    const auto expected = std::min<long long>(std::stoll(std::string(trimmed)), kYear.count());
    if (delay->count() != expected) std::abort();
  }
  return 0;
}
