#pragma once
// GET /cards filtering and paging over the lazily generated catalog. A plain page of a set
// or game is index arithmetic; filters scan only the requested scope; `updated_after` past
// the generated timestamps walks only the stored price changes. So paging a million-variant
// catalog never materialises it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/catalog.hpp"

namespace cardsync::sandbox {

inline constexpr std::uint32_t kAnyOf = ~0U;

struct CardFilter {
  std::uint64_t begin = 0;  // card index range searched
  std::uint64_t end = 0;
  std::optional<std::uint32_t> only_variant;  // variantId / tcgplayerSkuId lookups
  std::optional<std::string> number;          // exact `number`
  std::string name_query;                     // lowercase substring of the name; "" = any
  std::uint32_t conditions = kAnyOf;          // bit per card_conditions() index
  std::uint32_t printings = kAnyOf;           // bit per card_printings() index
  // Variants whose lastUpdated is strictly greater; a card matches when one of its
  // variants does, and carries only the variants that do.
  std::optional<std::int64_t> updated_after;
  std::optional<std::int64_t> min_price_cents;
};

enum class CardOrderBy { kCatalog, kPrice, k24h, k7d, k30d, k90d };

struct CardOrder {
  CardOrderBy by = CardOrderBy::kCatalog;
  bool descending = true;
};

struct CardMatch {
  std::uint64_t card = 0;
  std::uint64_t variants = 0;  // bit per variant ordinal
};

struct CardPage {
  std::uint64_t total = 0;  // matches over the whole scope
  std::vector<CardMatch> items;
};

// Matches [offset, offset + count) of the scope in catalog order, or in `order`.
CardPage find_cards(const Catalog& catalog, const CardFilter& filter, const CardOrder& order,
                    std::uint64_t offset, std::uint64_t count);

}  // namespace cardsync::sandbox
