#pragma once
// cardsync SDK: URL text. Percent-encoding of query values and path segments (RFC 3986: every
// byte but the unreserved characters is encoded), and its inverse for cursors that carry a
// query string. Pure functions: thread-safe.

#include <array>
#include <string>
#include <string_view>

namespace cardsync::sdk {

namespace detail {

inline bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace detail

// `text` with every byte outside A-Z a-z 0-9 - _ . ~ written as %XX.
inline std::string percent_encode(std::string_view text) {
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (detail::unreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

// The inverse, with '+' read as a space (form encoding); a malformed %XX stays as written.
inline std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && detail::hex_value(text[i + 1]) >= 0 &&
               detail::hex_value(text[i + 2]) >= 0) {
      out +=
          static_cast<char>(detail::hex_value(text[i + 1]) * 16 + detail::hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace cardsync::sdk
