#pragma once
// The Vault's wire shapes: snake_case, RFC 3339 timestamps in UTC ("2023-06-09T16:00:00Z",
// `null` for a set not released yet), amounts as decimal strings ("12.35", "4.995") or `null`,
// `rarity` always present (`null` when unknown), and a card's schema defect written in.

#include <cstdint>
#include <string>

#include "sandbox/justtcg_json.hpp"
#include "sandbox/vault_catalog.hpp"

namespace cardsync::sandbox {

// 12350 -> "12.35", 4995 -> "4.995": two decimals, three when the tenth of a cent is not 0.
std::string vault_amount_text(std::int64_t mils);
void write_vault_set(JsonWriter& w, const VaultSet& set);
void write_vault_card(JsonWriter& w, const VaultCard& card, const VaultSet& set);

}  // namespace cardsync::sandbox
