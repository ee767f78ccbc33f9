#include "rest_request.hpp"

#include <cardsync/url.hpp>

namespace cardsync::rest {
namespace {

void add_query(std::string& url, std::string_view name, std::string_view value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += sdk::percent_encode(name);
  url += '=';
  url += sdk::percent_encode(value);
}

void add_headers(sdk::Request& r, const NamedTemplates& headers, const Scope& scope) {
  for (const auto& [name, value] : headers) {
    std::string text = value.text(scope);
    if (!text.empty()) r.headers.emplace_back(name, std::move(text));
  }
}

}  // namespace

sdk::Request build_request(const Manifest& manifest, const Stream& stream, const PageState& state,
                           const Scope& scope, const std::string& base_url) {
  sdk::Request r;
  r.method = stream.request.method;
  if (state.url) {
    r.url = base_url + *state.url;
  } else {
    r.url = base_url + stream.request.path.render(scope, true).text;
    for (const auto& [name, value] : stream.request.query) {
      const std::string text = value.text(scope);
      if (!text.empty()) add_query(r.url, name, text);
    }
  }
  add_headers(r, manifest.headers, scope);
  add_headers(r, stream.request.headers, scope);
  const std::string credential = manifest.auth.value.text(scope);
  if (!credential.empty()) {
    switch (manifest.auth.type) {
      case Auth::Type::none:
        break;
      case Auth::Type::header:
        r.headers.emplace_back(manifest.auth.name, credential);
        break;
      case Auth::Type::bearer:
        r.headers.emplace_back("Authorization", "Bearer " + credential);
        break;
      case Auth::Type::query: {
        // A next URL may already carry it: the upstream echoes the query it was sent.
        const std::string param = sdk::percent_encode(manifest.auth.name) + "=";
        const auto q = r.url.find('?');
        const bool present =
            q != std::string::npos && (r.url.find("?" + param, q) != std::string::npos ||
                                       r.url.find("&" + param, q) != std::string::npos);
        if (!present) add_query(r.url, manifest.auth.name, credential);
        break;
      }
    }
  }
  if (stream.request.body) r.body = stream.request.body->text(scope);
  return r;
}

}  // namespace cardsync::rest
