#pragma once
// The cursors of a psa.cert job (exact text, see README.md):
//   after GET cert/GetByCertNumber   {"step":"images","cert":"<that response body>"}
//   final, cert found                found
//   final, PSA has no such cert      not_found
//   final, PSA calls the number invalid  invalid
// The checkpoint carries the cert's body so the images answer can be stored together with the
// cert in one transaction (the graded_cert record says how many images PSA has), and so a
// job resumed after a crash asks only for the images instead of spending a second call on
// the cert. The final values become the host's sync cursor psa.cert/<cert>, which the cert
// cache reads, with the time it was written, to decide fresh, stale, not found or invalid.

#include <cardsync/sdk.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::psa {

inline constexpr std::string_view kFoundCursor = sdk::kLookupFound;
inline constexpr std::string_view kNotFoundCursor = sdk::kLookupNotFound;
inline constexpr std::string_view kInvalidCursor = sdk::kLookupInvalid;

struct PendingImages {
  std::string cert_body;  // the GetByCertNumber response, exactly as received

  std::string to_json() const;
  // nullopt for anything else (empty, a final cursor, unreadable text).
  static std::optional<PendingImages> parse(std::string_view cursor);
};

}  // namespace cardsync::psa
