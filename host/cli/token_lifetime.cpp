#include "cli/token_lifetime.hpp"

#include <charconv>
#include <cstdint>

namespace cardsync::cli {
namespace {

// Seconds per unit letter; 0 when `c` is not a unit.
int64_t unit_seconds(char c) {
  switch (c) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return 0;
  }
}

}  // namespace

std::optional<std::chrono::seconds> parse_token_lifetime(std::string_view text) {
  int64_t unit = 1;
  if (!text.empty() && unit_seconds(text.back()) != 0) {
    unit = unit_seconds(text.back());
    text.remove_suffix(1);
  }
  int64_t n = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end || n <= 0) return std::nullopt;
  if (n > kMaxTokenLifetime.count() / unit) return std::nullopt;
  return std::chrono::seconds(n * unit);
}

}  // namespace cardsync::cli
