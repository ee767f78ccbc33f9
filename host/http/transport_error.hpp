#pragma once
// Why a request produced no HTTP response. The retry layer and the circuit breaker decide
// from this kind alone, so every transport maps its native errors onto it.

#include <string_view>

namespace cardsync {

enum class TransportError {
  none,             // an HTTP response arrived (whatever its status)
  connect,          // refused, unreachable, DNS failure: nothing was sent
  reset,            // connection dropped mid-exchange, or empty reply
  timeout,          // connect or total timeout, or the call's deadline
  tls,              // certificate or handshake failure: retrying will not help
  too_large,        // the body exceeded the configured maximum; it was discarded
  cancelled,        // the caller's cancellation token fired
  invalid_request,  // malformed URL, unsupported scheme: a bug, not an outage
  other,            // anything else the transport could not classify
};

std::string_view to_string(TransportError e) noexcept;

}  // namespace cardsync
