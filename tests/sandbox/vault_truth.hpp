#pragma once
// What a correct sync of the Vault must end with, in cardsync's canonical records
// (docs/canonical-records.md): one `game` (arcanum), a `set` per set (key: its code), a `card`
// per valid card (key: its id) and a `variant` per offer of a valid card whose amount is not
// null (key "<card id>/<finish>", price_cents = the amount in cents rounded half up, EUR,
// last_updated = the card's updated_at). An invalid card is quarantined with its offers.
//   checksum = Σ fnv1a64("<variant key>|<card id>|<finish>|<price in cents>|EUR") mod 2^64

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/justtcg_json.hpp"
#include "sandbox/vault_catalog.hpp"

namespace cardsync::sandbox {

struct VaultInvalidCard {
  std::string id;
  VaultDefect defect = VaultDefect::kNone;
};

struct VaultTruth {
  std::uint64_t sets = 0, cards = 0, variants = 0;
  std::uint64_t offers_without_amount = 0;  // offers of valid cards, amount null: no variant
  std::vector<VaultInvalidCard> invalid;    // in catalog order
  std::uint64_t checksum = 0;
  std::uint64_t generation = 0;  // PriceBook generation the figures belong to
};

std::uint64_t vault_variant_fingerprint(std::string_view card_id, VaultFinish finish,
                                        std::int64_t price_cents);
VaultTruth compute_vault_truth(const VaultCatalog& catalog);

// The body of GET /_sandbox/truth/vault: the figures, with `invalid_items` the quarantined
// cards, with `records` every canonical record.
void write_vault_truth(JsonWriter& w, const VaultCatalog& catalog, bool invalid_items,
                       bool records);

}  // namespace cardsync::sandbox
