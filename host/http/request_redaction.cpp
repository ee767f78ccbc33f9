#include "http/request_redaction.hpp"

#include "secrets/redaction.hpp"

namespace cardsync {

HttpHeaders redact_headers(const HttpHeaders& headers) {
  HttpHeaders out;
  for (const auto& [name, value] : headers) {
    out.add(name, is_secret_key(name) ? std::string(kRedacted) : value);
  }
  return out;
}

std::string describe_request(const HttpRequest& request) {
  std::string out = request.method;
  out += ' ';
  out += redact_url(request.url);
  return out;
}

std::string redact_for_request(std::string_view text, const HttpRequest& request) {
  std::string out = redact_text(text);
  for (const auto& [name, value] : request.headers) {
    // Short values would mask innocent text and cannot be meaningful secrets anyway.
    if (!is_secret_key(name) || value.size() < 4) continue;
    for (size_t pos = out.find(value); pos != std::string::npos;
         pos = out.find(value, pos + kRedacted.size())) {
      out.replace(pos, value.size(), kRedacted);
    }
  }
  return out;
}

}  // namespace cardsync
