#include "sandbox/vault_catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"

namespace cardsync::sandbox {
namespace {

using namespace std::string_view_literals;

// Salts the seed so these items come from other streams than the other catalogs'.
constexpr std::uint64_t kSalt = 0x5a17'7a0bULL;
constexpr std::int64_t kDay = 86400;

constexpr std::array kRarities{"common"sv,   "common"sv, "common"sv, "uncommon"sv,
                               "uncommon"sv, "rare"sv,   "mythic"sv};

template <class Span>
auto pick(const Span& items, std::uint64_t h) {
  return items[h % items.size()];
}

char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

}  // namespace

std::string_view vault_defect_name(VaultDefect defect) {
  switch (defect) {
    case VaultDefect::kMissingName:
      return "missing_name";
    case VaultDefect::kAmountWrongType:
      return "amount_wrong_type";
    case VaultDefect::kNone:
      break;
  }
  return "";
}

std::string_view vault_defect_path(VaultDefect defect) {
  switch (defect) {
    case VaultDefect::kMissingName:
      return "/name";
    case VaultDefect::kAmountWrongType:
      return "/offers/0/amount";
    case VaultDefect::kNone:
      break;
  }
  return "";
}

VaultCatalog::VaultCatalog(std::uint64_t seed, double invalid_rate, VaultShape shape)
    : seed_(seed ^ kSalt), invalid_rate_(invalid_rate), shape_(shape) {
  if (shape_.sets == 0 || shape_.sets > 500 || shape_.cards_per_set == 0 ||
      shape_.cards_per_set > 999) {
    throw std::invalid_argument("Vault catalog: 1..500 sets of 1..999 cards");
  }
  using namespace std::chrono;
  for (std::uint32_t i = 0; i < shape_.sets; ++i) {
    VaultSet s;
    s.index = i;
    const std::string_view adjective = pick(name_adjectives(), mix(seed_, Facet::kSetName, i));
    const std::string_view noun = pick(set_nouns(), mix(seed_, Facet::kSetName, i, 1));
    s.name = std::string(adjective) + " " + std::string(noun);
    // A code from the name's initials, as sets are usually abbreviated; a collision falls
    // back to "X" and two letters counted from the index (676 of them, so at most 500 sets).
    s.code = {upper(adjective[0]), upper(noun[0]), upper(noun[1])};
    for (std::uint32_t n = i; set_by_code_.count(s.code) != 0; ++n) {
      s.code = {'X', static_cast<char>('A' + n / 26 % 26), static_cast<char>('A' + n % 26)};
    }
    const bool announced = shape_.sets >= 3 && i + 1 == shape_.sets;
    if (!announced) {
      const std::uint64_t h = mix(seed_, Facet::kSetRelease, i);
      const auto start = sys_days{year{2019 + static_cast<int>(i % 6)} / January / 1};
      s.released_at =
          (start.time_since_epoch().count() + static_cast<std::int64_t>(h % 360)) * kDay +
          static_cast<std::int64_t>(h / 360 % 24) * 3600;
      s.card_count = shape_.cards_per_set;
    }
    set_by_code_.emplace(s.code, i);
    sets_.push_back(std::move(s));
  }
}

std::optional<std::uint32_t> VaultCatalog::find_set(std::string_view code) const {
  auto it = set_by_code_.find(std::string(code));
  if (it == set_by_code_.end()) return std::nullopt;
  return it->second;
}

VaultCard VaultCatalog::generated(std::uint64_t index) const {
  const std::uint64_t n = index;
  VaultCard c;
  c.index = index;
  c.set = static_cast<std::uint32_t>(index / shape_.cards_per_set);
  c.ordinal = static_cast<std::uint32_t>(index % shape_.cards_per_set);
  std::array<char, 20> id{};
  std::snprintf(id.data(), id.size(), "crd_%012llx",
                static_cast<unsigned long long>(mix(seed_, Facet::kCardExternalId, n) >> 16U));
  c.id = id.data();
  c.name = std::string(pick(name_adjectives(), mix(seed_, Facet::kCardName, n))) + " " +
           std::string(pick(card_nouns(), mix(seed_, Facet::kCardName, n, 1)));
  std::array<char, 8> number{};
  std::snprintf(number.data(), number.size(), "%03u", c.ordinal + 1);
  c.number = number.data();
  if (c.ordinal != 4 && mix(seed_, Facet::kCardRarity, n) % 100 >= 5) {
    c.rarity = pick(kRarities, mix(seed_, Facet::kCardRarity, n, 1));
  }
  c.updated_at = kEpoch - 30 * kDay +
                 static_cast<std::int64_t>(mix(seed_, Facet::kVariantLastUpdated, n) % (30 * kDay));

  const std::int64_t base_cents =
      5 + static_cast<std::int64_t>(mix(seed_, Facet::kCardPrice, n) % 4000);
  const bool foil = c.ordinal == 1 || mix(seed_, Facet::kPrintings, n) % 100 < 40;
  for (int f = 0; f < (foil ? 2 : 1); ++f) {
    VaultOffer offer;
    offer.finish = static_cast<VaultFinish>(f);
    const std::uint64_t key = n * kVaultFinishes + static_cast<std::uint64_t>(f);
    const bool unpriced = (c.ordinal == 2 && f == kVaultNormal) ||
                          (c.ordinal != 0 && mix(seed_, Facet::kPriceNull, key) % 100 < 12);
    if (!unpriced) {
      std::int64_t mils = base_cents * (f == kVaultFoil ? 25 : 10);
      // About one offer in six is quoted to the tenth of a cent, half of those on an exact
      // half cent, where rounding through a binary double goes wrong.
      const std::uint64_t h = mix(seed_, Facet::kVariantPrice, key);
      if ((c.ordinal == 0 && f == kVaultNormal) || h % 6 == 0) {
        mils += h / 6 % 2 == 0 || c.ordinal == 0 ? 5 : static_cast<std::int64_t>(1 + h / 12 % 9);
        if (mils % 10 == 0) ++mils;
      }
      offer.amount_mils = mils;
    }
    c.offers.push_back(offer);
  }
  if (unit_interval(mix(seed_, Facet::kDefect, n)) < invalid_rate_) {
    c.defect = mix(seed_, Facet::kDefectKind, n) % 2 == 0 ? VaultDefect::kMissingName
                                                          : VaultDefect::kAmountWrongType;
  }
  return c;
}

template <class Find>
VaultCard VaultCatalog::with_changes(std::uint64_t index, Find&& find) const {
  VaultCard c = generated(index);
  for (auto& offer : c.offers) {
    const std::optional<PriceChange> change = find(index * kVaultFinishes + offer.finish);
    if (!change) continue;
    offer.amount_mils = change->price_cents;
    c.updated_at = std::max(c.updated_at, change->last_updated);
  }
  return c;
}

VaultCard VaultCatalog::card(std::uint64_t index) const {
  return with_changes(index, [this](std::uint64_t key) { return prices_.find(key); });
}

VaultCard VaultCatalog::card(std::uint64_t index, const PriceBook::Snapshot& snapshot) const {
  return with_changes(index, [&snapshot](std::uint64_t key) -> std::optional<PriceChange> {
    auto it = snapshot.changes.find(key);
    if (it == snapshot.changes.end()) return std::nullopt;
    return it->second;
  });
}

std::uint64_t VaultCatalog::mutate(double fraction, std::int64_t now) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw std::invalid_argument("mutate fraction must be within [0, 1]");
  }
  std::lock_guard lock(mutate_mu_);
  const std::uint32_t round = rounds_++;
  std::vector<std::pair<std::uint64_t, PriceChange>> changes;
  for (const auto& set : sets_) {
    for (std::uint64_t i = first_card(set.index); i < first_card(set.index) + set.card_count; ++i) {
      for (const auto& offer : card(i).offers) {
        const std::uint64_t key = i * kVaultFinishes + offer.finish;
        if (!offer.amount_mils ||
            unit_interval(mix(seed_, Facet::kMutate, key, round)) >= fraction) {
          continue;
        }
        const double factor =
            0.75 + 0.5 * unit_interval(mix(seed_, Facet::kMutatePrice, key, round));
        // A changed amount is quoted in whole cents, and is always a different one.
        std::int64_t cents = std::max<std::int64_t>(
            1, std::llround(static_cast<double>(*offer.amount_mils) / 10.0 * factor));
        if (cents * 10 == *offer.amount_mils) ++cents;
        changes.emplace_back(key, PriceChange{cents * 10, now});
      }
    }
  }
  prices_.apply(changes);
  return changes.size();
}

}  // namespace cardsync::sandbox
