#include "log/level.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace cardsync::log {
namespace {

constexpr std::array<std::pair<Level, std::string_view>, 5> kNames = {{
    {Level::trace, "trace"},
    {Level::debug, "debug"},
    {Level::info, "info"},
    {Level::warn, "warn"},
    {Level::error, "error"},
}};

bool equals_ci(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) noexcept {
  for (const auto& [level, text] : kNames) {
    if (equals_ci(name, text)) return level;
  }
  return std::nullopt;
}

std::string_view to_string(Level level) noexcept {
  for (const auto& [candidate, text] : kNames) {
    if (candidate == level) return text;
  }
  return "unknown";
}

}  // namespace cardsync::log
