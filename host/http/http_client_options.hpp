#pragma once
// Per-service transport settings; defaults are the `resilience.http` section's defaults.

#include <chrono>
#include <cstddef>

namespace cardsync {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  int max_in_flight = 4;
  std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;

  friend bool operator==(const HttpClientOptions&, const HttpClientOptions&) = default;
};

}  // namespace cardsync
