#pragma once
// What a correct sync of the emulated catalog must end with. The checksum is defined so the
// host side can recompute it from a database (README, "Truth"):
//   checksum = Σ fnv1a64("<variant id>|<card id>|<condition>|<printing>|<price in cents>")
//              mod 2^64, over every valid variant of every valid card,
// written as 16 lowercase hex digits. A sum, so row order does not matter.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/catalog.hpp"

namespace cardsync::sandbox {

struct Truth {
  std::uint64_t games = 0;
  std::uint64_t sets = 0;
  std::uint64_t cards = 0;     // valid cards
  std::uint64_t variants = 0;  // valid variants of valid cards
  // Invalidity is per item: an invalid card takes its variants with it, an invalid variant
  // goes alone. A correct sync quarantines invalid_card_items + invalid_variant_items items.
  std::uint64_t invalid_cards = 0;          // cards rejected (a card defect)
  std::uint64_t invalid_variants = 0;       // variants not stored: of invalid cards, or defective
  std::uint64_t invalid_card_items = 0;     // card-level defects (equals invalid_cards)
  std::uint64_t invalid_variant_items = 0;  // variant-level defects, on valid cards
  std::uint64_t checksum = 0;
  std::uint64_t generation = 0;  // PriceBook generation the figures belong to
};

std::uint64_t variant_fingerprint(std::string_view variant_id, std::string_view card_id,
                                  std::string_view condition, std::string_view printing,
                                  std::int64_t price_cents);
std::string checksum_hex(std::uint64_t checksum);

// Walks the whole catalog once (about a second per million variants in a debug build).
Truth compute_truth(const Catalog& catalog);

// Recomputes only when prices moved since the last call. Thread-safe.
class TruthCache {
 public:
  Truth get(const Catalog& catalog);

 private:
  std::mutex mu_;
  std::optional<Truth> cached_;
};

}  // namespace cardsync::sandbox
