#include "sandbox/psa_certs.hpp"

#include <array>

#include "sandbox/fnv1a.hpp"

namespace cardsync::sandbox {
namespace {

constexpr std::array<std::string_view, 6> kBrands = {"POKEMON BASE SET", "POKEMON JUNGLE",
                                                     "TOPPS CHROME",     "UPPER DECK",
                                                     "MAGIC ALPHA",      "YU-GI-OH! LOB"};
constexpr std::array<std::string_view, 6> kSubjects = {
    "CHARIZARD-HOLO", "BLASTOISE-HOLO", "PIKACHU", "BLACK LOTUS", "DARK MAGICIAN", "MEW"};
constexpr std::array<std::string_view, 6> kGrades = {"GEM MT 10", "MINT 9",  "NM-MT 8",
                                                     "NM 7",      "EX-MT 6", "AUTHENTIC"};

template <std::size_t N>
std::string_view pick(const std::array<std::string_view, N>& from, std::uint64_t h) {
  return from[h % N];
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view to_string(PsaCertStatus status) {
  switch (status) {
    case PsaCertStatus::kFound:
      return "found";
    case PsaCertStatus::kNotFound:
      return "not_found";
    case PsaCertStatus::kNotFoundNullCert:
      return "not_found_null_cert";
    case PsaCertStatus::kInvalid:
      return "invalid";
    case PsaCertStatus::kEmpty:
      return "empty";
  }
  return "invalid";
}

PsaCert psa_cert(std::string_view number) {
  PsaCert c;
  c.number = std::string(number);
  bool digits = !number.empty();
  bool zeros = !number.empty();
  for (char ch : number) {
    digits = digits && ch >= '0' && ch <= '9';
    zeros = zeros && ch == '0';
  }
  if (!digits || number.size() > 10) {
    c.status = PsaCertStatus::kInvalid;
    return c;
  }
  if (zeros) {
    c.status = PsaCertStatus::kEmpty;
    return c;
  }
  if (ends_with(number, "000")) {
    c.status = PsaCertStatus::kNotFound;
    return c;
  }
  if (ends_with(number, "999")) {
    c.status = PsaCertStatus::kNotFoundNullCert;
    return c;
  }
  const std::uint64_t h = fnv1a64(number);
  c.spec_id = static_cast<std::int64_t>(100000 + (h % 9000000));
  c.year = std::to_string(1996 + static_cast<int>((h >> 8U) % 28));
  c.brand = std::string(pick(kBrands, h >> 16U));
  c.category = c.brand.rfind("POKEMON", 0) == 0 ? "TCG Cards" : "Trading Cards";
  c.card_number = std::to_string(1 + (h >> 24U) % 150);
  c.subject = std::string(pick(kSubjects, h >> 32U));
  c.variety = (h >> 40U) % 3 == 0 ? "1ST EDITION" : "";
  c.grade = std::string(pick(kGrades, h >> 44U));
  c.total_population = static_cast<std::int64_t>(1 + (h >> 48U) % 5000);
  c.population_higher = static_cast<std::int64_t>((h >> 52U) % 200);
  const std::string base = "https://sandbox.psacard.invalid/cert/" + c.number;
  const char last = number.back();
  if (last == '1') {
    c.images = {{false, base + "/back.jpg"}, {true, base + "/front.jpg"}};
  } else if (last != '2') {
    c.images = {{true, base + "/front.jpg"}, {false, base + "/back.jpg"}};
  }
  return c;
}

}  // namespace cardsync::sandbox
