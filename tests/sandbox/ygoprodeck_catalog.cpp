#include "sandbox/ygoprodeck_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::sandbox {
namespace {

using namespace std::string_view_literals;

// Salts the seed so these items come from other streams than the other catalogs'.
constexpr std::uint64_t kSalt = 0x7960'de5cULL;
constexpr std::int64_t kDay = 86400;

// Passcodes are 8 digits: 10000000 + a bijection of the card index modulo 9 * 10^7, so they
// look scattered yet never collide. 7919 is prime and shares no factor with 9 * 10^7.
constexpr std::uint64_t kIdRange = 90000000;
constexpr std::uint64_t kIdFirst = 10000000;
constexpr std::uint64_t kIdStep = 7919;

constexpr std::uint64_t modular_inverse(std::uint64_t a, std::uint64_t m) {
  std::int64_t t = 0;
  std::int64_t new_t = 1;
  auto r = static_cast<std::int64_t>(m);
  auto new_r = static_cast<std::int64_t>(a);
  while (new_r != 0) {
    const std::int64_t q = r / new_r;
    const std::int64_t next_t = t - q * new_t;
    t = new_t;
    new_t = next_t;
    const std::int64_t next_r = r - q * new_r;
    r = new_r;
    new_r = next_r;
  }
  return static_cast<std::uint64_t>(t < 0 ? t + static_cast<std::int64_t>(m) : t);
}
constexpr std::uint64_t kIdStepInverse = modular_inverse(kIdStep, kIdRange);
static_assert(kIdStep * kIdStepInverse % kIdRange == 1);

struct Rarity {
  std::string_view name;
  std::string_view code;
  int share;   // percent of primary printings
  int factor;  // set_price over the card's price, percent
};
constexpr std::array kRarities{
    Rarity{"Common", "(C)", 45, 40},        Rarity{"Rare", "(R)", 20, 70},
    Rarity{"Super Rare", "(SR)", 15, 100},  Rarity{"Ultra Rare", "(UR)", 12, 160},
    Rarity{"Secret Rare", "(ScR)", 8, 250}, Rarity{"Starlight Rare", "(StR)", 0, 900},
};

struct Frame {
  std::string_view type;
  std::string_view frame;
};
constexpr std::array kMonsterFrames{
    Frame{"Normal Monster", "normal"},   Frame{"Effect Monster", "effect"},
    Frame{"Effect Monster", "effect"},   Frame{"Fusion Monster", "fusion"},
    Frame{"Synchro Monster", "synchro"}, Frame{"XYZ Monster", "xyz"},
    Frame{"Link Monster", "link"},
};
constexpr std::array kMonsterRaces{"Dragon"sv,  "Spellcaster"sv, "Warrior"sv, "Fiend"sv,
                                   "Machine"sv, "Beast"sv,       "Fairy"sv,   "Zombie"sv};
constexpr std::array kAttributes{"LIGHT"sv, "DARK"sv, "FIRE"sv, "WATER"sv, "EARTH"sv, "WIND"sv};
constexpr std::array kSpellRaces{"Normal"sv, "Quick-Play"sv, "Continuous"sv, "Field"sv, "Equip"sv};
constexpr std::array kTrapRaces{"Normal"sv, "Continuous"sv, "Counter"sv};
constexpr std::array kLinkMarkers{"Top"sv,      "Bottom"sv,    "Left"sv,        "Right"sv,
                                  "Top-Left"sv, "Top-Right"sv, "Bottom-Left"sv, "Bottom-Right"sv};
// Each shop's price over the card's base price (percent) and how often it is unknown.
constexpr std::array<std::int64_t, kYgoShops> kShopFactor{90, 100, 130, 150, 110};
constexpr std::array<std::uint64_t, kYgoShops> kShopUnknownPercent{10, 5, 20, 40, 50};

template <class Span>
auto pick(const Span& items, std::uint64_t h) {
  return items[h % items.size()];
}

const Rarity& pick_rarity(std::uint64_t h) {
  int roll = static_cast<int>(h % 100);
  for (const auto& r : kRarities) {
    if (roll < r.share) return r;
    roll -= r.share;
  }
  return kRarities.front();
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string set_code_number(std::string_view set_code, std::uint64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return std::string(set_code) + "-EN" + digits;
}

}  // namespace

YgoProDeckCatalog::YgoProDeckCatalog(std::uint64_t seed, YgoProDeckShape shape)
    : seed_(seed ^ kSalt), shape_(shape) {
  if (shape_.sets == 0 || shape_.sets > 26 * 26 || shape_.cards_per_set == 0 ||
      shape_.cards_per_set > 10000) {
    throw std::invalid_argument("YGOPRODeck catalog: 1..676 sets of 1..10000 cards");
  }
  unprinted_ = std::max<std::uint64_t>(1, printed_cards() / 25);
  id_offset_ = mix(seed_, Facet::kCardExternalId, 0) % kIdRange;
  reprints_.resize(shape_.sets);
  for (std::uint32_t s = 0; s + 1 < shape_.sets; ++s) {
    for (std::uint32_t o = 0; o < shape_.cards_per_set; ++o) {
      const std::uint64_t n = std::uint64_t{s} * shape_.cards_per_set + o;
      if (o == 2 || mix(seed_, Facet::kReprint, n) % 100 < 8) reprints_[s].push_back(o);
    }
  }
  using namespace std::chrono;
  for (std::uint32_t i = 0; i < shape_.sets; ++i) {
    YgoProDeckSet s;
    s.index = i;
    s.code = std::string("Y") + static_cast<char>('A' + i / 26) + static_cast<char>('A' + i % 26);
    const std::string adjective(pick(name_adjectives(), mix(seed_, Facet::kSetName, i)));
    const std::string noun(pick(card_nouns(), mix(seed_, Facet::kSetName, i, 1)));
    const std::string other(pick(card_nouns(), mix(seed_, Facet::kSetName, i, 2)));
    auto join = [](std::initializer_list<std::string_view> parts) {
      std::string out;
      for (auto part : parts) out.append(part);
      return out;
    };
    switch (i % 4) {
      case 0:
        s.name = join({adjective, " ", pick(set_nouns(), mix(seed_, Facet::kSetName, i, 3))});
        break;
      case 1:
        s.name = join({"Duelist Pack: ", noun, " & ", other});
        break;
      case 2:
        s.name = join({"Legend of the ", adjective, " ", noun});
        break;
      default:
        s.name = join({"Structure Deck: ", adjective, " ", other});
        break;
    }
    if (set_by_name_.count(lowercase(s.name)) != 0) s.name += " " + std::to_string(i + 1);
    s.num_of_cards =
        shape_.cards_per_set + (i == 0 ? 0 : static_cast<std::uint32_t>(reprints_[i - 1].size()));
    if (i % 4 != 2) {
      const std::uint64_t h = mix(seed_, Facet::kSetRelease, i);
      const auto start = sys_days{year{2002 + static_cast<int>(i % 20)} / January / 1};
      s.tcg_date = (start.time_since_epoch().count() + static_cast<std::int64_t>(h % 360)) * kDay;
    }
    set_by_name_.emplace(lowercase(s.name), i);
    sets_.push_back(std::move(s));
  }
}

std::optional<std::uint32_t> YgoProDeckCatalog::find_set(std::string_view name) const {
  auto it = set_by_name_.find(lowercase(name));
  if (it == set_by_name_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t YgoProDeckCatalog::passcode(std::uint64_t index) const {
  return static_cast<std::uint32_t>(kIdFirst +
                                    (index + id_offset_) % kIdRange * kIdStep % kIdRange);
}

std::optional<std::uint64_t> YgoProDeckCatalog::find_card(std::uint32_t id) const {
  if (id < kIdFirst || id >= kIdFirst + kIdRange) return std::nullopt;
  const std::uint64_t shifted = (id - kIdFirst) * kIdStepInverse % kIdRange;
  const std::uint64_t index = (shifted + kIdRange - id_offset_) % kIdRange;
  if (index >= card_count()) return std::nullopt;
  return index;
}

std::vector<std::uint64_t> YgoProDeckCatalog::set_cards(std::uint32_t set) const {
  std::vector<std::uint64_t> out;
  const std::uint64_t first = std::uint64_t{set} * shape_.cards_per_set;
  for (std::uint32_t o = 0; o < shape_.cards_per_set; ++o) out.push_back(first + o);
  if (set > 0) {
    const std::uint64_t previous = first - shape_.cards_per_set;
    for (std::uint32_t o : reprints_[set - 1]) out.push_back(previous + o);
  }
  return out;
}

YgoProDeckCard YgoProDeckCatalog::generated(std::uint64_t index,
                                            std::optional<std::int64_t> tcgplayer) const {
  const std::uint64_t n = index;
  const bool printed = index < printed_cards();
  const auto set = static_cast<std::uint32_t>(index / shape_.cards_per_set);
  const auto ordinal = static_cast<std::uint32_t>(index % shape_.cards_per_set);
  YgoProDeckCard c;
  c.index = index;
  c.id = passcode(index);
  const std::string adjective(pick(name_adjectives(), mix(seed_, Facet::kCardName, n)));
  const std::string noun(pick(card_nouns(), mix(seed_, Facet::kCardName, n, 1)));
  if (!(printed && ordinal == 1) && mix(seed_, Facet::kArchetype, n) % 100 >= 40) {
    c.archetype = std::string(pick(name_adjectives(), mix(seed_, Facet::kArchetype, n, 1)));
  }
  const std::string family = c.archetype ? *c.archetype : adjective;
  const std::uint64_t kind = mix(seed_, Facet::kCardKind, n) % 100;
  if (kind < 60) {
    const Frame& frame = pick(kMonsterFrames, mix(seed_, Facet::kCardKind, n, 1));
    c.type = frame.type;
    c.frame_type = frame.frame;
    c.name = adjective + " " + noun;
    c.race = pick(kMonsterRaces, mix(seed_, Facet::kCardKind, n, 2));
    c.attribute = pick(kAttributes, mix(seed_, Facet::kCardKind, n, 3));
    c.atk = static_cast<int>(50 * (mix(seed_, Facet::kCardStat, n) % 61));
    if (frame.frame == "link") {
      c.linkval = static_cast<int>(1 + mix(seed_, Facet::kCardStat, n, 1) % 4);
      for (int i = 0; i < *c.linkval; ++i) {
        c.linkmarkers.push_back(
            kLinkMarkers[(mix(seed_, Facet::kCardStat, n, 2) + 3 * i) % kLinkMarkers.size()]);
      }
    } else {
      c.def = static_cast<int>(50 * (mix(seed_, Facet::kCardStat, n, 3) % 61));
      c.level = static_cast<int>(1 + mix(seed_, Facet::kCardStat, n, 4) % 12);
    }
    c.desc =
        frame.frame == "normal"
            ? "A " + lowercase(adjective) + " " + lowercase(noun) + " of old legends."
            : "When this card is Normal Summoned: You can add 1 \"" + family +
                  "\" card from your Deck to your hand.\r\nYou can only use this effect of \"" +
                  c.name + "\" once per turn.";
  } else if (kind < 85) {
    c.type = "Spell Card";
    c.frame_type = "spell";
    c.name = adjective + " " + std::string(pick(set_nouns(), mix(seed_, Facet::kCardName, n, 2)));
    c.race = pick(kSpellRaces, mix(seed_, Facet::kCardKind, n, 2));
    c.desc = "Target 1 \"" + family + "\" monster you control; it gains 500 ATK.";
  } else {
    c.type = "Trap Card";
    c.frame_type = "trap";
    c.name = noun + "'s " + std::string(pick(set_nouns(), mix(seed_, Facet::kCardName, n, 2)));
    c.race = pick(kTrapRaces, mix(seed_, Facet::kCardKind, n, 2));
    c.desc = "When your opponent activates a card or effect: Negate the activation.";
  }

  const std::int64_t base = 10 + static_cast<std::int64_t>(mix(seed_, Facet::kCardPrice, n) % 3000);
  for (std::size_t shop = 0; shop < kYgoShops; ++shop) {
    const bool unknown = mix(seed_, Facet::kPriceNull, n, shop) % 100 < kShopUnknownPercent[shop] ||
                         (shop == kYgoTcgplayer && printed && ordinal == 3);
    c.prices[shop] = unknown ? 0 : std::max<std::int64_t>(1, base * kShopFactor[shop] / 100);
  }
  if (tcgplayer && c.prices[kYgoTcgplayer] != 0) c.prices[kYgoTcgplayer] = *tcgplayer;

  if (!printed) return c;
  const std::int64_t reference = c.prices[kYgoTcgplayer] != 0 ? c.prices[kYgoTcgplayer] : base;
  auto printing = [&](std::uint32_t in_set, std::string code, const Rarity& r) {
    c.printings.push_back(
        YgoProDeckPrinting{in_set, std::move(code), r.name, r.code,
                           std::max<std::int64_t>(1, reference * r.factor / 100)});
  };
  const std::string code = set_code_number(sets_[set].code, ordinal + 1);
  const Rarity& rarity = pick_rarity(mix(seed_, Facet::kCardRarity, n));
  printing(set, code, rarity);
  // The same set code in a second, rarer rarity, as LOB-EN001 in Ultra and Secret Rare.
  if (ordinal == 0 || mix(seed_, Facet::kCardRarity, n, 1) % 100 < 5) {
    const auto next = static_cast<std::size_t>(&rarity - kRarities.data()) + 1;
    printing(set, code, kRarities[std::min(next, kRarities.size() - 1)]);
  }
  const auto& reprinted = reprints_[set];
  const auto it = std::lower_bound(reprinted.begin(), reprinted.end(), ordinal);
  if (it != reprinted.end() && *it == ordinal) {
    const auto rank = static_cast<std::uint64_t>(it - reprinted.begin());
    printing(set + 1, set_code_number(sets_[set + 1].code, shape_.cards_per_set + rank + 1),
             pick_rarity(mix(seed_, Facet::kCardRarity, n, 2)));
  }
  return c;
}

YgoProDeckCard YgoProDeckCatalog::card(std::uint64_t index) const {
  const auto change = prices_.find(index);
  return generated(index, change ? std::optional(change->price_cents) : std::nullopt);
}

YgoProDeckCard YgoProDeckCatalog::card(std::uint64_t index,
                                       const PriceBook::Snapshot& snapshot) const {
  const auto it = snapshot.changes.find(index);
  return generated(
      index, it == snapshot.changes.end() ? std::nullopt : std::optional(it->second.price_cents));
}

std::uint64_t YgoProDeckCatalog::mutate(double fraction, std::int64_t now) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw std::invalid_argument("mutate fraction must be within [0, 1]");
  }
  std::lock_guard lock(mutate_mu_);
  const std::uint32_t round = rounds_++;
  std::vector<std::pair<std::uint64_t, PriceChange>> changes;
  for (std::uint64_t i = 0; i < card_count(); ++i) {
    if (unit_interval(mix(seed_, Facet::kMutate, i, round)) >= fraction) continue;
    const std::int64_t old = card(i).prices[kYgoTcgplayer];
    if (old == 0) continue;  // an unknown price stays unknown
    const double factor = 0.75 + 0.5 * unit_interval(mix(seed_, Facet::kMutatePrice, i, round));
    std::int64_t updated =
        std::max<std::int64_t>(1, std::llround(static_cast<double>(old) * factor));
    if (updated == old) ++updated;
    changes.emplace_back(i, PriceChange{updated, now});
  }
  prices_.apply(changes);
  return changes.size();
}

std::string ygoprodeck_variant_key(std::uint32_t card_id, const YgoProDeckPrinting& printing) {
  return std::to_string(card_id) + "/" + printing.set_code + "/" + std::string(printing.rarity);
}

std::uint64_t ygoprodeck_variant_fingerprint(std::uint32_t card_id,
                                             const YgoProDeckPrinting& printing,
                                             std::int64_t tcgplayer_cents) {
  std::string line =
      ygoprodeck_variant_key(card_id, printing) + "|" + std::to_string(card_id) + "|";
  if (tcgplayer_cents != 0) line += std::to_string(tcgplayer_cents);
  line += "|USD";
  return fnv1a64(line);
}

YgoProDeckTruth compute_ygoprodeck_truth(const YgoProDeckCatalog& catalog) {
  const PriceBook::Snapshot snapshot = catalog.prices().snapshot();
  YgoProDeckTruth t;
  t.generation = snapshot.generation;
  t.sets = catalog.sets().size();
  t.cards = catalog.printed_cards();
  t.unprinted_cards = catalog.unprinted_cards();
  for (std::uint64_t i = 0; i < catalog.printed_cards(); ++i) {
    const YgoProDeckCard c = catalog.card(i, snapshot);
    const std::int64_t cents = c.prices[kYgoTcgplayer];
    for (const auto& p : c.printings) {
      ++t.variants;
      if (cents != 0) ++t.priced;
      t.checksum += ygoprodeck_variant_fingerprint(c.id, p, cents);
    }
  }
  return t;
}

}  // namespace cardsync::sandbox
