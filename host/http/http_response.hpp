#pragma once
// The outcome of one attempt: either an HTTP response (any status) or a transport error with
// a message that is safe to log (credentials already redacted).

#include <string>

#include "http/http_headers.hpp"
#include "http/transport_error.hpp"

namespace cardsync {

struct HttpResponse {
  int status = 0;  // 0 when no response arrived
  HttpHeaders headers;
  std::string body;
  TransportError error = TransportError::none;
  std::string error_message;  // redacted; empty when error == none

  bool has_response() const { return error == TransportError::none; }
};

}  // namespace cardsync
