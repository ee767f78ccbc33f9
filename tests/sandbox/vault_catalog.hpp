#pragma once
// The emulated Vault catalog: the price guide of one game (Arcanum, a sandbox invention) whose
// cards each list EUR offers per finish, each a pure function of (seed, set, ordinal) from its
// own hash streams (the seed is salted). Only amounts changed by a mutation are stored
// (PriceBook, in thousandths of a euro).
//
// The quirks a sync meets are built in, and pinned so a default-sized catalog has each: an
// announced set with no release and no cards yet (the last one, from three sets on), amounts
// quoted to the tenth of a cent that round half up (the first card of every set), a card
// without a rarity (`null`, the fifth), an offer whose amount is `null` (the third card's
// normal finish), foil offers on some cards only (always the second).

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sandbox/price_book.hpp"

namespace cardsync::sandbox {

struct VaultShape {
  std::uint32_t sets = 4;
  std::uint32_t cards_per_set = 40;
};

inline constexpr std::string_view kVaultGameKey = "arcanum";
inline constexpr std::string_view kVaultGameName = "Arcanum";

enum VaultFinish : std::uint8_t { kVaultNormal, kVaultFoil, kVaultFinishes };
inline constexpr std::string_view vault_finish_name(VaultFinish finish) {
  return finish == kVaultFoil ? "foil" : "normal";
}

// How a card is broken (per card; a broken card is rejected whole with its offers).
enum class VaultDefect : std::uint8_t {
  kNone,
  kMissingName,      // `name` absent                      -> "/name"
  kAmountWrongType,  // offers[0].amount a JSON number     -> "/offers/0/amount"
};
std::string_view vault_defect_name(VaultDefect defect);
std::string_view vault_defect_path(VaultDefect defect);

struct VaultSet {
  std::uint32_t index = 0;
  std::string code;  // "ARC", "BRV", ...: unique, upper case
  std::string name;
  std::optional<std::int64_t> released_at;  // epoch seconds; none for an announced set
  std::uint32_t card_count = 0;
};

struct VaultOffer {
  VaultFinish finish = kVaultNormal;
  std::optional<std::int64_t> amount_mils;  // thousandths of a euro; nullopt: JSON null
};

struct VaultCard {
  std::uint64_t index = 0;  // global: set * cards_per_set + ordinal
  std::uint32_t set = 0;
  std::uint32_t ordinal = 0;
  std::string id;  // "crd_" + 12 hex digits, opaque
  std::string name;
  std::string number;  // "001"
  std::optional<std::string_view> rarity;
  std::int64_t updated_at = 0;  // epoch seconds: the newest change of any of its offers
  std::vector<VaultOffer> offers;
  VaultDefect defect = VaultDefect::kNone;
};

// Round half up to whole cents: 12345 mils ("12.345") -> 1235.
constexpr std::int64_t vault_cents(std::int64_t mils) {
  return (mils + 5) / 10;
}

// Thread-safe: everything is const except mutate(), which serialises with itself and
// publishes through the PriceBook.
class VaultCatalog {
 public:
  // Generated updated_at values lie in the 30 days before this (2025-01-01T00:00:00Z, not
  // included);
  // mutations stamp the server clock, which is later.
  static constexpr std::int64_t kEpoch = 1735689600;

  // Throws std::invalid_argument for an empty or oversized shape.
  VaultCatalog(std::uint64_t seed, double invalid_rate, VaultShape shape);

  const VaultShape& shape() const { return shape_; }
  const std::vector<VaultSet>& sets() const { return sets_; }
  std::optional<std::uint32_t> find_set(std::string_view code) const;
  // Global index of the set's first card (its cards are card_count() consecutive indices).
  std::uint64_t first_card(std::uint32_t set) const {
    return std::uint64_t{set} * shape_.cards_per_set;
  }
  std::uint64_t card_count() const { return std::uint64_t{shape_.sets} * shape_.cards_per_set; }
  // With the current amounts.
  VaultCard card(std::uint64_t index) const;
  // With the amounts of `snapshot`, so a walk over the catalog never straddles a mutation.
  VaultCard card(std::uint64_t index, const PriceBook::Snapshot& snapshot) const;

  // Changes the amount of about `fraction` of the offers that have one (chosen from the seed
  // and the round, so the same calls pick the same offers) and stamps their card's
  // updated_at with `now`. Returns how many changed.
  std::uint64_t mutate(double fraction, std::int64_t now);
  const PriceBook& prices() const { return prices_; }

 private:
  VaultCard generated(std::uint64_t index) const;
  template <class Find>
  VaultCard with_changes(std::uint64_t index, Find&& find) const;

  std::uint64_t seed_;
  double invalid_rate_;
  VaultShape shape_;
  std::vector<VaultSet> sets_;
  std::unordered_map<std::string, std::uint32_t> set_by_code_;
  PriceBook prices_;  // key: card index * kVaultFinishes + finish; price_cents holds mils
  std::mutex mutate_mu_;
  std::uint32_t rounds_ = 0;
};

}  // namespace cardsync::sandbox
