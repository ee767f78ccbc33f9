#pragma once
// Maps schema-valid JustTCG items onto the canonical records' core fields
// (docs/canonical-records.md). Absent and null mean the same; numbers may arrive as strings;
// ids stay opaque strings.

#include <cardsync/json_fields.hpp>
#include <cardsync/validation.hpp>

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::justtcg {

using sdk::text_member;

// {"name","cards_count","sets_count","last_updated"}
std::string game_core(const rapidjson::Value& game);
// {"name","release_date","cards_count"}
std::string set_core(const rapidjson::Value& set);
// {"name","game","number","rarity","tcgplayer_id"}; number "N/A" becomes null.
std::string card_core(const rapidjson::Value& card);

struct VariantNumbers {
  std::optional<std::int64_t> price_cents;
  std::optional<std::int64_t> last_updated;
};
// Converts price and lastUpdated; a rejection (with a path inside the variant) when a value the
// schema let through cannot be represented (e.g. a price string of 30 digits).
std::optional<sdk::Rejection> read_variant_numbers(const rapidjson::Value& variant,
                                                   VariantNumbers& out);
// {"condition","printing","language","price_cents","currency","last_updated","sku"}
std::string variant_core(const rapidjson::Value& variant, const VariantNumbers& numbers);

}  // namespace cardsync::justtcg
