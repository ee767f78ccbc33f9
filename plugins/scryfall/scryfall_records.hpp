#pragma once
// Scryfall items -> canonical core fields (docs/canonical-records.md). A set maps to a set of
// the single game "magic", a card (one printing) to a card, and each of its finishes to one
// variant whose price comes from the first configured currency that has one.

#include <cardsync/parsed_body.hpp>

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::scryfall {

inline constexpr std::string_view kGameKey = "magic";
inline constexpr std::string_view kGameName = "Magic: The Gathering";

std::string game_core(std::optional<std::int64_t> sets_count);
std::string set_core(const rapidjson::Value& set);
std::string card_core(const rapidjson::Value& card);

struct Variant {
  std::string key;   // "<card id>/<finish>"
  std::string core;  // condition, printing, language, price_cents, currency
  std::string raw;   // {"finish": ..., "prices": <the card's prices as received>}
};
// One variant per finish of a schema-valid card of `body`.
std::vector<Variant> card_variants(const rapidjson::Value& card, const sdk::ParsedBody& body,
                                   const std::vector<std::string>& currencies);

}  // namespace cardsync::scryfall
