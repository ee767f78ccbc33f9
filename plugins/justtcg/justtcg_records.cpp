#include "justtcg_records.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>

#include "decimal_number.hpp"

namespace cardsync::justtcg {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_optional(Writer& w, const char* key, const std::optional<std::int64_t>& v) {
  w.Key(key);
  if (v) {
    w.Int64(*v);
  } else {
    w.Null();
  }
}

std::optional<std::int64_t> whole(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = field(obj, key);
  return v == nullptr ? std::nullopt : scale_json_number(*v, 0, Rounding::toward_zero);
}

// A string, or a number written as its text (ids and collector numbers that came as numbers).
std::optional<std::string> text_or_number(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = field(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  if (v->IsNumber()) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    v->Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
  }
  return std::nullopt;
}

void write_text_field(Writer& w, const char* out_key, const std::optional<std::string>& v) {
  w.Key(out_key);
  if (v) {
    write_text(w, *v);
  } else {
    w.Null();
  }
}

bool is_not_applicable(std::string_view s) {
  std::string t;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return t.empty() || t == "n/a" || t == "na";
}

std::string finish(rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

const rapidjson::Value* field(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string_view text_field(const rapidjson::Value& obj, const char* key,
                            std::string_view fallback) {
  const rapidjson::Value* v = field(obj, key);
  return v != nullptr && v->IsString() ? std::string_view(v->GetString(), v->GetStringLength())
                                       : fallback;
}

std::string game_core(const rapidjson::Value& game) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("name");
  write_text(w, text_field(game, "name"));
  auto cards = whole(game, "cards_count");
  write_optional(w, "cards_count", cards ? cards : whole(game, "count"));
  write_optional(w, "sets_count", whole(game, "sets_count"));
  write_optional(w, "last_updated", whole(game, "last_updated"));
  w.EndObject();
  return finish(buf);
}

std::string set_core(const rapidjson::Value& set) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("name");
  write_text(w, text_field(set, "name"));
  write_text_field(w, "release_date", text_or_number(set, "release_date"));
  auto cards = whole(set, "cards_count");
  write_optional(w, "cards_count", cards ? cards : whole(set, "count"));
  w.EndObject();
  return finish(buf);
}

std::string card_core(const rapidjson::Value& card) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("name");
  write_text(w, text_field(card, "name"));
  write_text_field(w, "game", text_or_number(card, "game"));
  auto number = text_or_number(card, "number");
  if (number && is_not_applicable(*number)) number.reset();
  write_text_field(w, "number", number);
  write_text_field(w, "rarity", text_or_number(card, "rarity"));
  write_text_field(w, "tcgplayer_id", text_or_number(card, "tcgplayerId"));
  w.EndObject();
  return finish(buf);
}

std::optional<sdk::Rejection> read_variant_numbers(const rapidjson::Value& variant,
                                                   VariantNumbers& out) {
  if (const rapidjson::Value* price = field(variant, "price")) {
    out.price_cents = scale_json_number(*price, 2, Rounding::half_away_from_zero);
    if (!out.price_cents || *out.price_cents < 0) {
      return sdk::Rejection{"price: expected a non-negative USD amount that fits in cents",
                            "/price"};
    }
  }
  if (const rapidjson::Value* t = field(variant, "lastUpdated")) {
    out.last_updated = scale_json_number(*t, 0, Rounding::toward_zero);
    if (!out.last_updated || *out.last_updated < 0) {
      return sdk::Rejection{"lastUpdated: expected Unix seconds that fit in 64 bits",
                            "/lastUpdated"};
    }
  }
  return std::nullopt;
}

std::string variant_core(const rapidjson::Value& variant, const VariantNumbers& numbers) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("condition");
  write_text(w, text_field(variant, "condition"));
  write_text_field(w, "printing", text_or_number(variant, "printing"));
  write_text_field(w, "language", text_or_number(variant, "language"));
  write_optional(w, "price_cents", numbers.price_cents);
  w.Key("currency");
  w.String("USD");  // JustTCG prices are all USD
  write_optional(w, "last_updated", numbers.last_updated);
  write_text_field(w, "sku", text_or_number(variant, "tcgplayerSkuId"));
  w.EndObject();
  return finish(buf);
}

}  // namespace cardsync::justtcg
