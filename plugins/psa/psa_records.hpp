#pragma once
// PSA items mapped onto the canonical graded_cert and cert_image core fields
// (docs/canonical-records.md). Absent and null mean the same; numbers PSA sends as strings
// are read; CardGrade's last token is the numeric grade ("GEM MT 10" -> 10, "AUTHENTIC" ->
// null).

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::psa {

// `image_count`: how many images PSA has for the cert (0: none, as for certs graded before
// about October 2021).
std::string cert_core(const rapidjson::Value& psa_cert, int image_count);
// side is "front" or "back".
std::string image_core(std::string_view side, std::string_view url);
// The last whitespace-separated token of a grade, as a number; nullopt when it is not one.
std::optional<double> grade_value(std::string_view grade);

}  // namespace cardsync::psa
