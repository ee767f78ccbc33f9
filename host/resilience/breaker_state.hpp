#pragma once

#include <cstdint>
#include <string_view>

namespace cardsync {

enum class BreakerState : std::uint8_t { closed = 0, open = 1, half_open = 2 };

constexpr std::string_view to_string(BreakerState s) noexcept {
  switch (s) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "closed";
}

}  // namespace cardsync
