#pragma once
// The URLs a provider may send its requests to: the origin of its configured base_url
// (scheme, host, port) and, when base_url has a path, only what lies under that path.
// Providers attach their credentials to every request they build, so a link taken from an
// upstream answer that points elsewhere would hand the key to a stranger: the host refuses
// such a request before it is sent, once for every provider.
//
// URLs are parsed by libcurl's URL API, the same parser the transport uses, so the guard
// and the socket can never disagree about which host a URL names.

#include <string>
#include <string_view>

namespace cardsync {

class UrlScope {
 public:
  // Throws std::invalid_argument when `base_url` is not an absolute http or https URL.
  explicit UrlScope(std::string_view base_url);

  // True when `url` has the same scheme, host (case-insensitively) and port (an omitted port
  // is the scheme's default) as the base URL and its path is the base path or below it. A
  // URL libcurl cannot parse is not allowed.
  bool allows(std::string_view url) const;

  // The base URL as configured, with any password and secret query values masked.
  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  std::string scheme_, host_, port_;  // scheme and host lower-case
  std::string path_prefix_;           // without a trailing slash; empty: any path
};

// `url` without its query string, fragment and user info, which may carry secrets, for a
// message that names a URL ("https://evil.example/steal"). A URL libcurl cannot parse is cut
// at its first '?' or '#' and its password masked.
std::string url_without_query(std::string_view url);

}  // namespace cardsync
