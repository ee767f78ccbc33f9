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

bool is_assignment_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

// Masks `name=value` words whose name is secret, as in libpq keyword/value connection strings
// ("host=db password=hunter2"), which carry the password outside any URL.
void redact_assignments(std::string& text) {
  size_t pos = 0;
  while ((pos = text.find('=', pos)) != std::string::npos) {
    size_t start = pos;
    while (start > 0 && is_assignment_name_char(text[start - 1])) --start;
    const bool word_start = start == 0 ||
                            std::isspace(static_cast<unsigned char>(text[start - 1])) ||
                            text[start - 1] == ';' || text[start - 1] == ',';
    if (start == pos || !word_start ||
        !is_secret_key(std::string_view(text).substr(start, pos - start))) {
      ++pos;
      continue;
    }
    size_t value_start = pos + 1;
    size_t value_end = 0;
    if (value_start < text.size() && text[value_start] == '\'') {
      size_t i = ++value_start;
      while (i < text.size() && text[i] != '\'') i += text[i] == '\\' ? 2 : 1;  // libpq escapes
      value_end = std::min(i, text.size());
    } else {
      value_end = text.find_first_of(" \t\r\n;,\"'", value_start);
      if (value_end == std::string::npos) value_end = text.size();
    }
    if (value_end > value_start) {
      text.replace(value_start, value_end - value_start, kRedacted);
      value_end = value_start + kRedacted.size();
    }
    pos = value_end;
  }
}

}  // namespace

bool is_secret_key(std::string_view key) noexcept {
  static constexpr std::array<std::string_view, 6> kMarkers = {
      "key", "token", "secret", "password", "passwd", "authorization"};
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return contains_ci(key, m); });
}

bool is_secret_field(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 4> kIdentities = {"key", "job_key", "parent_key",
                                                                  "cache_key"};
  if (std::find(kIdentities.begin(), kIdentities.end(), name) != kIdentities.end()) return false;
  return is_secret_key(name);
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
  redact_assignments(out);
  return out;
}

}  // namespace cardsync
