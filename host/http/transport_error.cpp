#include "http/transport_error.hpp"

namespace cardsync {

std::string_view to_string(TransportError e) noexcept {
  switch (e) {
    case TransportError::none:
      return "none";
    case TransportError::connect:
      return "connect";
    case TransportError::reset:
      return "reset";
    case TransportError::timeout:
      return "timeout";
    case TransportError::tls:
      return "tls";
    case TransportError::too_large:
      return "too_large";
    case TransportError::cancelled:
      return "cancelled";
    case TransportError::invalid_request:
      return "invalid_request";
    case TransportError::other:
      return "other";
  }
  return "other";
}

}  // namespace cardsync
