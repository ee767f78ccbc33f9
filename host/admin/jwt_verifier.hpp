#pragma once
// Bearer-token verification with libjwt: the signature with the one configured algorithm
// (a token naming any other, `none` included, is refused: this is what stops HS/RS
// confusion), then `exp` (required, no further ahead than the maximum lifetime) and `nbf`
// as JSON numbers against the injected clock with a small leeway, then the `role` claim.

#include <string>
#include <string_view>

#include "admin/admin_options.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

enum class Role { none, viewer, operator_ };

std::string_view to_string(Role role) noexcept;

struct TokenCheck {
  bool ok = false;
  Role role = Role::none;
  std::string subject;  // `sub`, when present
  std::string problem;  // why not ok; safe to show the caller (no token material)
};

class JwtVerifier {
 public:
  // `clock` must outlive the verifier. `options` must have passed check_admin_options.
  JwtVerifier(const AuthOptions& options, Clock& clock);

  // Thread-safe.
  TokenCheck verify(std::string_view token) const;

 private:
  AuthOptions options_;
  Clock& clock_;
};

}  // namespace cardsync::admin
