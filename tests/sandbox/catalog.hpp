#pragma once
// The emulated upstream's catalog: games × sets × cards × variants, every item computed on
// demand from (seed, indices). Only games and sets (a few thousand at most) are built up
// front, for id lookups; cards and variants are derived per request, and only changed prices
// are stored (PriceBook), so a million variants need a few megabytes.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sandbox/price_book.hpp"

namespace cardsync::sandbox {

struct CatalogShape {
  std::uint64_t seed = 1;
  std::uint32_t games = 3;
  std::uint32_t sets_per_game = 4;
  std::uint32_t cards_per_set = 50;
  std::uint32_t variants_per_card = 5;
  // Fraction of cards that carry a schema defect (see Defect), on the card itself or on one
  // of its variants; chosen per card from the seed.
  double invalid_rate = 0.0;
};

// How an item is broken. Invalidity is per item, as a provider quarantines it: a card
// defect rejects the card with all its variants; a price defect rejects one variant alone
// (always the card's variant kDefectiveVariant, whichever response serves it, mutated or not)
// and leaves the card and its other variants valid.
enum class Defect : std::uint8_t {
  kNone,
  kMissingName,     // card: required `name` absent
  kPriceWrongType,  // variant: `price` is a boolean
  kNegativePrice,   // variant: `price` below zero
};
// The ordinal of the variant a price defect sits on: fixed, so the truth knows its id.
inline constexpr std::uint32_t kDefectiveVariant = 0;
std::string_view defect_name(Defect defect);
// JSON pointer of the defect in the card as a full listing serves it (the defective variant
// is the first one there).
std::string_view defect_path(Defect defect);
// True for defects that invalidate the whole card, false for per-variant ones.
bool defect_rejects_card(Defect defect);

struct GameItem {
  std::uint32_t index = 0;
  std::string slug;
  std::string name;
  bool last_updated_as_string = false;  // upstream sends it as "1712345678" for some games
  std::int64_t value_cents = 0;
  double change_7d_pct = 0;
  double change_30d_pct = 0;
  double change_90d_pct = 0;
};

struct SetItem {
  std::uint32_t index = 0;  // global: game * sets_per_game + position in game
  std::uint32_t game = 0;
  std::string slug;
  std::string id;  // "<set slug>-<game slug>", as upstream's "base-set-pokemon"
  std::string name;
  std::optional<std::string> release_date;  // ISO 8601, or null
  std::int64_t value_cents = 0;
  double change_7d_pct = 0;
  double change_30d_pct = 0;
  double change_90d_pct = 0;
  std::uint64_t first_card = 0;
};

struct CardItem {
  std::uint64_t index = 0;  // global: set * cards_per_set + ordinal
  std::uint32_t game = 0;
  std::uint32_t set = 0;  // global set index
  std::uint32_t ordinal = 0;
  std::string id;
  std::string name;
  std::optional<std::string> number;  // "017", "N/A", or null
  std::optional<std::string> rarity;
  std::optional<std::string> tcgplayer_id;
  std::optional<std::string> scryfall_id;  // Magic only
  std::optional<std::string> mtgjson_id;   // Magic only
  bool details_null = false;               // `details: null`; otherwise the key is absent
  bool english_as_null = false;            // `language: null` for English variants
  std::uint32_t printing_offset = 0;
  std::int64_t base_cents = 0;
  Defect defect = Defect::kNone;  // of the card or of its variant kDefectiveVariant
};

// Whether the card itself is invalid (and with it every variant).
bool card_invalid(const CardItem& card);
// The defect the variant `ordinal` of `card` is served with: the card's price defect on
// kDefectiveVariant, none elsewhere (a card defect is the card's, not the variant's).
Defect variant_defect(const CardItem& card, std::uint32_t ordinal);

struct VariantItem {
  std::uint64_t index = 0;  // global: card * variants_per_card + ordinal
  std::uint32_t ordinal = 0;
  std::uint32_t condition = 0;  // index into card_conditions()
  std::uint32_t printing = 0;   // index into card_printings()
  std::uint32_t language = 0;   // index into card_languages()
  std::string id;
  std::string sku;
  std::int64_t price_cents = 0;
  std::int64_t last_updated = 0;
};

struct VariantRef {
  std::uint64_t card = 0;
  std::uint32_t ordinal = 0;
};

// Thread-safe: everything is const except mutate(), which serialises with itself and
// publishes through the PriceBook.
class Catalog {
 public:
  // Generated lastUpdated values all lie in (kEpoch - 30 days, kEpoch]; mutations stamp the
  // server's clock, which is later, so `updated_after >= kEpoch` sees only mutated variants.
  static constexpr std::int64_t kEpoch = 1735689600;  // 2025-01-01T00:00:00Z
  static constexpr std::uint32_t kMaxVariantsPerCard = 64;

  // Throws std::invalid_argument for an empty or oversized shape.
  explicit Catalog(CatalogShape shape);

  const CatalogShape& shape() const { return shape_; }
  std::uint32_t game_count() const { return shape_.games; }
  std::uint32_t set_count() const { return static_cast<std::uint32_t>(sets_.size()); }
  std::uint64_t card_count() const { return cards_; }
  std::uint64_t variant_count() const { return cards_ * shape_.variants_per_card; }
  std::uint64_t cards_per_game() const {
    return std::uint64_t{shape_.sets_per_game} * shape_.cards_per_set;
  }

  const GameItem& game(std::uint32_t index) const { return games_.at(index); }
  const SetItem& set(std::uint32_t index) const { return sets_.at(index); }
  CardItem card(std::uint64_t index) const;
  // With the current price: a stored change when there is one, the generated one otherwise.
  VariantItem variant(const CardItem& card, std::uint32_t ordinal) const;
  // Same, with the change already looked up (nullptr: unchanged).
  VariantItem variant(const CardItem& card, std::uint32_t ordinal, const PriceChange* change) const;
  // Current price and lastUpdated only, without building ids: what filters need.
  PriceChange variant_state(const CardItem& card, std::uint32_t ordinal) const;
  std::uint32_t condition_of(std::uint32_t ordinal) const;
  std::uint32_t printing_of(const CardItem& card, std::uint32_t ordinal) const;
  // Latest lastUpdated of any variant in the game.
  std::int64_t game_last_updated(std::uint32_t game) const;

  // Lookups by the ids the API accepts. Game: slug, display name (any case) or "mtg".
  std::optional<std::uint32_t> find_game(std::string_view key) const;
  std::optional<std::uint32_t> find_set(std::string_view id) const;
  std::optional<std::uint64_t> find_card(std::string_view id) const;
  std::optional<VariantRef> find_variant(std::string_view id) const;
  std::optional<std::uint64_t> find_card_by_tcgplayer_id(std::string_view id) const;
  std::optional<VariantRef> find_variant_by_sku(std::string_view sku) const;
  std::optional<std::uint64_t> find_card_by_scryfall_id(std::string_view id) const;
  std::optional<std::uint64_t> find_card_by_mtgjson_id(std::string_view id) const;

  // Changes the price of about `fraction` of all variants (chosen from the seed and the
  // round number, so the same seed and the same sequence of calls pick the same variants)
  // and stamps them `now` (epoch seconds). Returns how many changed.
  std::uint64_t mutate(double fraction, std::int64_t now);
  std::uint32_t mutation_rounds() const;
  const PriceBook& prices() const { return prices_; }

 private:
  std::int64_t generated_price(const CardItem& card, std::uint32_t ordinal) const;
  std::int64_t generated_last_updated(std::uint64_t variant) const;
  std::string variant_id(const CardItem& card, std::uint32_t ordinal) const;

  CatalogShape shape_;
  std::uint64_t cards_ = 0;
  std::vector<GameItem> games_;
  std::vector<SetItem> sets_;
  std::unordered_map<std::string, std::uint32_t> game_by_key_;
  std::unordered_map<std::string, std::uint32_t> set_by_id_;
  // "<game slug>-<set slug>": the prefix of every card id in the set.
  std::unordered_map<std::string, std::uint32_t> set_by_card_prefix_;
  PriceBook prices_;
  mutable std::mutex mutate_mu_;
  std::uint32_t rounds_ = 0;
  std::vector<std::int64_t> game_last_updated_;
};

}  // namespace cardsync::sandbox
