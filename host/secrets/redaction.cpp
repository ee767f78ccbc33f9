#include "secrets/redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cardsync {
namespace {

bool contains_ci(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < needle.size(); ++j) {
      if (std::tolower(static_cast<unsigned char>(hay[i + j])) != needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

// Masks the value of every secret-named parameter in a query string starting at `from`.
void redact_query(std::string& url, size_t from) {
  size_t pos = from;
  while (pos < url.size()) {
    size_t end = url.find_first_of("&#", pos);
    if (end == std::string::npos) end = url.size();
    size_t eq = url.find('=', pos);
    if (eq != std::string::npos && eq < end &&
        is_secret_key(std::string_view(url).substr(pos, eq - pos))) {
      url.replace(eq + 1, end - eq - 1, kRedacted);
      end = eq + 1 + kRedacted.size();
    }
    if (end >= url.size() || url[end] == '#') break;
    pos = end + 1;
  }
}

}  // namespace

bool is_secret_key(std::string_view key) noexcept {
  static constexpr std::array<std::string_view, 6> kMarkers = {
      "key", "token", "secret", "password", "passwd", "authorization"};
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return contains_ci(key, m); });
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t auth_start = scheme + 3;
    size_t auth_end = out.find_first_of("/?#", auth_start);
    if (auth_end == std::string::npos) auth_end = out.size();
    size_t at = out.rfind('@', auth_end);
    if (at != std::string::npos && at > auth_start) {
      size_t colon = out.find(':', auth_start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, kRedacted);
      }
    }
  }
  size_t q = out.find('?');
  if (q != std::string::npos) redact_query(out, q + 1);
  return out;
}

std::string redact_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t scheme = text.find("://", pos);
    if (scheme == std::string_view::npos) break;
    size_t start = scheme;
    while (start > pos &&
           (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '+' ||
            text[start - 1] == '-' || text[start - 1] == '.')) {
      --start;
    }
    size_t end = text.find_first_of(" \t\r\n\"'<>", scheme);
    if (end == std::string_view::npos) end = text.size();
    out.append(text.substr(pos, start - pos));
    out.append(redact_url(text.substr(start, end - start)));
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace cardsync
