#pragma once
// Retry-After (RFC 9110 §10.2.3) comes as delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT"); both become a delay from `now`.

#include <chrono>
#include <optional>
#include <string_view>

#include "time/clock.hpp"

namespace cardsync {

// nullopt when the value is neither form (the caller falls back to its own backoff).
// A date in the past gives zero. Absurd values saturate at one year.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, Clock::WallTime now);

}  // namespace cardsync
