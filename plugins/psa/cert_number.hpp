#pragma once
// What a PSA cert number is once a person has typed it: the digits only (spaces, dashes and
// other separators dropped), leading zeros kept because PSA keeps them, and neither empty nor
// longer than any number PSA issues. The host's cert lookup applies the same rule before it
// spends a call; the provider checks job keys with it so a bad key never reaches PSA.

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::psa {

inline constexpr std::size_t kMaxCertDigits = 12;

struct CertNumber {
  std::optional<std::string> digits;  // the normalised number when valid
  std::string problem;                // why not, fit to show the user
};

CertNumber normalise_cert_number(std::string_view raw);

}  // namespace cardsync::psa
