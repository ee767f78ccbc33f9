#include "sandbox/scryfall_catalog.hpp"

#include <cstdio>
#include <stdexcept>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::sandbox {
namespace {

// Salts the seed so Scryfall's items come from other streams than JustTCG's.
constexpr std::uint64_t kSalt = 0x5c4f'fa11ULL;

std::string uuid(std::uint64_t hi, std::uint64_t lo) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32U),
                static_cast<unsigned long long>((hi >> 16U) & 0xffffU),
                static_cast<unsigned long long>(hi & 0xfffU),
                static_cast<unsigned long long>(0x8000U | ((lo >> 48U) & 0x3fffU)),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

template <class Span>
auto pick(const Span& items, std::uint64_t h) {
  return items[h % items.size()];
}

}  // namespace

std::string_view scryfall_defect_name(ScryfallDefect defect) {
  switch (defect) {
    case ScryfallDefect::kMissingName:
      return "missing_name";
    case ScryfallDefect::kPriceWrongType:
      return "price_wrong_type";
    case ScryfallDefect::kNone:
      break;
  }
  return "none";
}

std::string_view scryfall_defect_path(ScryfallDefect defect) {
  switch (defect) {
    case ScryfallDefect::kMissingName:
      return "/name";
    case ScryfallDefect::kPriceWrongType:
      return "/prices/usd";
    case ScryfallDefect::kNone:
      break;
  }
  return "";
}

ScryfallCatalog::ScryfallCatalog(std::uint64_t seed, double invalid_rate, ScryfallShape shape)
    : seed_(seed ^ kSalt), invalid_rate_(invalid_rate), shape_(shape) {
  if (shape_.sets == 0 || shape_.sets > 26 * 26 || shape_.page_size == 0) {
    throw std::invalid_argument("Scryfall catalog: 1..676 sets and a page size of at least 1");
  }
  static constexpr std::string_view kTypes[] = {"expansion", "core", "masters", "commander",
                                                "draft_innovation"};
  for (std::uint32_t i = 0; i < shape_.sets; ++i) {
    ScryfallSet s;
    s.index = i;
    s.id = uuid(mix(seed_, Facet::kSetName, i, 1), mix(seed_, Facet::kSetName, i, 2));
    s.code = std::string("sb") + static_cast<char>('a' + i / 26) + static_cast<char>('a' + i % 26);
    s.name = std::string(pick(name_adjectives(), mix(seed_, Facet::kSetName, i))) + " " +
             std::string(pick(set_nouns(), mix(seed_, Facet::kSetName, i, 3)));
    s.set_type = std::string(kTypes[i % 5]);
    const std::uint64_t day = mix(seed_, Facet::kSetRelease, i) % 9000;
    if (day % 11 != 0) {
      const unsigned long long year = day / 300 + 1995;
      const unsigned long long month = day % 12 + 1;
      const unsigned long long mday = day % 28 + 1;
      char date[11];
      std::snprintf(date, sizeof date, "%04llu-%02llu-%02llu", year, month, mday);
      s.released_at = date;
    }
    // From three sets on, the last one has no printings, like Scryfall's memorabilia sets
    // whose search answers 404.
    const bool empty = shape_.sets >= 3 && i + 1 == shape_.sets;
    s.card_count = empty ? 0 : shape_.cards_per_set;
    if (empty) s.set_type = "memorabilia";
    sets_.push_back(std::move(s));
  }
}

std::optional<std::uint32_t> ScryfallCatalog::find_set(std::string_view code) const {
  for (const auto& s : sets_) {
    if (s.code == code) return s.index;
  }
  return std::nullopt;
}

std::string ScryfallCatalog::card_id(std::uint64_t n) const {
  return uuid(mix(seed_, Facet::kCardExternalId, n, 1), mix(seed_, Facet::kCardExternalId, n, 2));
}

std::optional<ScryfallCardRef> ScryfallCatalog::find_card(std::string_view id) const {
  std::call_once(index_once_, [this] {
    for (const auto& s : sets_) {
      for (std::uint32_t i = 0; i < s.card_count; ++i) {
        index_.emplace(card_id(std::uint64_t{s.index} * shape_.cards_per_set + i),
                       ScryfallCardRef{s.index, i});
      }
    }
  });
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

ScryfallCard ScryfallCatalog::card(std::uint32_t set, std::uint32_t ordinal) const {
  const std::uint64_t n = std::uint64_t{set} * shape_.cards_per_set + ordinal;
  ScryfallCard c;
  c.set = set;
  c.id = card_id(n);
  c.name = std::string(pick(name_adjectives(), mix(seed_, Facet::kCardName, n))) + " " +
           std::string(pick(card_nouns(), mix(seed_, Facet::kCardName, n, 1)));
  c.collector_number = std::to_string(ordinal + 1);
  if (mix(seed_, Facet::kCardNumber, n) % 100 < 3) c.collector_number += "\u2605";
  static constexpr std::string_view kRarities[] = {"common", "common", "uncommon", "rare",
                                                   "mythic"};
  c.rarity = std::string(kRarities[mix(seed_, Facet::kCardRarity, n) % 5]);
  const std::uint64_t lang = mix(seed_, Facet::kVariantLanguage, n) % 20;
  c.lang = lang == 0 ? "ja" : lang == 1 ? "de" : "en";
  const std::uint64_t finish = mix(seed_, Facet::kCardDetails, n) % 100;
  if (finish < 35) {
    c.finishes = {"nonfoil"};
  } else if (finish < 80) {
    c.finishes = {"nonfoil", "foil"};
  } else if (finish < 92) {
    c.finishes = {"foil"};
  } else {
    c.finishes = {"nonfoil", "foil", "etched"};
  }
  if (mix(seed_, Facet::kCardTcgplayer, n) % 100 >= 8) {
    c.tcgplayer_id =
        100000 + static_cast<std::int64_t>(mix(seed_, Facet::kCardTcgplayer, n, 1) % 900000);
  }
  const auto base = 10 + static_cast<std::int64_t>(mix(seed_, Facet::kCardPrice, n) % 5000);
  auto has = [&](std::string_view f) {
    for (const auto& x : c.finishes) {
      if (x == f) return true;
    }
    return false;
  };
  auto maybe = [&](std::uint64_t facet_b, double p, std::int64_t cents) {
    return unit_interval(mix(seed_, Facet::kVariantPrice, n, facet_b)) < p
               ? std::optional<std::int64_t>(cents)
               : std::nullopt;
  };
  if (has("nonfoil")) {
    c.prices[kUsd] = maybe(1, 0.9, base);
    c.prices[kEur] = maybe(2, 0.7, base * 9 / 10);
    c.prices[kTix] = maybe(3, 0.5, 1 + base / 40);
  }
  if (has("foil")) {
    c.prices[kUsdFoil] = maybe(4, 0.9, base * 2 + 7);
    c.prices[kEurFoil] = maybe(5, 0.7, base * 17 / 10);
  }
  if (has("etched")) c.prices[kUsdEtched] = maybe(6, 0.9, base * 3);
  if (unit_interval(mix(seed_, Facet::kDefect, n)) < invalid_rate_) {
    c.defect = mix(seed_, Facet::kDefectKind, n) % 2 == 0 ? ScryfallDefect::kMissingName
                                                          : ScryfallDefect::kPriceWrongType;
  }
  return c;
}

ScryfallTruth compute_scryfall_truth(const ScryfallCatalog& catalog) {
  ScryfallTruth t;
  t.sets = catalog.sets().size();
  for (const auto& set : catalog.sets()) {
    for (std::uint32_t i = 0; i < set.card_count; ++i) {
      const ScryfallCard c = catalog.card(set.index, i);
      if (c.defect != ScryfallDefect::kNone) {
        t.invalid.push_back({c.id, c.defect});
        continue;
      }
      ++t.cards;
      for (const auto& finish : c.finishes) {
        const int offset = finish == "nonfoil" ? 0 : finish == "foil" ? 1 : 2;
        const auto& usd = c.prices[kUsd + offset];
        // EUR has no etched field in the sandbox's catalog (nor, mostly, upstream).
        // Plain values rather than a copied optional: GCC 12 -O2 misreads the latter as
        // maybe-uninitialized.
        const bool has_eur = offset < 2 && c.prices[kEur + offset].has_value();
        const std::int64_t eur_cents = has_eur ? *c.prices[kEur + offset] : 0;
        std::string line = c.id + "|" + finish + "|";
        if (usd) {
          line += "USD|" + std::to_string(*usd);
        } else if (has_eur) {
          line += "EUR|" + std::to_string(eur_cents);
        } else {
          line += "|";
        }
        ++t.variants;
        if (usd || has_eur) ++t.priced;
        t.checksum += fnv1a64(line);
      }
    }
  }
  return t;
}

}  // namespace cardsync::sandbox
