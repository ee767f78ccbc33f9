#pragma once
// cardsync SDK: what an upstream says about a failure, read from its error body, so an
// operator's log carries the upstream's own words. Where an API keeps its code and message is
// data (JSON Pointers, first match wins), so one reader serves every REST API and a manifest
// can declare it:
//
//   static const sdk::ErrorFields kFields({"/error/code", "/code"}, {"/error", "/error/message"},
//                                         "/error");
//   const sdk::UpstreamError e = kFields.read(body.root(), config.api_key);
//
// The secret (an API key or token some upstreams echo back) is never part of the result.
// ErrorFields is immutable after construction: share it between threads.

#include <cardsync/provider.hpp>
#include <cardsync/utf8.hpp>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::sdk {

struct UpstreamError {
  std::string code;      // e.g. "INVALID_API_KEY"; empty when the body names none
  std::string message;   // the upstream's words, scrubbed and shortened; may be empty
  bool present = false;  // the body reports an error (some APIs do so inside a 200)
};

// `text` with every occurrence of `secret` replaced by "[redacted]", made valid UTF-8 and cut
// to at most `max` bytes without splitting a character.
inline std::string scrub(std::string text, std::string_view secret, std::size_t max = 200) {
  if (!secret.empty()) {
    // The search resumes after the replacement: a secret that occurs in "[redacted]" itself
    // (a one-letter token, say) must not be found there again.
    static constexpr std::string_view kRedacted = "[redacted]";
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
  text = valid_utf8(text);
  if (text.size() > max) text = std::string(utf8_prefix(text, max)) + "...";
  return text;
}

// "(HTTP 404 NOT_FOUND: Game not found)", "(HTTP 500: Server busy)", "(HTTP 503)".
inline std::string http_detail(int status, const UpstreamError& e) {
  std::string out = "(HTTP " + std::to_string(status);
  if (!e.code.empty()) out += " " + e.code;
  if (!e.message.empty()) out += ": " + e.message;
  return out + ")";
}

// "GET /cards?game=pokemon": the request without `base_url`, short enough for a log line and
// free of the host name an operator already knows.
inline std::string request_text(const Request& request, std::string_view base_url) {
  std::string_view url = request.url;
  if (!base_url.empty() && url.rfind(base_url, 0) == 0) url.remove_prefix(base_url.size());
  return request.method + " " + std::string(url);
}

class ErrorFields {
 public:
  // `code` and `message`: pointers tried in order, the first string wins. `presence`: a
  // pointer whose non-null value means the body reports an error; empty: never.
  ErrorFields(std::initializer_list<const char*> code, std::initializer_list<const char*> message,
              const char* presence = "")
      : code_(code.begin(), code.end()),
        message_(message.begin(), message.end()),
        presence_(presence) {}

  // Reads an error out of a parsed body (anything, not only objects), scrubbing `secret`.
  UpstreamError read(const rapidjson::Value& root, std::string_view secret = {}) const {
    UpstreamError e;
    e.code = scrub(first_string(root, code_), secret);
    e.message = scrub(first_string(root, message_), secret);
    if (presence_.IsValid() && presence_.GetTokenCount() > 0) {
      const rapidjson::Value* v = presence_.Get(root);
      e.present = v != nullptr && !v->IsNull();
    }
    return e;
  }

 private:
  static std::string first_string(const rapidjson::Value& root,
                                  const std::vector<rapidjson::Pointer>& pointers) {
    for (const auto& p : pointers) {
      const rapidjson::Value* v = p.Get(root);
      if (v != nullptr && v->IsString() && v->GetStringLength() > 0) {
        return {v->GetString(), v->GetStringLength()};
      }
    }
    return {};
  }

  std::vector<rapidjson::Pointer> code_;
  std::vector<rapidjson::Pointer> message_;
  rapidjson::Pointer presence_;
};

}  // namespace cardsync::sdk
