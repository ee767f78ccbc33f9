#include "admin/jwt_minter.hpp"

#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace cardsync::admin {
namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
struct TextFree {
  // libjwt 1.10 allocates the encoded token with malloc.
  void operator()(char* p) const noexcept { free(p); }  // NOLINT(cppcoreguidelines-no-malloc)
};

}  // namespace

std::string mint_token(JwtAlgorithm algorithm, const std::string& key, const TokenRequest& request,
                       const Clock& clock) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("libjwt: cannot allocate a token");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  const long now = static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(clock.wall().time_since_epoch()).count());
  const std::string role(to_string(request.role));
  jwt_add_grant(jwt.get(), "role", role.c_str());
  if (!request.subject.empty()) jwt_add_grant(jwt.get(), "sub", request.subject.c_str());
  jwt_add_grant_int(jwt.get(), "iat", now);
  jwt_add_grant_int(jwt.get(), "nbf", now);
  jwt_add_grant_int(jwt.get(), "exp", now + static_cast<long>(request.lifetime.count()));
  const jwt_alg_t alg = algorithm == JwtAlgorithm::hs256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
  if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    throw std::invalid_argument("libjwt refused the signing key");
  }
  std::unique_ptr<char, TextFree> text(jwt_encode_str(jwt.get()));
  if (!text) {
    throw std::invalid_argument(algorithm == JwtAlgorithm::hs256
                                    ? "cannot sign with the HS256 secret"
                                    : "cannot sign with the key: not an RSA private key in PEM");
  }
  return text.get();
}

}  // namespace cardsync::admin
