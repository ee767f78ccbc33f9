#pragma once
// JustTCG's wire shapes, casing and all: games and sets in snake_case, cards and variants in
// camelCase, `game` on a card as the display name, prices as JSON numbers in dollars,
// statistics as numbers, nulls or absent keys. Schema-invalid items are broken here, at the
// moment they are written, so a defect shows in every response that carries its item: a card
// defect wherever the card is served, a variant defect wherever that variant is.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>

#include "sandbox/catalog.hpp"
#include "sandbox/variant_statistics.hpp"

namespace cardsync::sandbox {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct CardView {
  unsigned timeframes = kDefaultTimeframes;  // which statistics to include
  bool price_history = false;
  unsigned history_days = 7;
};

// 1234 -> 12.34, written as a JSON number without going through binary floating point.
void write_cents(JsonWriter& w, std::int64_t cents);
void write_game(JsonWriter& w, const Catalog& catalog, const GameItem& game);
void write_set(JsonWriter& w, const Catalog& catalog, const SetItem& set);
// Writes the card with the variants whose bit is set in `variants`; returns how many.
std::uint32_t write_card(JsonWriter& w, const Catalog& catalog, const CardItem& card,
                         std::uint64_t variants, const CardView& view);

}  // namespace cardsync::sandbox
