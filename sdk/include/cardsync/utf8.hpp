#pragma once
// Text from outside (upstream bodies, error messages, payloads typed at a shell) on its way
// into JSON, logs and terminals: every string cardsync writes is valid UTF-8, so a consumer's
// strict parser never rejects a whole answer because one upstream message was cut mid-character
// or arrived in Latin-1. Decoding is RapidJSON's (rapidjson::UTF8), as for every JSON string.

#include <rapidjson/encodings.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace cardsync::sdk {

namespace utf8_detail {
// A RapidJSON input stream over a string_view that knows where it is.
struct ViewStream {
  using Ch = char;
  std::string_view text;
  std::size_t at = 0;
  Ch Peek() const { return at < text.size() ? text[at] : '\0'; }
  Ch Take() { return at < text.size() ? text[at++] : '\0'; }
  std::size_t Tell() const { return at; }
};
}  // namespace utf8_detail

// `text` with each byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
// Pure; thread-safe.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  utf8_detail::ViewStream in{text, 0};
  while (in.at < text.size()) {
    const std::size_t start = in.at;
    unsigned codepoint = 0;
    // NUL is valid UTF-8 but ends the decoder's input: copy it as it is.
    if (text[start] != '\0' && rapidjson::UTF8<>::Decode(in, &codepoint) && in.at > start) {
      out.append(text.substr(start, in.at - start));
    } else if (text[start] == '\0') {
      out.push_back('\0');
      in.at = start + 1;
    } else {
      out.append("\xEF\xBF\xBD");
      in.at = start + 1;
    }
  }
  return out;
}

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence (continuation bytes of a cut character are dropped). Pure; thread-safe.
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
  return text.substr(0, end);
}

// Whether all of `text` is valid UTF-8. Pure; thread-safe.
inline bool is_valid_utf8(std::string_view text) {
  return valid_utf8(text) == text;
}

}  // namespace cardsync::sdk
