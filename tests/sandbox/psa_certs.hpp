#pragma once
// The emulated PSA certificate registry: every cert number has a fixed answer computed from
// its digits (nothing is stored), chosen so each case docs/upstream-apis.md describes is one
// number away. By the digits as the request sends them:
//   non-digits, or more than 10 digits   400 (PSA: bad cert number)
//   only zeros ("0", "000")              204 (PSA: empty request)
//   ending in 000                        200 {"IsValidRequest":true,"ServerMessage":"No data
//   found"} ending in 999                        the same, with "PSACert": null (the other reading)
//   otherwise                            200 with PSACert, and images by the last digit:
//     1: [back, front] (back first)      2: [] (graded before late 2021)
//     anything else: [front, back]
// Grades, subjects, years and populations are hashed from the digits, so two sandboxes agree.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::sandbox {

enum class PsaCertStatus { kFound, kNotFound, kNotFoundNullCert, kInvalid, kEmpty };

struct PsaImage {
  bool front = true;
  std::string url;
};

struct PsaCert {
  PsaCertStatus status = PsaCertStatus::kFound;
  std::string number;  // as requested: leading zeros kept
  std::int64_t spec_id = 0;
  std::string year, brand, category, card_number, subject, variety, grade;
  std::int64_t total_population = 0;
  std::int64_t population_higher = 0;
  std::vector<PsaImage> images;  // in the order the API sends them
};

PsaCert psa_cert(std::string_view number);
std::string_view to_string(PsaCertStatus status);

// A sample number of each kind, for tests and the truth endpoint.
struct PsaExamples {
  static constexpr std::string_view kFound = "10000017";
  static constexpr std::string_view kBackFirst = "10000021";
  static constexpr std::string_view kNoImages = "10000032";
  static constexpr std::string_view kLeadingZeros = "00012345";
  static constexpr std::string_view kNotFound = "10000000";
  static constexpr std::string_view kNotFoundNullCert = "10000999";
  static constexpr std::string_view kInvalid = "12345678901";
  static constexpr std::string_view kEmpty = "0";
};

}  // namespace cardsync::sandbox
