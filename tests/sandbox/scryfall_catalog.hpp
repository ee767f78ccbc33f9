#pragma once
// The emulated Scryfall catalog: Magic sets and every printing in them, each a pure function
// of (seed, set, ordinal) like the JustTCG catalog, from its own hash streams (the seed is
// salted) so the two catalogs never move together. Prices are fixed (no mutations): Scryfall
// refreshes them once a day, and a full sync is how a shop follows.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cardsync::sandbox {

struct ScryfallShape {
  std::uint32_t sets = 4;
  std::uint32_t cards_per_set = 60;
  std::uint32_t page_size = 175;  // Scryfall's own page size
};

// How a card is broken (per card; a broken card is rejected whole with its finishes).
enum class ScryfallDefect : std::uint8_t {
  kNone,
  kMissingName,     // `name` absent            -> "/name", rule required
  kPriceWrongType,  // prices.usd is a number   -> "/prices/usd", rule type
};
std::string_view scryfall_defect_name(ScryfallDefect defect);
std::string_view scryfall_defect_path(ScryfallDefect defect);

struct ScryfallSet {
  std::uint32_t index = 0;
  std::string id;    // UUID
  std::string code;  // "sbaa", "sbab", ...
  std::string name;
  std::string set_type;
  std::optional<std::string> released_at;  // absent from the JSON when unknown
  std::uint32_t card_count = 0;            // 0: a set without printings (search answers 404)
};

// The price fields of a card, in Scryfall's order.
enum ScryfallPrice : std::uint8_t {
  kUsd,
  kUsdFoil,
  kUsdEtched,
  kEur,
  kEurFoil,
  kTix,
  kPriceFields
};
inline constexpr std::array<std::string_view, kPriceFields> kScryfallPriceNames{
    "usd", "usd_foil", "usd_etched", "eur", "eur_foil", "tix"};

struct ScryfallCard {
  std::string id;  // UUID
  std::string name;
  std::uint32_t set = 0;
  std::string collector_number;  // "17", some "17★"
  std::string rarity;
  std::string lang;
  std::vector<std::string> finishes;  // nonfoil, foil, etched
  std::optional<std::int64_t> tcgplayer_id;
  std::array<std::optional<std::int64_t>, kPriceFields> prices{};  // cents; null = no price
  ScryfallDefect defect = ScryfallDefect::kNone;
};

// Where a printing sits in the catalog.
struct ScryfallCardRef {
  std::uint32_t set = 0;
  std::uint32_t ordinal = 0;
};

class ScryfallCatalog {
 public:
  ScryfallCatalog(std::uint64_t seed, double invalid_rate, ScryfallShape shape);
  ScryfallCatalog(const ScryfallCatalog&) = delete;
  ScryfallCatalog& operator=(const ScryfallCatalog&) = delete;

  const ScryfallShape& shape() const { return shape_; }
  const std::vector<ScryfallSet>& sets() const { return sets_; }
  std::optional<std::uint32_t> find_set(std::string_view code) const;
  ScryfallCard card(std::uint32_t set, std::uint32_t ordinal) const;
  // The printing whose id is `id` exactly (lowercase, as served), for GET /cards/{id}; nullopt
  // when there is none. Thread-safe; the first call indexes every id.
  std::optional<ScryfallCardRef> find_card(std::string_view id) const;

 private:
  std::string card_id(std::uint64_t n) const;

  std::uint64_t seed_;
  double invalid_rate_;
  ScryfallShape shape_;
  std::vector<ScryfallSet> sets_;
  // Ids are hashes, so finding one means knowing them all; only GET /cards/{id} needs it.
  mutable std::once_flag index_once_;
  mutable std::unordered_map<std::string, ScryfallCardRef> index_;
};

// What a full sync with the provider's defaults (currencies usd, then eur) must store: one
// variant per finish of every valid card, priced from USD, else EUR, else unpriced.
//   checksum = Σ fnv1a64("<card id>|<finish>|<currency>|<price in cents>") mod 2^64 over those
//   variants, currency "USD"/"EUR" and cents both empty for an unpriced one; 16 hex digits.
struct ScryfallInvalidItem {
  std::string id;
  ScryfallDefect defect = ScryfallDefect::kNone;
};
struct ScryfallTruth {
  std::uint64_t sets = 0, cards = 0, variants = 0, priced = 0, checksum = 0;
  std::vector<ScryfallInvalidItem> invalid;  // catalog order
};
ScryfallTruth compute_scryfall_truth(const ScryfallCatalog& catalog);

}  // namespace cardsync::sandbox
