#include "justtcg_records.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/decimal.hpp>

#include <cctype>

namespace cardsync::justtcg {
namespace {

using sdk::member;
using sdk::text_or_number;

std::optional<std::int64_t> whole(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = member(obj, key);
  return v == nullptr ? std::nullopt : sdk::scale_json_number(*v, 0, sdk::Rounding::toward_zero);
}

// cards_count, else count (JustTCG has sent either).
std::optional<std::int64_t> cards_count(const rapidjson::Value& obj) {
  auto cards = whole(obj, "cards_count");
  return cards ? cards : whole(obj, "count");
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

}  // namespace

std::string game_core(const rapidjson::Value& game) {
  return sdk::JsonObject()
      .text("name", text_member(game, "name"))
      .integer("cards_count", cards_count(game))
      .integer("sets_count", whole(game, "sets_count"))
      .integer("last_updated", whole(game, "last_updated"))
      .str();
}

std::string set_core(const rapidjson::Value& set) {
  return sdk::JsonObject()
      .text("name", text_member(set, "name"))
      .text("release_date", text_or_number(member(set, "release_date")))
      .integer("cards_count", cards_count(set))
      .str();
}

std::string card_core(const rapidjson::Value& card) {
  auto number = text_or_number(member(card, "number"));
  if (number && is_not_applicable(*number)) number.reset();
  return sdk::JsonObject()
      .text("name", text_member(card, "name"))
      .text("game", text_or_number(member(card, "game")))
      .text("number", number)
      .text("rarity", text_or_number(member(card, "rarity")))
      .text("tcgplayer_id", text_or_number(member(card, "tcgplayerId")))
      .str();
}

std::optional<sdk::Rejection> read_variant_numbers(const rapidjson::Value& variant,
                                                   VariantNumbers& out) {
  if (const rapidjson::Value* price = member(variant, "price")) {
    out.price_cents = sdk::to_cents(*price);
    if (!out.price_cents || *out.price_cents < 0) {
      return sdk::Rejection{"price: expected a non-negative USD amount that fits in cents",
                            "/price"};
    }
  }
  if (const rapidjson::Value* t = member(variant, "lastUpdated")) {
    out.last_updated = sdk::scale_json_number(*t, 0, sdk::Rounding::toward_zero);
    if (!out.last_updated || *out.last_updated < 0) {
      return sdk::Rejection{"lastUpdated: expected Unix seconds that fit in 64 bits",
                            "/lastUpdated"};
    }
  }
  return std::nullopt;
}

std::string variant_core(const rapidjson::Value& variant, const VariantNumbers& numbers) {
  return sdk::JsonObject()
      .text("condition", text_member(variant, "condition"))
      .text("printing", text_or_number(member(variant, "printing")))
      .text("language", text_or_number(member(variant, "language")))
      .integer("price_cents", numbers.price_cents)
      .text("currency", "USD")  // JustTCG prices are all USD
      .integer("last_updated", numbers.last_updated)
      .text("sku", text_or_number(member(variant, "tcgplayerSkuId")))
      .str();
}

}  // namespace cardsync::justtcg
