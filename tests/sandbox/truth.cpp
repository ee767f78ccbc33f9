#include "sandbox/truth.hpp"

#include <array>
#include <cstdio>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::sandbox {

std::uint64_t variant_fingerprint(std::string_view variant_id, std::string_view card_id,
                                  std::string_view condition, std::string_view printing,
                                  std::int64_t price_cents) {
  std::string cents = std::to_string(price_cents);
  std::uint64_t h = fnv1a64(variant_id);
  h = fnv1a64("|", h);
  h = fnv1a64(card_id, h);
  h = fnv1a64("|", h);
  h = fnv1a64(condition, h);
  h = fnv1a64("|", h);
  h = fnv1a64(printing, h);
  h = fnv1a64("|", h);
  return fnv1a64(cents, h);
}

std::string checksum_hex(std::uint64_t checksum) {
  std::array<char, 17> buf{};
  std::snprintf(buf.data(), buf.size(), "%016llx", static_cast<unsigned long long>(checksum));
  return buf.data();
}

Truth compute_truth(const Catalog& catalog) {
  const auto snapshot = catalog.prices().snapshot();
  const std::uint32_t per_card = catalog.shape().variants_per_card;
  Truth truth;
  truth.games = catalog.game_count();
  truth.sets = catalog.set_count();
  truth.generation = snapshot.generation;
  auto next_change = snapshot.changes.begin();
  for (std::uint64_t i = 0; i < catalog.card_count(); ++i) {
    const std::uint64_t first_variant = i * per_card;
    CardItem card = catalog.card(i);
    if (card_invalid(card)) {
      ++truth.invalid_cards;
      ++truth.invalid_card_items;
      truth.invalid_variants += per_card;
      continue;
    }
    ++truth.cards;
    for (std::uint32_t v = 0; v < per_card; ++v) {
      if (variant_defect(card, v) != Defect::kNone) {
        ++truth.invalid_variants;
        ++truth.invalid_variant_items;
        continue;
      }
      while (next_change != snapshot.changes.end() && next_change->first < first_variant + v) {
        ++next_change;
      }
      const PriceChange* change = nullptr;
      if (next_change != snapshot.changes.end() && next_change->first == first_variant + v) {
        change = &next_change->second;
      }
      VariantItem variant = catalog.variant(card, v, change);
      truth.checksum +=
          variant_fingerprint(variant.id, card.id, card_conditions()[variant.condition].name,
                              card_printings()[variant.printing].name, variant.price_cents);
      ++truth.variants;
    }
  }
  return truth;
}

Truth TruthCache::get(const Catalog& catalog) {
  std::lock_guard lock(mu_);
  if (!cached_ || cached_->generation != catalog.prices().generation()) {
    cached_ = compute_truth(catalog);
  }
  return *cached_;
}

}  // namespace cardsync::sandbox
