#include "scryfall_records.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/decimal.hpp>
#include <cardsync/json_fields.hpp>

#include <array>
#include <cctype>
#include <utility>

namespace cardsync::scryfall {
namespace {

// Scryfall's language codes as the display names other sources use, so variants from
// different providers compare; an unknown code stays as sent.
std::string_view language_name(std::string_view code) {
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
    if (c == code) return name;
  }
  return code;
}

// JustTCG's printing names for the same finishes.
std::string_view printing_name(std::string_view finish) {
  if (finish == "nonfoil") return "Normal";
  if (finish == "foil") return "Foil";
  if (finish == "etched") return "Etched";
  return finish;
}

// prices.<currency>, prices.<currency>_foil, prices.<currency>_<finish>, in cents. The card
// schema admits only digits[.digits] there.
std::optional<std::int64_t> price(const rapidjson::Value* prices, const std::string& currency,
                                  std::string_view finish) {
  if (prices == nullptr) return std::nullopt;
  std::string field = currency;
  if (finish != "nonfoil") field += "_" + std::string(finish);
  const rapidjson::Value* v = sdk::member(*prices, field.c_str());
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return sdk::to_cents(*v);
}

}  // namespace

std::string game_core(std::optional<std::int64_t> sets_count) {
  return sdk::JsonObject()
      .text("name", kGameName)
      .null("cards_count")
      .integer("sets_count", sets_count)
      .null("last_updated")
      .str();
}

std::string set_core(const rapidjson::Value& set) {
  const rapidjson::Value* count = sdk::member(set, "card_count");
  return sdk::JsonObject()
      .text("name", sdk::member(set, "name"))
      .text("release_date", sdk::member(set, "released_at"))
      .integer("cards_count", count != nullptr && count->IsInt64()
                                  ? std::optional<std::int64_t>(count->GetInt64())
                                  : std::nullopt)
      .str();
}

std::string card_core(const rapidjson::Value& card) {
  const rapidjson::Value* tcgplayer = sdk::member(card, "tcgplayer_id");
  return sdk::JsonObject()
      .text("name", sdk::member(card, "name"))
      .text("game", kGameName)
      .text("number", sdk::member(card, "collector_number"))
      .text("rarity", sdk::member(card, "rarity"))
      .text("tcgplayer_id", tcgplayer != nullptr && tcgplayer->IsInt64()
                                ? sdk::text_or_number(tcgplayer)
                                : std::nullopt)
      .str();
}

std::vector<Variant> card_variants(const rapidjson::Value& card, const sdk::ParsedBody& body,
                                   const std::vector<std::string>& currencies) {
  std::vector<Variant> out;
  const rapidjson::Value* finishes = sdk::member(card, "finishes");
  if (finishes == nullptr || !finishes->IsArray()) return out;
  const rapidjson::Value* prices = sdk::member(card, "prices");
  const rapidjson::Value* lang = sdk::member(card, "lang");
  const std::string id(sdk::text_member(card, "id"));
  const std::string prices_text = prices != nullptr ? body.raw(*prices) : "null";
  for (const auto& f : finishes->GetArray()) {
    const std::string_view finish(f.GetString(), f.GetStringLength());
    // The first currency with a price; none priced: price null in the first currency, so the
    // finish is known to exist and a later price updates this row instead of adding one.
    std::string currency = currencies.front();
    std::optional<std::int64_t> cents;
    for (const auto& c : currencies) {
      if ((cents = price(prices, c, finish))) {
        currency = c;
        break;
      }
    }
    for (char& ch : currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const std::string_view language = language_name(sdk::text_of(lang));
    std::string core =
        sdk::JsonObject()
            .text("condition", "Near Mint")
            .text("printing", printing_name(finish))
            .text("language", language.empty() ? std::nullopt : std::optional(language))
            .integer("price_cents", cents)
            .text("currency", currency)
            .null("last_updated")
            .null("sku")
            .str();
    std::string raw = R"({"finish":)" + sdk::json_text(f) + R"(,"prices":)" + prices_text + "}";
    out.push_back({id + "/" + std::string(finish), std::move(core), std::move(raw)});
  }
  return out;
}

}  // namespace cardsync::scryfall
