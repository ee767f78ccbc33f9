#include "http/url_scope.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>

#include "secrets/redaction.hpp"

namespace cardsync {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

// Null when libcurl refuses the URL. No scheme is guessed or defaulted: "evil.example/x"
// is not a URL, and a scheme libcurl does not know still parses so it can be compared.
UrlHandle parse(std::string_view url) {
  UrlHandle u(curl_url());
  if (!u) throw std::bad_alloc();
  const std::string text(url);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return nullptr;
  }
  return u;
}

std::optional<std::string> part(CURLU* u, CURLUPart which, unsigned int flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, which, &out, flags) != CURLUE_OK || out == nullptr) return std::nullopt;
  std::string s(out);
  curl_free(out);
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return s;
}

// libcurl removes literal dot segments ("/v1/../admin" is "/admin"), but a server that
// decodes before resolving would also treat "/v1/%2e%2e/admin" as "/admin".
bool has_encoded_dot_segment(CURLU* u) {
  auto decoded = part(u, CURLUPART_PATH, CURLU_URLDECODE);
  if (!decoded) return true;  // undecodable (a %00): not a path to trust
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") return true;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return false;
}

}  // namespace

UrlScope::UrlScope(std::string_view base_url) : base_url_(redact_url(base_url)) {
  UrlHandle u = parse(base_url);
  auto scheme = u ? part(u.get(), CURLUPART_SCHEME) : std::nullopt;
  auto host = u ? part(u.get(), CURLUPART_HOST) : std::nullopt;
  if (!scheme || !host || (lower(*scheme) != "http" && lower(*scheme) != "https")) {
    throw std::invalid_argument(base_url_ + " is not an absolute http or https URL");
  }
  scheme_ = lower(*scheme);
  host_ = lower(*host);
  port_ = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  path_prefix_ = part(u.get(), CURLUPART_PATH).value_or("");
  while (!path_prefix_.empty() && path_prefix_.back() == '/') path_prefix_.pop_back();
}

bool UrlScope::allows(std::string_view url) const {
  UrlHandle u = parse(url);
  if (!u) return false;
  auto scheme = part(u.get(), CURLUPART_SCHEME);
  auto host = part(u.get(), CURLUPART_HOST);
  if (!scheme || !host || lower(*scheme) != scheme_ || lower(*host) != host_) return false;
  if (part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("") != port_) return false;
  if (path_prefix_.empty()) return true;
  const std::string path = part(u.get(), CURLUPART_PATH).value_or("/");
  // A segment boundary: /v1 allows /v1 and /v1/cards, not /v10 or /v1-admin.
  const bool under = path.compare(0, path_prefix_.size(), path_prefix_) == 0 &&
                     (path.size() == path_prefix_.size() || path[path_prefix_.size()] == '/');
  return under && !has_encoded_dot_segment(u.get());
}

std::string url_without_query(std::string_view url) {
  if (UrlHandle u = parse(url)) {
    for (CURLUPart p : {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY,
                        CURLUPART_FRAGMENT}) {
      curl_url_set(u.get(), p, nullptr, 0);
    }
    if (auto out = part(u.get(), CURLUPART_URL)) return *out;
  }
  return redact_url(url.substr(0, url.find_first_of("?#")));
}

}  // namespace cardsync
