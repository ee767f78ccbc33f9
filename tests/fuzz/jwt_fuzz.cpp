// Bearer tokens as the admin server receives them. Two kinds of input, by the first byte:
//  - even: the rest is the token exactly as sent (framing, base64, JSON and signature all
//    under the fuzzer's control);
//  - odd: the rest is "<header JSON>\n<claims JSON>" (no newline: claims only, under an
//    HS256 header), signed here with the verifier's own secret, so the fuzzer reaches the
//    claim checks (exp, nbf, lifetime, role) behind a valid signature.
// Properties: an accepted token has a known role and a date inside the allowed window, and
// the same token with one signature byte changed is refused.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "admin/jwt_verifier.hpp"
#include "time/clock.hpp"

namespace {

using cardsync::admin::AuthOptions;
using cardsync::admin::JwtVerifier;
using cardsync::admin::Role;

constexpr std::string_view kSecret = "fuzz-hs256-secret-0123456789abcdef";

std::string base64url(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16) |
                   (static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8) |
                   static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    const auto n = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const auto n = (static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16) |
                   (static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::string hs256(std::string_view signing_input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_size);
  return base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

struct Verifier {
  Verifier() : verifier(options(), clock) {}
  static AuthOptions options() {
    AuthOptions o;
    o.hs256_secret = std::string(kSecret);
    o.leeway = std::chrono::seconds(30);
    o.max_token_lifetime = std::chrono::hours(24);
    return o;
  }
  cardsync::ManualClock clock;
  JwtVerifier verifier;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Verifier v;
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool sign = (data[0] & 1) != 0;

  std::string token;
  if (sign) {
    const size_t newline = rest.find('\n');
    const std::string_view header = newline == std::string_view::npos
                                        ? std::string_view(R"({"alg":"HS256","typ":"JWT"})")
                                        : rest.substr(0, newline);
    const std::string_view claims =
        newline == std::string_view::npos ? rest : rest.substr(newline + 1);
    token = base64url(header) + "." + base64url(claims);
    token += "." + hs256(token);
  } else {
    token = std::string(rest);
  }

  const auto check = v.verifier.verify(token);
  if (!check.ok) {
    if (check.problem.empty() || check.role != Role::none) std::abort();
    return 0;
  }
  if (!check.problem.empty() || (check.role != Role::viewer && check.role != Role::operator_)) {
    std::abort();
  }
  // One changed signature byte must be refused. The signature is the text after the last
  // dot; its first character carries six whole bits, so changing it changes the MAC.
  const size_t dot = token.rfind('.');
  if (dot != std::string::npos && dot + 1 < token.size()) {
    std::string forged = token;
    forged[dot + 1] = forged[dot + 1] == 'A' ? 'B' : 'A';
    if (v.verifier.verify(forged).ok) std::abort();
  }
  return 0;
}
