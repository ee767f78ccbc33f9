#include "admin/cross_site_guard.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>

#include "admin/admin_options.hpp"

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

// The name part of a Host header or an origin's authority: `[::1]:8080` -> `[::1]`,
// `Example.COM:80` -> `example.com`.
std::string host_name(std::string_view authority) {
  std::string_view name = authority;
  if (name.starts_with('[')) {
    const auto end = name.find(']');
    name = end == std::string_view::npos ? name : name.substr(0, end + 1);
  } else if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view authority_of(std::string_view origin) {
  const auto scheme = origin.find("://");
  return scheme == std::string_view::npos ? std::string_view{} : origin.substr(scheme + 3);
}

bool unsafe(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

}  // namespace

CrossSiteGuard::CrossSiteGuard(const std::string& listen_host,
                               const std::vector<std::string>& allowed_origins)
    : loopback_(is_loopback_host(listen_host)), allowed_origins_(allowed_origins) {
  host_names_ = {"localhost", "127.0.0.1", "[::1]"};
  host_names_.push_back(listen_host.find(':') != std::string::npos ? "[" + listen_host + "]"
                                                                   : host_name(listen_host));
  for (const auto& origin : allowed_origins) {
    host_names_.push_back(host_name(authority_of(origin)));
  }
}

bool CrossSiteGuard::host_allowed(std::string_view host) const {
  if (!loopback_) return true;
  const auto name = host_name(host);
  return std::find(host_names_.begin(), host_names_.end(), name) != host_names_.end();
}

bool CrossSiteGuard::origin_allowed(std::string_view origin, std::string_view host) const {
  if (origin.empty()) return true;  // not a browser's cross-origin request
  if (std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) !=
      allowed_origins_.end()) {
    return true;
  }
  return !host.empty() && authority_of(origin) == host;
}

std::optional<CrossSiteRefusal> CrossSiteGuard::check(const HttpRequest& request) const {
  const auto host = to_std(request[http::field::host]);
  if (!host_allowed(host)) {
    return CrossSiteRefusal{
        421, "misdirected_request",
        "this server answers to its own address only, not \"" + host_name(host) + "\""};
  }
  if (!unsafe(request.method())) return std::nullopt;
  if (!origin_allowed(to_std(request[http::field::origin]), host)) {
    return CrossSiteRefusal{403, "origin_not_allowed",
                            "this origin is not in admin.allowed_origins"};
  }
  const auto type = to_std(request[http::field::content_type]);
  if (!type.starts_with("application/json")) {
    return CrossSiteRefusal{415, "unsupported_media_type",
                            "send Content-Type: application/json (an empty body too)"};
  }
  return std::nullopt;
}

}  // namespace cardsync::admin
