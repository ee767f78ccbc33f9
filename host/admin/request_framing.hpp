#pragma once
// How a request's body is delimited, checked on its head before the body is read: the
// server's defence against request smuggling.

#include "admin/http_exchange.hpp"

namespace cardsync::admin {

// RFC 9112 6.3: a Transfer-Encoding whose final coding is not chunked, or one beside a
// Content-Length, leaves the framing ambiguous between peers; only a lone `chunked` is read.
// True when the request must be refused with 400.
bool ambiguous_framing(const HttpRequest& head);

}  // namespace cardsync::admin
