#include "cert_number.hpp"

namespace cardsync::psa {

CertNumber normalise_cert_number(std::string_view raw) {
  CertNumber out;
  std::string digits;
  for (char c : raw) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.empty()) {
    out.problem = "a PSA cert number needs at least one digit";
    return out;
  }
  if (digits.size() > kMaxCertDigits) {
    out.problem = "a PSA cert number has at most " + std::to_string(kMaxCertDigits) +
                  " digits; this one has " + std::to_string(digits.size());
    return out;
  }
  out.digits = std::move(digits);
  return out;
}

}  // namespace cardsync::psa
