#pragma once
// Signs an admin API token with libjwt: the `role` the verifier checks, `sub` for the audit
// log's "by", and `iat`/`nbf`/`exp` from the given clock. The counterpart of jwt_verifier.

#include <chrono>
#include <string>

#include "admin/admin_options.hpp"
#include "admin/jwt_verifier.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

struct TokenRequest {
  Role role = Role::viewer;
  std::string subject;
  std::chrono::seconds lifetime{8 * 3600};
};

// `key` is the HS256 secret or the RS256 private key (PEM). Throws std::invalid_argument when
// libjwt refuses the key (e.g. not a private key in PEM).
std::string mint_token(JwtAlgorithm algorithm, const std::string& key, const TokenRequest& request,
                       const Clock& clock);

}  // namespace cardsync::admin
