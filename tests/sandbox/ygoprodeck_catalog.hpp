#pragma once
// The emulated YGOPRODeck catalog: Yu-Gi-Oh! sets and cards with the prices of five shops,
// each a pure function of (seed, indices) from its own hash streams (the seed is salted).
// Only TCGplayer prices changed by a mutation are stored (PriceBook).
//
// A card is printed in its own set (one printing, or two rarities under one set code), some
// again in the next set (a reprint: the card is then in two sets' listings), and a few cards
// were never printed in a TCG set (no `card_sets`; only a query without `cardset` finds
// them). Pinned so a default-sized catalog has each quirk: the first card of every set in two
// rarities, the second without an archetype, the third reprinted, the fourth with a
// TCGplayer price of "0.00"; every fourth set from the third without a `tcg_date`, every
// fourth from the second with "&" and ":" in its name.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sandbox/price_book.hpp"

namespace cardsync::sandbox {

struct YgoProDeckShape {
  std::uint32_t sets = 4;
  std::uint32_t cards_per_set = 25;
};

struct YgoProDeckSet {
  std::uint32_t index = 0;
  std::string name;  // what `cardset=` names, unique
  std::string code;  // "YAA": the prefix of its printings' set codes
  std::uint32_t num_of_cards = 0;
  std::optional<std::int64_t> tcg_date;  // epoch seconds; absent from the JSON when unknown
};

struct YgoProDeckPrinting {
  std::uint32_t set = 0;
  std::string set_code;  // "YAA-EN001"
  std::string_view rarity;
  std::string_view rarity_code;  // "(UR)"
  std::int64_t price_cents = 0;  // set_price
};

// card_prices' fields, in the API's order.
enum YgoShop : std::uint8_t {
  kYgoCardmarket,
  kYgoTcgplayer,
  kYgoEbay,
  kYgoAmazon,
  kYgoCoolstuffinc,
  kYgoShops
};
inline constexpr std::array<std::string_view, kYgoShops> kYgoShopPriceNames{
    "cardmarket_price", "tcgplayer_price", "ebay_price", "amazon_price", "coolstuffinc_price"};

struct YgoProDeckCard {
  std::uint64_t index = 0;
  std::uint32_t id = 0;  // the passcode: 8 digits, unique
  std::string name;
  std::string_view type;        // "Effect Monster", "Spell Card", ...
  std::string_view frame_type;  // "effect", "spell", ...
  std::string desc;
  std::string_view race;
  std::optional<std::string_view> attribute;    // monsters
  std::optional<std::string> archetype;         // absent for some
  std::optional<int> atk, def, level, linkval;  // monsters; a Link Monster has no def/level
  std::vector<std::string_view> linkmarkers;
  std::vector<YgoProDeckPrinting> printings;     // empty: `card_sets` absent
  std::array<std::int64_t, kYgoShops> prices{};  // cents; 0 is served as "0.00" (unknown)
};

// Thread-safe: everything is const except mutate(), which serialises with itself and
// publishes through the PriceBook.
class YgoProDeckCatalog {
 public:
  // Throws std::invalid_argument for an empty or oversized shape.
  YgoProDeckCatalog(std::uint64_t seed, YgoProDeckShape shape);

  const YgoProDeckShape& shape() const { return shape_; }
  const std::vector<YgoProDeckSet>& sets() const { return sets_; }
  // Cards with card_sets (every set's own cards) come first, then the unprinted ones.
  std::uint64_t printed_cards() const { return std::uint64_t{shape_.sets} * shape_.cards_per_set; }
  std::uint64_t unprinted_cards() const { return unprinted_; }
  std::uint64_t card_count() const { return printed_cards() + unprinted_; }

  // Case-insensitive, as upstream matches `cardset`.
  std::optional<std::uint32_t> find_set(std::string_view name) const;
  std::optional<std::uint64_t> find_card(std::uint32_t id) const;
  // What `cardset=<name>` lists, in order: the set's own cards, then the previous set's
  // cards reprinted in it.
  std::vector<std::uint64_t> set_cards(std::uint32_t set) const;
  // With the current TCGplayer price: a mutated one when there is one.
  YgoProDeckCard card(std::uint64_t index) const;
  YgoProDeckCard card(std::uint64_t index, const PriceBook::Snapshot& snapshot) const;

  // Changes the TCGplayer price of about `fraction` of the cards that have one (chosen from
  // the seed and the round). Returns how many changed.
  std::uint64_t mutate(double fraction, std::int64_t now);
  const PriceBook& prices() const { return prices_; }

 private:
  YgoProDeckCard generated(std::uint64_t index, std::optional<std::int64_t> tcgplayer) const;
  std::uint32_t passcode(std::uint64_t index) const;

  std::uint64_t seed_;
  YgoProDeckShape shape_;
  std::uint64_t unprinted_ = 0;
  std::uint64_t id_offset_ = 0;
  std::vector<YgoProDeckSet> sets_;
  std::unordered_map<std::string, std::uint32_t> set_by_name_;  // lowercased
  // reprints_[s]: ordinals of set s's cards printed again in set s + 1, ascending.
  std::vector<std::vector<std::uint32_t>> reprints_;
  PriceBook prices_;  // key: card index
  std::mutex mutate_mu_;
  std::uint32_t rounds_ = 0;
};

// What a correct sync must end with, in cardsync's canonical terms: every set, every printed
// card (the unprinted ones only a whole-catalog query finds, counted apart), and one variant
// per printing (card id, set_code, set_rarity), key "<card id>/<set_code>/<set_rarity>", its
// price the card's card_prices tcgplayer_price in cents, currency USD; "0.00" means unknown,
// so such a variant has no price (price_cents null) but exists.
//   checksum = Σ fnv1a64("<variant key>|<card id>|<price in cents, or empty>|USD") mod 2^64
struct YgoProDeckTruth {
  std::uint64_t sets = 0, cards = 0, unprinted_cards = 0, variants = 0, priced = 0;
  std::uint64_t checksum = 0;
  std::uint64_t generation = 0;
};
std::string ygoprodeck_variant_key(std::uint32_t card_id, const YgoProDeckPrinting& printing);
std::uint64_t ygoprodeck_variant_fingerprint(std::uint32_t card_id,
                                             const YgoProDeckPrinting& printing,
                                             std::int64_t tcgplayer_cents);
YgoProDeckTruth compute_ygoprodeck_truth(const YgoProDeckCatalog& catalog);

}  // namespace cardsync::sandbox
