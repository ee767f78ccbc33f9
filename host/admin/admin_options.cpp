#include "admin/admin_options.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace cardsync::embedded {
extern const std::string_view admin_schema_json;
}

namespace cardsync::admin {
namespace {

const rapidjson::Value* member(const rapidjson::Value* obj, const char* key) {
  if (obj == nullptr || !obj->IsObject()) return nullptr;
  auto it = obj->FindMember(key);
  return it == obj->MemberEnd() ? nullptr : &it->value;
}

int64_t get_int(const rapidjson::Value* obj, const char* key, int64_t fallback) {
  const auto* v = member(obj, key);
  return v != nullptr && v->IsInt64() ? v->GetInt64() : fallback;
}

bool get_bool(const rapidjson::Value* obj, const char* key, bool fallback) {
  const auto* v = member(obj, key);
  return v != nullptr && v->IsBool() ? v->GetBool() : fallback;
}

std::string get_string(const rapidjson::Value* obj, const char* key, std::string fallback) {
  const auto* v = member(obj, key);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                                       : std::move(fallback);
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

void split_listen(const std::string& listen, AdminOptions& o) {
  std::string host;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      throw std::invalid_argument("admin.listen: expected [ipv6]:port, found \"" + listen + "\"");
    }
    host = listen.substr(1, close - 1);
    port_text = std::string_view(listen).substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument("admin.listen: expected host:port, found \"" + listen + "\"");
    }
    host = listen.substr(0, colon);
    port_text = std::string_view(listen).substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    throw std::invalid_argument("admin.listen: expected host:port with a port 0-65535, found \"" +
                                listen + "\"");
  }
  o.host = host == "localhost" ? "127.0.0.1" : host;
  o.port = static_cast<uint16_t>(port);
}

}  // namespace

std::string_view admin_section_schema() {
  return embedded::admin_schema_json;
}

AdminOptions read_admin_options(const rapidjson::Value* s, const config::EnvLookup& env) {
  AdminOptions o;
  split_listen(get_string(s, "listen", "127.0.0.1:8080"), o);
  o.threads = static_cast<int>(get_int(s, "threads", o.threads));
  o.max_body_bytes =
      static_cast<size_t>(get_int(s, "max_body_bytes", static_cast<int64_t>(o.max_body_bytes)));
  o.max_header_bytes =
      static_cast<size_t>(get_int(s, "max_header_bytes", static_cast<int64_t>(o.max_header_bytes)));
  o.read_timeout = std::chrono::seconds(get_int(s, "read_timeout_seconds", 10));
  o.idle_timeout = std::chrono::seconds(get_int(s, "idle_timeout_seconds", 60));
  o.max_connections =
      static_cast<size_t>(get_int(s, "max_connections", static_cast<int64_t>(o.max_connections)));
  o.max_connections_per_address = static_cast<size_t>(get_int(
      s, "max_connections_per_address", static_cast<int64_t>(o.max_connections_per_address)));
  o.metrics_require_auth = get_bool(s, "metrics_require_auth", false);
  o.events_interval = std::chrono::seconds(get_int(s, "events_interval_seconds", 2));
  o.lookup_threads = static_cast<int>(get_int(s, "lookup_threads", o.lookup_threads));
  o.max_queued_lookups = static_cast<size_t>(
      get_int(s, "max_queued_lookups", static_cast<int64_t>(o.max_queued_lookups)));
  o.viewer_fetches_per_day = get_int(s, "viewer_fetches_per_day", o.viewer_fetches_per_day);
  if (const auto* origins = member(s, "allowed_origins");
      origins != nullptr && origins->IsArray()) {
    for (const auto& v : origins->GetArray()) {
      if (v.IsString()) o.allowed_origins.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  if (auto extra = env("ALLOWED_ORIGINS"); extra && !extra->empty()) {
    std::stringstream in(*extra);
    std::string item;
    while (std::getline(in, item, ',')) {
      std::string origin = trim(item);
      if (!origin.empty()) o.allowed_origins.push_back(std::move(origin));
    }
  }
  const auto* auth = member(s, "auth");
  o.auth.enabled = get_bool(auth, "enabled", true);
  o.auth.algorithm =
      get_string(auth, "algorithm", "HS256") == "RS256" ? JwtAlgorithm::rs256 : JwtAlgorithm::hs256;
  o.auth.hs256_secret = get_string(auth, "hs256_secret", "");
  o.auth.rs256_public_key_file = get_string(auth, "rs256_public_key_file", "");
  o.auth.leeway = std::chrono::seconds(get_int(auth, "leeway_seconds", 30));
  o.auth.max_token_lifetime = std::chrono::hours(get_int(auth, "max_token_lifetime_hours", 720));
  return o;
}

bool is_loopback_host(std::string_view host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::vector<std::string> check_admin_options(AdminOptions& o) {
  std::vector<std::string> problems;
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(o.host, ec);
  if (ec) {
    problems.push_back("admin.listen: \"" + o.host +
                       "\" is not an IP address (use e.g. 127.0.0.1, 0.0.0.0 or [::1])");
  }
  if (!o.auth.enabled) {
    if (!is_loopback_host(o.host)) {
      problems.push_back("admin.auth.enabled is false but admin.listen is \"" + o.host +
                         "\", not a loopback address: refusing to serve the API without "
                         "authentication to the network; enable auth or listen on 127.0.0.1");
    }
    return problems;
  }
  if (o.auth.algorithm == JwtAlgorithm::hs256) {
    if (o.auth.hs256_secret.size() < 32) {
      problems.emplace_back(
          "admin.auth.hs256_secret: HS256 needs a secret of at least 32 bytes (set it, e.g. "
          "\"${CARDSYNC_ADMIN_SECRET}\", or use RS256, or set admin.auth.enabled to false on a "
          "loopback address)");
    }
  } else {
    if (o.auth.rs256_public_key_file.empty()) {
      problems.emplace_back("admin.auth.rs256_public_key_file: RS256 needs a public key file");
    } else {
      std::ifstream in(o.auth.rs256_public_key_file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in || text.str().find("-----BEGIN") == std::string::npos) {
        problems.push_back(
            "admin.auth.rs256_public_key_file: cannot read a PEM public key from \"" +
            o.auth.rs256_public_key_file + "\"");
      } else {
        o.auth.rs256_public_key_pem = text.str();
      }
    }
  }
  return problems;
}

}  // namespace cardsync::admin
