#pragma once
// What a provider asks the host to send. The provider builds it; only the host's transport
// turns it into bytes on a socket.

#include <string>

#include "http/http_headers.hpp"

namespace cardsync {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  std::string body;
};

}  // namespace cardsync
