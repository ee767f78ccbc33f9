#include "admin/jwt_verifier.hpp"

#include <jwt.h>

#include <chrono>
#include <memory>

namespace cardsync::admin {
namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// -1 when absent or not an integer (libjwt reports that through errno, ENOENT or EINVAL).
bool int_claim(jwt_t* jwt, const char* name, long& value) {
  errno = 0;
  value = jwt_get_grant_int(jwt, name);
  return errno == 0;
}

}  // namespace

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::operator_:
      return "operator";
    case Role::none:
      break;
  }
  return "none";
}

JwtVerifier::JwtVerifier(const AuthOptions& options, Clock& clock)
    : options_(options), clock_(clock) {}

TokenCheck JwtVerifier::verify(std::string_view token) const {
  TokenCheck out;
  if (token.empty() || token.size() > 8192) {
    out.problem = "missing or oversized bearer token";
    return out;
  }
  const std::string text(token);
  const std::string& key = options_.algorithm == JwtAlgorithm::hs256
                               ? options_.hs256_secret
                               : options_.rs256_public_key_pem;
  jwt_t* raw = nullptr;
  // libjwt verifies the signature with the algorithm the token names; the check below that
  // it names ours is what makes a key of one kind useless as a key of the other.
  const int rc = jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                            static_cast<int>(key.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt) {
    out.problem = "invalid token (malformed or bad signature)";
    return out;
  }
  const jwt_alg_t expected =
      options_.algorithm == JwtAlgorithm::hs256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
  if (jwt_get_alg(jwt.get()) != expected) {
    out.problem = "token algorithm not accepted";
    return out;
  }
  const long now = static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count());
  const long leeway = static_cast<long>(options_.leeway.count());
  long exp = 0;
  if (!int_claim(jwt.get(), "exp", exp)) {
    out.problem = "token has no exp claim";
    return out;
  }
  if (now > exp + leeway) {
    out.problem = "token expired";
    return out;
  }
  long nbf = 0;
  if (int_claim(jwt.get(), "nbf", nbf) && now + leeway < nbf) {
    out.problem = "token not yet valid";
    return out;
  }
  const char* role = jwt_get_grant(jwt.get(), "role");
  const std::string_view r = role != nullptr ? role : "";
  if (r == "viewer") {
    out.role = Role::viewer;
  } else if (r == "operator") {
    out.role = Role::operator_;
  } else {
    out.problem = "token has no known role claim (viewer or operator)";
    return out;
  }
  if (const char* sub = jwt_get_grant(jwt.get(), "sub"); sub != nullptr) out.subject = sub;
  out.ok = true;
  return out;
}

}  // namespace cardsync::admin
