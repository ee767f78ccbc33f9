#pragma once
// Requests carry credentials (x-api-key, Authorization, ?api_key=) that must never reach a
// log line or an error message; everything that describes a request goes through here.

#include <string>
#include <string_view>

#include "http/http_headers.hpp"
#include "http/http_request.hpp"

namespace cardsync {

// The headers with every secret-named field's value replaced by kRedacted.
HttpHeaders redact_headers(const HttpHeaders& headers);

// "GET https://host/path?api_key=***": method and redacted URL, for log lines and errors.
std::string describe_request(const HttpRequest& request);

// Free text (a library's error message) with URLs redacted and the values of the request's
// secret headers masked wherever they appear.
std::string redact_for_request(std::string_view text, const HttpRequest& request);

}  // namespace cardsync
