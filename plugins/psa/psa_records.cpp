#include "psa_records.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/json_fields.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>

namespace cardsync::psa {
namespace {

// Text fields: strings as sent; numbers (PSA has sent Year and CardNumber as numbers) as
// their decimal text; "" stays "" (PSA's Variety is often empty on purpose).
std::optional<std::string> text(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = sdk::member(obj, key);
  return v != nullptr && (v->IsString() || v->IsInt64()) ? sdk::text_or_number(v) : std::nullopt;
}

std::optional<std::int64_t> integer(const rapidjson::Value& obj, const char* key) {
  return sdk::integer_of(sdk::member(obj, key));
}

}  // namespace

std::optional<double> grade_value(std::string_view grade) {
  while (!grade.empty() && grade.back() == ' ') grade.remove_suffix(1);
  const auto space = grade.find_last_of(' ');
  std::string_view token = space == std::string_view::npos ? grade : grade.substr(space + 1);
  if (token.empty()) return std::nullopt;
  double value = 0;
  auto [at, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || at != token.data() + token.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string cert_core(const rapidjson::Value& psa_cert, int image_count) {
  const rapidjson::Value* grade = sdk::member(psa_cert, "CardGrade");
  if (grade == nullptr || !grade->IsString()) grade = sdk::member(psa_cert, "GradeDescription");
  const bool graded = grade != nullptr && grade->IsString();
  return sdk::JsonObject()
      .text("grade", grade)
      .number("grade_value", graded ? grade_value(sdk::text_of(grade)) : std::nullopt)
      .text("subject", text(psa_cert, "Subject"))
      .text("year", text(psa_cert, "Year"))
      .text("brand", text(psa_cert, "Brand"))
      .text("category", text(psa_cert, "Category"))
      .text("card_number", text(psa_cert, "CardNumber"))
      .text("variety", text(psa_cert, "Variety"))
      .integer("spec_id", integer(psa_cert, "SpecID"))
      .integer("population", integer(psa_cert, "TotalPopulation"))
      .integer("population_higher", integer(psa_cert, "PopulationHigher"))
      .boolean("not_found", false)
      .integer("image_count", image_count)
      .str();
}

std::string image_core(std::string_view side, std::string_view url) {
  return sdk::JsonObject().text("side", side).text("url", url).str();
}

}  // namespace cardsync::psa
