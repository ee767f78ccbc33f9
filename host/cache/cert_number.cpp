#include "cache/cert_number.hpp"

namespace cardsync::cache {

NormalisedCert normalise_cert(std::string_view raw) {
  NormalisedCert out;
  std::string digits;
  for (char c : raw) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.empty()) {
    out.problem =
        "\"" + std::string(raw.substr(0, 40)) + "\" is not a PSA cert number: it has no digits";
    return out;
  }
  if (digits.size() > kMaxCertDigits) {
    out.problem = "\"" + std::string(raw.substr(0, 40)) + "\" is not a PSA cert number: it has " +
                  std::to_string(digits.size()) + " digits, at most " +
                  std::to_string(kMaxCertDigits) + " are possible";
    return out;
  }
  out.digits = std::move(digits);
  return out;
}

}  // namespace cardsync::cache
