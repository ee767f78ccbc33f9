#pragma once
// The `--ttl` of `cardsync token create`: a whole number with a unit, as people write
// lifetimes ("90s", "30m", "8h", "7d"), or bare seconds.

#include <chrono>
#include <optional>
#include <string_view>

namespace cardsync::cli {

// A token that outlives a year is a password nobody rotates: longer lifetimes are refused.
inline constexpr std::chrono::seconds kMaxTokenLifetime{366L * 24 * 3600};

// nullopt for anything else, for zero, and for more than kMaxTokenLifetime.
std::optional<std::chrono::seconds> parse_token_lifetime(std::string_view text);

}  // namespace cardsync::cli
