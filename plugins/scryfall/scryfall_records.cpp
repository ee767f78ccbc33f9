#include "scryfall_records.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cctype>
#include <utility>

namespace cardsync::scryfall {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

void string_or_null(Writer& w, const char* key, const rapidjson::Value* v) {
  w.Key(key);
  if (v != nullptr && v->IsString()) {
    w.String(v->GetString(), v->GetStringLength());
  } else {
    w.Null();
  }
}

void string_or_null(Writer& w, const char* key, std::optional<std::string_view> v) {
  w.Key(key);
  if (v) {
    w.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
  } else {
    w.Null();
  }
}

std::string done(const rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

// Scryfall's language codes as the display names other sources use, so variants from
// different providers compare; an unknown code stays as sent.
std::string language_name(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kNames{{
      {"en", "English"},
      {"es", "Spanish"},
      {"fr", "French"},
      {"de", "German"},
      {"it", "Italian"},
      {"pt", "Portuguese"},
      {"ja", "Japanese"},
      {"ko", "Korean"},
      {"ru", "Russian"},
      {"zhs", "Chinese Simplified"},
      {"zht", "Chinese Traditional"},
      {"he", "Hebrew"},
      {"la", "Latin"},
      {"grc", "Ancient Greek"},
      {"ar", "Arabic"},
      {"sa", "Sanskrit"},
      {"ph", "Phyrexian"},
  }};
  for (const auto& [c, name] : kNames) {
    if (c == code) return std::string(name);
  }
  return std::string(code);
}

// JustTCG's printing names for the same finishes.
std::string printing_name(std::string_view finish) {
  if (finish == "nonfoil") return "Normal";
  if (finish == "foil") return "Foil";
  if (finish == "etched") return "Etched";
  return std::string(finish);
}

// prices.<currency>, prices.<currency>_foil, prices.<currency>_<finish>.
std::optional<std::string_view> price_text(const rapidjson::Value* prices,
                                           const std::string& currency, std::string_view finish) {
  if (prices == nullptr) return std::nullopt;
  std::string field = currency;
  if (finish != "nonfoil") field += "_" + std::string(finish);
  const rapidjson::Value* v = member(*prices, field.c_str());
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

}  // namespace

std::optional<std::int64_t> price_cents(std::string_view decimal) {
  std::int64_t units = 0;
  std::size_t i = 0;
  for (; i < decimal.size() && decimal[i] != '.'; ++i) {
    if (std::isdigit(static_cast<unsigned char>(decimal[i])) == 0 || i >= 12) return std::nullopt;
    units = units * 10 + (decimal[i] - '0');
  }
  if (i == 0) return std::nullopt;
  std::int64_t cents = 0;
  int digits = 0;
  bool round_up = false;
  for (std::size_t k = i + 1; k < decimal.size(); ++k, ++digits) {
    if (std::isdigit(static_cast<unsigned char>(decimal[k])) == 0) return std::nullopt;
    // Only the third decimal decides the rounding of a non-negative amount.
    if (digits < 2) cents = cents * 10 + (decimal[k] - '0');
    if (digits == 2) round_up = decimal[k] >= '5';
  }
  if (i < decimal.size() && digits == 0) return std::nullopt;
  for (int d = digits; d < 2; ++d) cents *= 10;
  return units * 100 + cents + (round_up ? 1 : 0);
}

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  value.Accept(w);
  return done(buf);
}

std::string game_core(std::optional<std::int64_t> sets_count) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("name");
  w.String(kGameName.data(), static_cast<rapidjson::SizeType>(kGameName.size()));
  w.Key("cards_count");
  w.Null();
  w.Key("sets_count");
  sets_count ? w.Int64(*sets_count) : w.Null();
  w.Key("last_updated");
  w.Null();
  w.EndObject();
  return done(buf);
}

std::string set_core(const rapidjson::Value& set) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  string_or_null(w, "name", member(set, "name"));
  string_or_null(w, "release_date", member(set, "released_at"));
  w.Key("cards_count");
  const rapidjson::Value* count = member(set, "card_count");
  count != nullptr && count->IsInt64() ? w.Int64(count->GetInt64()) : w.Null();
  w.EndObject();
  return done(buf);
}

std::string card_core(const rapidjson::Value& card) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  string_or_null(w, "name", member(card, "name"));
  string_or_null(w, "game", kGameName);
  string_or_null(w, "number", member(card, "collector_number"));
  string_or_null(w, "rarity", member(card, "rarity"));
  const rapidjson::Value* tcgplayer = member(card, "tcgplayer_id");
  const std::string tcgplayer_text =
      tcgplayer != nullptr && tcgplayer->IsInt64() ? std::to_string(tcgplayer->GetInt64()) : "";
  string_or_null(
      w, "tcgplayer_id",
      tcgplayer_text.empty() ? std::nullopt : std::optional<std::string_view>(tcgplayer_text));
  w.EndObject();
  return done(buf);
}

std::vector<Variant> card_variants(const rapidjson::Value& card,
                                   const std::vector<std::string>& currencies) {
  std::vector<Variant> out;
  const rapidjson::Value* finishes = member(card, "finishes");
  if (finishes == nullptr || !finishes->IsArray()) return out;
  const rapidjson::Value* prices = member(card, "prices");
  const rapidjson::Value* lang = member(card, "lang");
  const std::string id = member(card, "id")->GetString();
  const std::string prices_text = prices != nullptr ? json_text(*prices) : "null";
  for (const auto& f : finishes->GetArray()) {
    const std::string_view finish(f.GetString(), f.GetStringLength());
    // The first currency with a price; none priced: price null in the first currency, so the
    // finish is known to exist and a later price updates this row instead of adding one.
    std::string currency = currencies.front();
    std::optional<std::int64_t> cents;
    for (const auto& c : currencies) {
      if (auto text = price_text(prices, c, finish)) {
        if ((cents = price_cents(*text))) {
          currency = c;
          break;
        }
      }
    }
    for (char& ch : currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));

    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    string_or_null(w, "condition", std::string_view("Near Mint"));
    const std::string printing = printing_name(finish);
    string_or_null(w, "printing", std::string_view(printing));
    const std::string language =
        lang != nullptr && lang->IsString() ? language_name(lang->GetString()) : "";
    string_or_null(w, "language",
                   language.empty() ? std::nullopt : std::optional<std::string_view>(language));
    w.Key("price_cents");
    cents ? w.Int64(*cents) : w.Null();
    string_or_null(w, "currency", std::string_view(currency));
    w.Key("last_updated");
    w.Null();
    w.Key("sku");
    w.Null();
    w.EndObject();

    std::string raw = R"({"finish":)" + json_text(f) + R"(,"prices":)" + prices_text + "}";
    out.push_back({id + "/" + std::string(finish), done(buf), std::move(raw)});
  }
  return out;
}

}  // namespace cardsync::scryfall
