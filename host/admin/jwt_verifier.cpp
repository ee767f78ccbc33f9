#include "admin/jwt_verifier.hpp"

#include <jwt.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>

namespace cardsync::admin {
namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// A NumericDate claim (RFC 7519: seconds, integer or not) of the claims set; nullopt when the
// claim is absent. libjwt's integer getter reads a float, a string or null as 0 without an
// error, so the claims are read as JSON instead.
struct NumericClaim {
  bool present = false;
  bool valid = false;
  double seconds = 0;
};

// Beyond this a double no longer holds whole seconds, and no real date lies there.
constexpr double kLatestNumericDate = 9007199254740992.0;  // 2^53

NumericClaim numeric_claim(const rapidjson::Document& claims, const char* name) {
  NumericClaim out;
  const auto it = claims.FindMember(name);
  if (it == claims.MemberEnd()) return out;
  out.present = true;
  if (!it->value.IsNumber()) return out;
  out.seconds = it->value.GetDouble();
  out.valid = std::isfinite(out.seconds) && out.seconds >= 0 && out.seconds <= kLatestNumericDate;
  return out;
}

rapidjson::Document claims_of(jwt_t* jwt) {
  rapidjson::Document claims;
  const std::unique_ptr<char, decltype(&std::free)> json(jwt_get_grants_json(jwt, nullptr),
                                                         &std::free);
  if (!json || claims.Parse(json.get()).HasParseError() || !claims.IsObject()) claims.SetObject();
  return claims;
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
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count());
  const auto leeway = static_cast<double>(options_.leeway.count());
  const auto claims = claims_of(jwt.get());
  const NumericClaim exp = numeric_claim(claims, "exp");
  if (!exp.present) {
    out.problem = "token has no exp claim";
    return out;
  }
  if (!exp.valid) {
    out.problem = "token exp claim is not a date in seconds";
    return out;
  }
  if (now - leeway > exp.seconds) {
    out.problem = "token expired";
    return out;
  }
  const auto longest =
      static_cast<double>(std::chrono::seconds(options_.max_token_lifetime).count());
  if (exp.seconds - now > longest + leeway) {
    out.problem = "token lives longer than admin.auth.max_token_lifetime_hours allows";
    return out;
  }
  const NumericClaim nbf = numeric_claim(claims, "nbf");
  if (nbf.present && !nbf.valid) {
    out.problem = "token nbf claim is not a date in seconds";
    return out;
  }
  if (nbf.present && now + leeway < nbf.seconds) {
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
