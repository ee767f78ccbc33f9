#pragma once
// The emulated Pokémon TCG API catalog: sets and their cards with TCGplayer (USD) and
// Cardmarket (EUR) prices, each a pure function of (seed, set, ordinal) from its own hash
// streams (the seed is salted). Only prices changed by a mutation are stored (PriceBook).
//
// The quirks a sync meets are built in, and pinned so a default-sized catalog has each:
// slash dates, sets without `ptcgoCode` (every third set from the second), cards without
// `rarity`, `tcgplayer` or `cardmarket`, printings whose `market` is null (with other prices
// present), gallery numbers ("TG01") in the first set of every four, 1st-edition printings in
// the "Base" series (the third set of every five), and a supertype with an accent ("Pokémon").

#include <array>
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

struct PokemonTcgShape {
  std::uint32_t sets = 4;
  std::uint32_t cards_per_set = 30;
};

// TCGplayer's printings, in the order a card lists them.
enum PokemonPrinting : std::uint8_t {
  kPtcgNormal,
  kPtcgHolofoil,
  kPtcgReverseHolofoil,
  kPtcg1stEditionHolofoil,
  kPtcg1stEditionNormal,
  kPtcgUnlimitedHolofoil,
  kPtcgPrintings
};
inline constexpr std::array<std::string_view, kPtcgPrintings> kPokemonPrintingNames{
    "normal",           "holofoil",         "reverseHolofoil", "1stEditionHolofoil",
    "1stEditionNormal", "unlimitedHolofoil"};

// One printing's TCGplayer prices in cents; nullopt is a JSON null.
struct PokemonTcgPrices {
  PokemonPrinting printing = kPtcgNormal;
  std::optional<std::int64_t> low, mid, high, market, direct_low;
};

// Cardmarket's price fields, in the API's order.
inline constexpr std::array<std::string_view, 15> kCardmarketPriceNames{"averageSellPrice",
                                                                        "lowPrice",
                                                                        "trendPrice",
                                                                        "germanProLow",
                                                                        "suggestedPrice",
                                                                        "reverseHoloSell",
                                                                        "reverseHoloLow",
                                                                        "reverseHoloTrend",
                                                                        "lowPriceExPlus",
                                                                        "avg1",
                                                                        "avg7",
                                                                        "avg30",
                                                                        "reverseHoloAvg1",
                                                                        "reverseHoloAvg7",
                                                                        "reverseHoloAvg30"};

struct PokemonTcgSet {
  std::uint32_t index = 0;
  std::string id;  // "sv1", "swsh2", ...
  std::string name;
  std::string series;
  std::uint32_t printed_total = 0;  // the numbers printed on the cards ("/198")
  std::uint32_t total = 0;          // cards in the set, secret and gallery ones included
  std::uint32_t gallery = 0;        // the last `gallery` cards are numbered "TG01"...
  std::int64_t release = 0;         // epoch seconds, 00:00 UTC
  std::int64_t updated = 0;         // epoch seconds
  std::optional<std::string> ptcgo_code;
};

struct PokemonTcgCard {
  std::uint64_t index = 0;  // global: set * cards_per_set + ordinal
  std::uint32_t set = 0;
  std::uint32_t ordinal = 0;
  std::string id;  // "<set id>-<number>"
  std::string name;
  std::string supertype;  // "Pokémon", "Trainer", "Energy"
  std::vector<std::string_view> subtypes;
  std::optional<std::string> hp;    // Pokémon only, a string as upstream sends it
  std::optional<std::string> type;  // Pokémon only
  std::string number;               // "17", "TG03"
  std::optional<std::string> rarity;
  bool has_tcgplayer = false;
  std::int64_t tcgplayer_updated = 0;  // epoch seconds; the API sends the day only
  std::vector<PokemonTcgPrices> tcgplayer;
  bool has_cardmarket = false;
  std::int64_t cardmarket_updated = 0;
  std::array<std::optional<std::int64_t>, kCardmarketPriceNames.size()> cardmarket{};
};

// Thread-safe: everything is const except mutate(), which serialises with itself and
// publishes through the PriceBook.
class PokemonTcgCatalog {
 public:
  // Throws std::invalid_argument for an empty or oversized shape.
  PokemonTcgCatalog(std::uint64_t seed, PokemonTcgShape shape);

  const PokemonTcgShape& shape() const { return shape_; }
  const std::vector<PokemonTcgSet>& sets() const { return sets_; }
  std::uint64_t card_count() const { return std::uint64_t{shape_.sets} * shape_.cards_per_set; }
  std::optional<std::uint32_t> find_set(std::string_view id) const;
  std::optional<std::uint64_t> find_card(std::string_view id) const;
  // With the current prices: a mutated market price (and its day) when there is one.
  PokemonTcgCard card(std::uint64_t index) const;
  // With the prices of `snapshot`, so a walk over the catalog never straddles a mutation.
  PokemonTcgCard card(std::uint64_t index, const PriceBook::Snapshot& snapshot) const;

  // Changes the TCGplayer market price of about `fraction` of the printings that have one
  // (chosen from the seed and the round, so the same calls pick the same printings) and
  // stamps their card's tcgplayer.updatedAt with `now`. Returns how many changed.
  std::uint64_t mutate(double fraction, std::int64_t now);
  const PriceBook& prices() const { return prices_; }

 private:
  // The card as generated, before any mutation.
  PokemonTcgCard generated(std::uint64_t index) const;
  template <class Find>
  PokemonTcgCard with_changes(std::uint64_t index, Find&& find) const;

  std::uint64_t seed_;
  PokemonTcgShape shape_;
  std::vector<PokemonTcgSet> sets_;
  std::unordered_map<std::string, std::uint32_t> set_by_id_;
  PriceBook prices_;  // key: card index * kPtcgPrintings + printing
  std::mutex mutate_mu_;
  std::uint32_t rounds_ = 0;
};

// The TCGplayer prices a printing shows for a market price, as the generator derives them.
PokemonTcgPrices pokemon_prices_for_market(PokemonPrinting printing, std::int64_t market_cents,
                                           bool direct_low);

// What a correct sync must end with, in cardsync's canonical terms: every set, every card,
// and one variant per TCGplayer printing that has a market price (key "<card id>/<printing>",
// price_cents = round(market x 100), currency USD). A card without `tcgplayer`, and a
// printing whose market is null, give no variant.
//   checksum = Σ fnv1a64("<variant key>|<card id>|<printing>|<price in cents>|USD") mod 2^64
struct PokemonTcgTruth {
  std::uint64_t sets = 0, cards = 0, variants = 0;
  std::uint64_t cards_without_tcgplayer = 0;
  std::uint64_t printings_without_market = 0;
  std::uint64_t checksum = 0;
  std::uint64_t generation = 0;  // PriceBook generation the figures belong to
};
std::uint64_t pokemon_variant_fingerprint(std::string_view card_id, PokemonPrinting printing,
                                          std::int64_t price_cents);
PokemonTcgTruth compute_pokemon_truth(const PokemonTcgCatalog& catalog);

}  // namespace cardsync::sandbox
