#pragma once
// IMF-fixdate (RFC 9110 §5.6.7), the HTTP-date form of Retry-After.

#include <string>

#include "time/clock.hpp"

namespace cardsync::sandbox {

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string http_date(Clock::WallTime when);

}  // namespace cardsync::sandbox
