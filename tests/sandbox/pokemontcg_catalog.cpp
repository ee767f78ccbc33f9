#include "sandbox/pokemontcg_catalog.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sandbox/calendar_text.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::sandbox {
namespace {

using namespace std::string_view_literals;

// Salts the seed so these items come from other streams than JustTCG's and Scryfall's.
constexpr std::uint64_t kSalt = 0x70c3'7c60ULL;
constexpr std::int64_t kDay = 86400;

struct Series {
  std::string_view prefix;  // of the set ids
  std::string_view name;
  std::string_view code;  // of the ptcgoCode
  int first_year;
};
constexpr std::array kSeries{
    Series{"sv", "Scarlet & Violet", "SV", 2023},
    Series{"swsh", "Sword & Shield", "SW", 2020},
    Series{"base", "Base", "BS", 1999},
    Series{"sm", "Sun & Moon", "SM", 2017},
    Series{"xy", "XY", "XY", 2014},
};
// Old enough for 1st-edition printings; third, so a default catalog has it.
constexpr std::size_t kBaseSeries = 2;

struct Rarity {
  std::string_view name;
  int share;   // percent of cards
  int factor;  // price multiplier
  bool holo;
};
constexpr std::array kModernRarities{
    Rarity{"Common", 35, 1, false},     Rarity{"Uncommon", 25, 2, false},
    Rarity{"Rare", 12, 4, false},       Rarity{"Rare Holo", 10, 6, true},
    Rarity{"Double Rare", 6, 10, true}, Rarity{"Illustration Rare", 5, 20, true},
    Rarity{"Ultra Rare", 4, 25, true},  Rarity{"Special Illustration Rare", 2, 60, true},
    Rarity{"Hyper Rare", 1, 40, true},
};
constexpr std::array kBaseRarities{
    Rarity{"Common", 50, 2, false},
    Rarity{"Uncommon", 30, 3, false},
    Rarity{"Rare", 10, 8, false},
    Rarity{"Rare Holo", 10, 30, true},
};

constexpr std::array kTypes{"Grass"sv,    "Fire"sv,     "Water"sv, "Lightning"sv, "Psychic"sv,
                            "Fighting"sv, "Darkness"sv, "Metal"sv, "Dragon"sv,    "Colorless"sv};
constexpr std::array kPokemonStages{"Basic"sv, "Stage 1"sv, "Stage 2"sv};
constexpr std::array kTrainerKinds{"Item"sv, "Supporter"sv, "Stadium"sv, "Pokémon Tool"sv};

template <class Span>
auto pick(const Span& items, std::uint64_t h) {
  return items[h % items.size()];
}

template <std::size_t N>
const Rarity& pick_rarity(const std::array<Rarity, N>& rarities, std::uint64_t h) {
  int roll = static_cast<int>(h % 100);
  for (const auto& r : rarities) {
    if (roll < r.share) return r;
    roll -= r.share;
  }
  return rarities.back();
}

// Multiplier of each printing's price over the card's base price, in percent.
constexpr std::array<std::int64_t, kPtcgPrintings> kPrintingFactor{100, 160, 130, 500, 300, 200};

std::int64_t percent_of(std::int64_t cents, std::int64_t percent) {
  return std::max<std::int64_t>(1, cents * percent / 100);
}

std::optional<std::uint32_t> parse_number(std::string_view text) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

PokemonTcgPrices pokemon_prices_for_market(PokemonPrinting printing, std::int64_t market_cents,
                                           bool direct_low) {
  PokemonTcgPrices p;
  p.printing = printing;
  p.low = percent_of(market_cents, 55);
  p.mid = percent_of(market_cents, 90);
  p.high = percent_of(market_cents, 250) + 1;
  p.market = market_cents;
  if (direct_low) p.direct_low = percent_of(market_cents, 97);
  return p;
}

PokemonTcgCatalog::PokemonTcgCatalog(std::uint64_t seed, PokemonTcgShape shape)
    : seed_(seed ^ kSalt), shape_(shape) {
  if (shape_.sets == 0 || shape_.sets > 1000 || shape_.cards_per_set == 0 ||
      shape_.cards_per_set > 10000) {
    throw std::invalid_argument("Pokemon TCG catalog: 1..1000 sets of 1..10000 cards");
  }
  using namespace std::chrono;
  for (std::uint32_t i = 0; i < shape_.sets; ++i) {
    const Series& series = kSeries[i % kSeries.size()];
    const std::uint32_t number = i / kSeries.size() + 1;
    PokemonTcgSet s;
    s.index = i;
    s.id = std::string(series.prefix) + std::to_string(number);
    s.name = std::string(pick(name_adjectives(), mix(seed_, Facet::kSetName, i))) + " " +
             std::string(pick(set_nouns(), mix(seed_, Facet::kSetName, i, 1)));
    s.series = std::string(series.name);
    s.total = shape_.cards_per_set;
    s.gallery = i % 4 == 0 ? std::min<std::uint32_t>(3, s.total / 5) : 0;
    const std::uint32_t secret = std::min<std::uint32_t>(2, (s.total - s.gallery) / 10);
    s.printed_total = s.total - s.gallery - secret;
    const std::uint64_t h = mix(seed_, Facet::kSetRelease, i);
    const auto year_start =
        sys_days{year{series.first_year + static_cast<int>(h % 3)} / January / 1};
    s.release =
        (year_start.time_since_epoch().count() + static_cast<std::int64_t>(h / 3 % 360)) * kDay;
    s.updated = Catalog::kEpoch -
                static_cast<std::int64_t>(mix(seed_, Facet::kSetRelease, i, 1) % (30 * kDay));
    // Upstream leaves ptcgoCode out for sets the online game never had.
    if (i % 3 != 1) s.ptcgo_code = std::string(series.code) + std::to_string(number);
    set_by_id_.emplace(s.id, i);
    sets_.push_back(std::move(s));
  }
}

std::optional<std::uint32_t> PokemonTcgCatalog::find_set(std::string_view id) const {
  auto it = set_by_id_.find(std::string(id));
  if (it == set_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint64_t> PokemonTcgCatalog::find_card(std::string_view id) const {
  const auto dash = id.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto set = find_set(id.substr(0, dash));
  if (!set) return std::nullopt;
  const PokemonTcgSet& s = sets_[*set];
  std::string_view number = id.substr(dash + 1);
  std::uint32_t ordinal = 0;
  if (number.substr(0, 2) == "TG") {
    auto n = parse_number(number.substr(2));
    if (!n || *n == 0 || *n > s.gallery || number.size() != 4) return std::nullopt;
    ordinal = s.total - s.gallery + *n - 1;
  } else {
    auto n = parse_number(number);
    if (!n || *n == 0 || *n > s.total - s.gallery || number[0] == '0') return std::nullopt;
    ordinal = *n - 1;
  }
  return std::uint64_t{*set} * shape_.cards_per_set + ordinal;
}

PokemonTcgCard PokemonTcgCatalog::generated(std::uint64_t index) const {
  const std::uint64_t n = index;
  PokemonTcgCard c;
  c.index = index;
  c.set = static_cast<std::uint32_t>(index / shape_.cards_per_set);
  c.ordinal = static_cast<std::uint32_t>(index % shape_.cards_per_set);
  const PokemonTcgSet& set = sets_.at(c.set);
  const bool base_series = c.set % kSeries.size() == kBaseSeries;
  const std::uint32_t numbered = set.total - set.gallery;
  if (c.ordinal < numbered) {
    c.number = std::to_string(c.ordinal + 1);
  } else {
    std::array<char, 8> tg{};
    std::snprintf(tg.data(), tg.size(), "TG%02u", c.ordinal - numbered + 1);
    c.number = tg.data();
  }
  c.id = set.id + "-" + c.number;

  const std::uint64_t kind = mix(seed_, Facet::kCardKind, n) % 100;
  const std::string_view noun = pick(card_nouns(), mix(seed_, Facet::kCardName, n, 1));
  if (kind < 75) {
    c.supertype = "Pokémon";
    c.name = std::string(pick(name_adjectives(), mix(seed_, Facet::kCardName, n))) + " " +
             std::string(noun);
    c.subtypes.push_back(pick(kPokemonStages, mix(seed_, Facet::kCardKind, n, 1)));
    if (mix(seed_, Facet::kCardKind, n, 2) % 10 == 0) c.subtypes.emplace_back("ex");
    c.hp = std::to_string(30 + 10 * (mix(seed_, Facet::kCardStat, n) % 30));
    c.type = std::string(pick(kTypes, mix(seed_, Facet::kCardStat, n, 1)));
  } else if (kind < 95) {
    c.supertype = "Trainer";
    c.name = std::string(noun) + "'s " +
             std::string(pick(set_nouns(), mix(seed_, Facet::kCardName, n, 2)));
    c.subtypes.push_back(pick(kTrainerKinds, mix(seed_, Facet::kCardKind, n, 1)));
  } else {
    c.supertype = "Energy";
    c.name = std::string(pick(kTypes, mix(seed_, Facet::kCardStat, n, 1))) + " Energy";
    c.subtypes.emplace_back("Basic");
  }

  const std::uint64_t rarity_hash = mix(seed_, Facet::kCardRarity, n);
  // A Base-series set opens with a holo, as Base Set's #1 does, so it has every printing.
  const Rarity& rarity = !base_series     ? pick_rarity(kModernRarities, rarity_hash)
                         : c.ordinal == 0 ? kBaseRarities.back()
                                          : pick_rarity(kBaseRarities, rarity_hash);
  // Pinned on the fourth card of every set so every catalog has one.
  const bool rarity_absent = c.ordinal == 3 || mix(seed_, Facet::kCardRarity, n, 1) % 100 < 5;
  if (c.ordinal >= numbered) {
    c.rarity = "Trainer Gallery Rare Holo";
  } else if (!rarity_absent) {
    c.rarity = std::string(rarity.name);
  }

  const std::int64_t base =
      (5 + static_cast<std::int64_t>(mix(seed_, Facet::kCardPrice, n) % 200)) * rarity.factor;
  const std::int64_t day =
      Catalog::kEpoch - kDay * static_cast<std::int64_t>(mix(seed_, Facet::kCardPrice, n, 1) % 30);
  // Pinned: the second card of every set has no tcgplayer, the first and sixth have one.
  c.has_tcgplayer = c.ordinal == 0 || c.ordinal == 5 ||
                    (c.ordinal != 1 && mix(seed_, Facet::kCardTcgplayer, n) % 100 >= 8);
  if (c.has_tcgplayer) {
    c.tcgplayer_updated = day;
    std::vector<PokemonPrinting> printings;
    const std::uint64_t r = mix(seed_, Facet::kPrintings, n) % 100;
    if (base_series) {
      printings = rarity.holo ? std::vector{kPtcg1stEditionHolofoil, kPtcgUnlimitedHolofoil}
                              : std::vector{kPtcg1stEditionNormal, kPtcgNormal};
    } else if (!rarity.holo) {
      printings =
          r < 70 ? std::vector{kPtcgNormal, kPtcgReverseHolofoil} : std::vector{kPtcgNormal};
    } else if (r < 50) {
      printings = {kPtcgHolofoil, kPtcgReverseHolofoil};
    } else if (r < 80) {
      printings = {kPtcgHolofoil};
    } else {
      printings = {kPtcgNormal, kPtcgHolofoil, kPtcgReverseHolofoil};
    }
    for (std::size_t i = 0; i < printings.size(); ++i) {
      const PokemonPrinting p = printings[i];
      const bool direct_low = mix(seed_, Facet::kPriceNull, n, 10 + p) % 100 < 55;
      PokemonTcgPrices prices =
          pokemon_prices_for_market(p, percent_of(base, kPrintingFactor[p]), direct_low);
      // Pinned on the sixth card's first printing: low, mid and high without a market price.
      if ((c.ordinal == 5 && i == 0) || mix(seed_, Facet::kPriceNull, n, p) % 100 < 6) {
        prices.market.reset();
      }
      c.tcgplayer.push_back(prices);
    }
  }

  c.has_cardmarket = c.ordinal != 2 && mix(seed_, Facet::kCardTcgplayer, n, 1) % 100 >= 12;
  if (c.has_cardmarket) {
    c.cardmarket_updated = day;
    const std::int64_t eur = percent_of(base, 90);
    const bool reverse = std::any_of(c.tcgplayer.begin(), c.tcgplayer.end(), [](const auto& p) {
      return p.printing == kPtcgReverseHolofoil;
    });
    static constexpr std::array<std::int64_t, kCardmarketPriceNames.size()> kFactor{
        100, 50, 102, 0, 0, 120, 70, 118, 70, 105, 98, 100, 125, 121, 119};
    for (std::size_t i = 0; i < kFactor.size(); ++i) {
      const bool reverse_field = kCardmarketPriceNames[i].substr(0, 11) == "reverseHolo";
      if (reverse_field && !reverse) continue;
      if (kFactor[i] == 0) {
        c.cardmarket[i] = 0;  // upstream sends 0 for the fields Cardmarket stopped filling
      } else if (mix(seed_, Facet::kPriceNull, n, 100 + i) % 10 != 0) {
        c.cardmarket[i] = percent_of(eur, kFactor[i]);
      }
    }
  }
  return c;
}

template <class Find>
PokemonTcgCard PokemonTcgCatalog::with_changes(std::uint64_t index, Find&& find) const {
  PokemonTcgCard c = generated(index);
  for (auto& prices : c.tcgplayer) {
    const std::optional<PriceChange> change = find(index * kPtcgPrintings + prices.printing);
    if (!change) continue;
    prices = pokemon_prices_for_market(prices.printing, change->price_cents,
                                       prices.direct_low.has_value());
    c.tcgplayer_updated = std::max(c.tcgplayer_updated, change->last_updated);
  }
  return c;
}

PokemonTcgCard PokemonTcgCatalog::card(std::uint64_t index) const {
  return with_changes(index, [this](std::uint64_t key) { return prices_.find(key); });
}

PokemonTcgCard PokemonTcgCatalog::card(std::uint64_t index,
                                       const PriceBook::Snapshot& snapshot) const {
  return with_changes(index, [&snapshot](std::uint64_t key) -> std::optional<PriceChange> {
    auto it = snapshot.changes.find(key);
    if (it == snapshot.changes.end()) return std::nullopt;
    return it->second;
  });
}

std::uint64_t PokemonTcgCatalog::mutate(double fraction, std::int64_t now) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw std::invalid_argument("mutate fraction must be within [0, 1]");
  }
  std::lock_guard lock(mutate_mu_);
  const std::uint32_t round = rounds_++;
  std::vector<std::pair<std::uint64_t, PriceChange>> changes;
  for (std::uint64_t i = 0; i < card_count(); ++i) {
    const PokemonTcgCard c = card(i);
    for (const auto& prices : c.tcgplayer) {
      const std::uint64_t key = i * kPtcgPrintings + prices.printing;
      if (!prices.market || unit_interval(mix(seed_, Facet::kMutate, key, round)) >= fraction) {
        continue;
      }
      const double factor = 0.75 + 0.5 * unit_interval(mix(seed_, Facet::kMutatePrice, key, round));
      std::int64_t updated =
          std::max<std::int64_t>(1, std::llround(static_cast<double>(*prices.market) * factor));
      if (updated == *prices.market) ++updated;
      changes.emplace_back(key, PriceChange{updated, now});
    }
  }
  prices_.apply(changes);
  return changes.size();
}

std::uint64_t pokemon_variant_fingerprint(std::string_view card_id, PokemonPrinting printing,
                                          std::int64_t price_cents) {
  const std::string_view name = kPokemonPrintingNames[printing];
  std::string line(card_id);
  line += "/";
  line += name;
  line += "|";
  line += card_id;
  line += "|";
  line += name;
  line += "|" + std::to_string(price_cents) + "|USD";
  return fnv1a64(line);
}

PokemonTcgTruth compute_pokemon_truth(const PokemonTcgCatalog& catalog) {
  const PriceBook::Snapshot snapshot = catalog.prices().snapshot();
  PokemonTcgTruth t;
  t.generation = snapshot.generation;
  t.sets = catalog.sets().size();
  t.cards = catalog.card_count();
  for (std::uint64_t i = 0; i < catalog.card_count(); ++i) {
    const PokemonTcgCard c = catalog.card(i, snapshot);
    if (!c.has_tcgplayer) ++t.cards_without_tcgplayer;
    for (const auto& prices : c.tcgplayer) {
      if (!prices.market) {
        ++t.printings_without_market;
        continue;
      }
      ++t.variants;
      t.checksum += pokemon_variant_fingerprint(c.id, prices.printing, *prices.market);
    }
  }
  return t;
}

}  // namespace cardsync::sandbox
