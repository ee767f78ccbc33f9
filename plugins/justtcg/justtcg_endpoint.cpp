#include "justtcg_endpoint.hpp"

#include <array>

namespace cardsync::justtcg {
namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

sdk::Request base_request(const Config& config, std::string method, std::string url) {
  sdk::Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("x-api-key", config.api_key);
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  for (char c : text) {
    if (unreserved(c)) {
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

sdk::Request get_request(const Config& config, std::string_view path, const QueryParams& params) {
  std::string url = config.base_url + std::string(path);
  char sep = '?';
  for (const auto& [name, value] : params) {
    url += sep;
    url += percent_encode(name);
    url += '=';
    url += percent_encode(value);
    sep = '&';
  }
  return base_request(config, "GET", std::move(url));
}

sdk::Request post_request(const Config& config, std::string_view path, std::string body) {
  sdk::Request r = base_request(config, "POST", config.base_url + std::string(path));
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

std::optional<std::string> query_value(std::string_view url, std::string_view name) {
  const std::size_t q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(q + 1);
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace cardsync::justtcg
