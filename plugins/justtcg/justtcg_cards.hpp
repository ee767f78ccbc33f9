#pragma once
// The cards of a /cards answer as records: each schema-valid card and its variants, keyed by
// JustTCG's card and variant ids. Every job that receives cards (a set's pages, a refresh
// batch, a card lookup) emits them through this, so they all write the same rows.

#include <cardsync/parsed_body.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "justtcg_schemas.hpp"

namespace cardsync::justtcg {

struct EmittedCards {
  std::size_t cards = 0;                    // card records emitted
  std::string first_card;                   // the key of the first of them
  std::optional<std::int64_t> newest;       // the newest lastUpdated among emitted variants
  std::optional<sdk::Rejection> first_bad;  // why the first rejected card was rejected
};

// Emits the cards of `data` (a /cards "data" array belonging to `body`) and their variants.
// A bad card is rejected whole; a bad variant is rejected alone (path inside the card, raw
// text of the card) and its card and sibling variants are kept. A card without "set" gets
// `fallback_set` as its parent.
EmittedCards emit_cards(const rapidjson::Value& data, const sdk::ParsedBody& body,
                        const ItemSchemas& schemas, std::string_view fallback_set,
                        const sdk::Emitter& out);

}  // namespace cardsync::justtcg
