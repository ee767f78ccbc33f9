#pragma once
// The `admin` config section (schema: admin_schema.json) as typed options, and the check
// that refuses a dangerous combination before anything listens.

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/env_lookup.hpp"

namespace cardsync::admin {

enum class JwtAlgorithm { hs256, rs256 };

struct AuthOptions {
  bool enabled = true;
  JwtAlgorithm algorithm = JwtAlgorithm::hs256;
  std::string hs256_secret;
  std::string rs256_public_key_file;
  std::string rs256_public_key_pem;  // read from the file by load_key()
  std::chrono::seconds leeway{30};
  std::chrono::hours max_token_lifetime{720};
};

struct AdminOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  size_t max_body_bytes = 65536;
  size_t max_header_bytes = 16384;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds idle_timeout{60};
  size_t max_connections = 1024;
  size_t max_connections_per_address = 64;
  std::vector<std::string> allowed_origins;
  bool metrics_require_auth = false;
  std::chrono::seconds events_interval{2};
  // Uncached lookups run on their own threads (lookup_routes.cpp); a viewer's are budgeted.
  int lookup_threads = 2;
  size_t max_queued_lookups = 16;
  int64_t viewer_fetches_per_day = 0;
  AuthOptions auth;
};

// JSON Schema (draft-04) of the section, every property with its default and description.
std::string_view admin_section_schema();

// `section` is the validated `admin` value or nullptr. ALLOWED_ORIGINS (comma-separated) from
// `env` adds origins. Throws std::invalid_argument on a malformed `listen`.
AdminOptions read_admin_options(const rapidjson::Value* section, const config::EnvLookup& env);

// Loads the RS256 key file and checks that the options are safe to serve with: auth on or a
// loopback address; a usable secret or key. Returns one message per problem (empty: fine).
std::vector<std::string> check_admin_options(AdminOptions& options);

bool is_loopback_host(std::string_view host);

}  // namespace cardsync::admin
