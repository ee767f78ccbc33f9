#pragma once
// A PSA cert number as people type it ("0123 4567", "#1234-5678") made canonical before any
// request or cache read: digits only, leading zeros kept (PSA keeps them), refused when empty
// or longer than 12 digits. The PSA provider checks job keys against the same rule (the
// plugin's cert_number.hpp; the two cannot share code across the plugin boundary).

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::cache {

inline constexpr std::size_t kMaxCertDigits = 12;

struct NormalisedCert {
  std::optional<std::string> digits;  // set when valid
  std::string problem;                // otherwise: why, fit to show the user
};

NormalisedCert normalise_cert(std::string_view raw);

}  // namespace cardsync::cache
