#include "psa_records.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <cstdint>

namespace cardsync::psa {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

// Text fields: strings as sent; numbers (PSA has sent Year and CardNumber as numbers) as
// their decimal text; "" stays "" (PSA's Variety is often empty on purpose).
void text(Writer& w, const rapidjson::Value& obj, const char* from, const char* to) {
  w.Key(to);
  const rapidjson::Value* v = member(obj, from);
  if (v != nullptr && v->IsString()) {
    w.String(v->GetString(), v->GetStringLength());
  } else if (v != nullptr && v->IsInt64()) {
    w.String(std::to_string(v->GetInt64()));
  } else {
    w.Null();
  }
}

std::optional<std::int64_t> integer(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsString()) {
    std::int64_t n = 0;
    const char* begin = v->GetString();
    const char* end = begin + v->GetStringLength();
    auto [at, ec] = std::from_chars(begin, end, n);
    if (ec == std::errc() && at == end) return n;
  }
  return std::nullopt;
}

void integer_field(Writer& w, const rapidjson::Value& obj, const char* from, const char* to) {
  w.Key(to);
  if (auto n = integer(obj, from)) {
    w.Int64(*n);
  } else {
    w.Null();
  }
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
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("grade");
  const rapidjson::Value* grade = member(psa_cert, "CardGrade");
  if (grade == nullptr || !grade->IsString()) grade = member(psa_cert, "GradeDescription");
  std::optional<double> value;
  if (grade != nullptr && grade->IsString()) {
    w.String(grade->GetString(), grade->GetStringLength());
    value = grade_value({grade->GetString(), grade->GetStringLength()});
  } else {
    w.Null();
  }
  w.Key("grade_value");
  if (value) {
    w.Double(*value);
  } else {
    w.Null();
  }
  text(w, psa_cert, "Subject", "subject");
  text(w, psa_cert, "Year", "year");
  text(w, psa_cert, "Brand", "brand");
  text(w, psa_cert, "Category", "category");
  text(w, psa_cert, "CardNumber", "card_number");
  text(w, psa_cert, "Variety", "variety");
  integer_field(w, psa_cert, "SpecID", "spec_id");
  integer_field(w, psa_cert, "TotalPopulation", "population");
  integer_field(w, psa_cert, "PopulationHigher", "population_higher");
  w.Key("not_found");
  w.Bool(false);
  w.Key("image_count");
  w.Int(image_count);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string image_core(std::string_view side, std::string_view url) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("side");
  w.String(side.data(), static_cast<rapidjson::SizeType>(side.size()));
  w.Key("url");
  w.String(url.data(), static_cast<rapidjson::SizeType>(url.size()));
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string compact_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  value.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::psa
