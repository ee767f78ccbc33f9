#pragma once
// cardsync SDK: parsing the JSON a provider is handed (a response body, a sync spec, a job
// payload or cursor) with the error a host operator can act on. A 2xx body that does not
// parse is a truncated or interrupted transfer, so it is worth a retry; a spec or payload that
// does not parse is a mistake that no retry fixes. Thread-safe; results own their data.

#include <cardsync/marshalling.hpp>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sdk {

// Whether `text` holds nothing but JSON whitespace (an absent spec, payload or cursor).
inline bool blank_json(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Why RapidJSON refused `doc`: "Invalid value. at offset 17".
inline std::string parse_error_text(const rapidjson::Document& doc) {
  return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at offset " +
         std::to_string(doc.GetErrorOffset());
}

// `text` as a JSON object; blank text is {}. nullopt when the text is anything else.
inline std::optional<rapidjson::Document> parse_object(std::string_view text) {
  rapidjson::Document doc;
  if (blank_json(text)) {
    doc.SetObject();
    return doc;
  }
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  return doc;
}

// Like parse_object, but throws sdk::Permanent "<what> is not a JSON object: <text>".
inline rapidjson::Document require_object(std::string_view text, std::string_view what) {
  auto doc = parse_object(text);
  if (!doc) {
    throw Permanent(std::string(what) +
                    " is not a JSON object: " + std::string(text.substr(0, 200)));
  }
  return std::move(*doc);
}

// The sdk::Retry for a response body that did not parse: "<upstream> sent a truncated or
// malformed body for <request> (HTTP 200, 700 bytes: <why>)". `why` may be empty.
inline Retry malformed_body(std::string_view upstream, std::string_view request, int status,
                            std::size_t bytes, std::string_view why) {
  std::string m = std::string(upstream) + " sent a truncated or malformed body for " +
                  std::string(request) + " (HTTP " + std::to_string(status) + ", " +
                  std::to_string(bytes) + " bytes";
  if (!why.empty()) m += ": " + std::string(why);
  return Retry(m + ")");
}

}  // namespace cardsync::sdk
