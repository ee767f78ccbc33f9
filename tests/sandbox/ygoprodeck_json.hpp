#pragma once
// YGOPRODeck's wire shapes: snake_case sets, cards with an integer `id`, every price a
// decimal string ("0.00" when unknown), `card_sets`, `archetype`, `tcg_date` and the monster
// stats left out where the item has none.

#include <string>
#include <vector>

#include "sandbox/justtcg_json.hpp"
#include "sandbox/ygoprodeck_catalog.hpp"

namespace cardsync::sandbox {

// 1234 -> "12.34", 0 -> "0.00"
std::string ygoprodeck_price_text(std::int64_t cents);
void write_ygoprodeck_set(JsonWriter& w, const YgoProDeckSet& set);
void write_ygoprodeck_card(JsonWriter& w, const YgoProDeckCard& card,
                           const std::vector<YgoProDeckSet>& sets);

}  // namespace cardsync::sandbox
