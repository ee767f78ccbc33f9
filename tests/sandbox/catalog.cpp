#include "sandbox/catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_set>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"

namespace cardsync::sandbox {
namespace {

constexpr std::uint64_t kTcgplayerBase = 100000;
constexpr std::uint64_t kSkuBase = 5000000;
constexpr std::int64_t kLastUpdatedSpread = 30LL * 86400;
constexpr std::string_view kMagicSlug = "magic-the-gathering";

std::string slugify(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class Span>
std::string_view pick(const Span& words, std::uint64_t h) {
  return words[h % words.size()];
}

std::string iso_date(std::int64_t days_since_epoch) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{days_since_epoch}}};
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT00:00:00.000Z",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf.data();
}

// A UUID-shaped id whose last group carries the card index, so lookups need no index.
std::string external_uuid(std::uint64_t seed, std::uint64_t card, std::uint64_t which) {
  std::uint64_t h = mix(seed, Facet::kCardExternalId, card, which);
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%08x-%04x-%c%03x-%04x-%012llx",
                static_cast<unsigned>(h >> 32U), static_cast<unsigned>((h >> 16U) & 0xffffU),
                which == 1 ? '4' : '5', static_cast<unsigned>(h & 0xfffU),
                static_cast<unsigned>(0x8000U | ((h >> 48U) & 0x3fffU)),
                static_cast<unsigned long long>(card));
  return buf.data();
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> uuid_card_index(std::string_view id) {
  if (id.size() != 36) return std::nullopt;
  std::uint64_t value = 0;
  std::string_view tail = id.substr(24);
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), value, 16);
  if (ec != std::errc{} || end != tail.data() + tail.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view defect_name(Defect defect) {
  switch (defect) {
    case Defect::kNone:
      return "none";
    case Defect::kMissingName:
      return "missing_name";
    case Defect::kPriceWrongType:
      return "price_wrong_type";
    case Defect::kNegativePrice:
      return "negative_price";
  }
  return "none";
}

std::string_view defect_path(Defect defect) {
  switch (defect) {
    case Defect::kNone:
      return "";
    case Defect::kMissingName:
      return "/name";
    case Defect::kPriceWrongType:
    case Defect::kNegativePrice:
      return "/variants/0/price";
  }
  return "";
}

bool defect_rejects_card(Defect defect) {
  return defect == Defect::kMissingName;
}

bool card_invalid(const CardItem& card) {
  return defect_rejects_card(card.defect);
}

Defect variant_defect(const CardItem& card, std::uint32_t ordinal) {
  if (card.defect == Defect::kNone || defect_rejects_card(card.defect)) return Defect::kNone;
  return ordinal == kDefectiveVariant ? card.defect : Defect::kNone;
}

Catalog::Catalog(CatalogShape shape) : shape_(shape) {
  if (shape_.games == 0 || shape_.sets_per_game == 0 || shape_.cards_per_set == 0 ||
      shape_.variants_per_card == 0) {
    throw std::invalid_argument("catalog sizes must all be at least 1");
  }
  if (shape_.variants_per_card > kMaxVariantsPerCard) {
    throw std::invalid_argument("--variants-per-card is at most " +
                                std::to_string(kMaxVariantsPerCard));
  }
  if (std::uint64_t{shape_.games} * shape_.sets_per_game > 1'000'000) {
    throw std::invalid_argument("games x sets-per-game is at most 1000000");
  }
  if (!(shape_.invalid_rate >= 0.0 && shape_.invalid_rate <= 1.0)) {
    throw std::invalid_argument("invalid rate must be within [0, 1]");
  }
  std::uint64_t sets = std::uint64_t{shape_.games} * shape_.sets_per_game;
  cards_ = sets * shape_.cards_per_set;
  if (cards_ > (1ULL << 40U)) throw std::invalid_argument("catalog too large");

  const auto titles = known_game_titles();
  games_.reserve(shape_.games);
  for (std::uint32_t g = 0; g < shape_.games; ++g) {
    GameItem game;
    game.index = g;
    if (g < titles.size()) {
      game.slug = titles[g].slug;
      game.name = titles[g].name;
    } else {
      game.slug = "sandbox-game-" + std::to_string(g + 1);
      game.name = "Sandbox Game " + std::to_string(g + 1);
    }
    game.last_updated_as_string = (g % 2) == 1;
    std::uint64_t h = mix(shape_.seed, Facet::kGameValue, g);
    game.value_cents = static_cast<std::int64_t>(100000 + h % 50'000'000);
    game.change_7d_pct =
        static_cast<double>(static_cast<std::int64_t>(h >> 40U) % 2001 - 1000) / 100.0;
    game.change_30d_pct =
        static_cast<double>(static_cast<std::int64_t>(h >> 20U) % 4001 - 2000) / 100.0;
    game.change_90d_pct =
        static_cast<double>(static_cast<std::int64_t>(h >> 8U) % 6001 - 3000) / 100.0;
    game_by_key_.emplace(game.slug, g);
    game_by_key_.emplace(lowercase(game.name), g);
    if (game.slug == kMagicSlug) game_by_key_.emplace("mtg", g);
    games_.push_back(std::move(game));
  }
  game_last_updated_.assign(shape_.games, kEpoch);

  sets_.reserve(sets);
  for (std::uint32_t g = 0; g < shape_.games; ++g) {
    std::unordered_set<std::string> names;
    for (std::uint32_t s = 0; s < shape_.sets_per_game; ++s) {
      SetItem set;
      set.index = g * shape_.sets_per_game + s;
      set.game = g;
      std::uint64_t h = mix(shape_.seed, Facet::kSetName, set.index);
      set.name =
          std::string(pick(name_adjectives(), h)) + " " + std::string(pick(set_nouns(), h >> 24U));
      if (!names.insert(set.name).second) set.name += " " + std::to_string(s + 1);
      set.slug = slugify(set.name);
      set.id = set.slug + "-" + games_[g].slug;
      std::uint64_t r = mix(shape_.seed, Facet::kSetRelease, set.index);
      if (unit_interval(r) >= 0.1) {
        set.release_date = iso_date(10592 + static_cast<std::int64_t>((r >> 8U) % 9000));
      }
      std::uint64_t v = mix(shape_.seed, Facet::kSetValue, set.index);
      set.value_cents = static_cast<std::int64_t>(1000 + v % 5'000'000);
      set.change_7d_pct =
          static_cast<double>(static_cast<std::int64_t>(v >> 40U) % 2001 - 1000) / 100.0;
      set.change_30d_pct =
          static_cast<double>(static_cast<std::int64_t>(v >> 20U) % 4001 - 2000) / 100.0;
      set.change_90d_pct =
          static_cast<double>(static_cast<std::int64_t>(v >> 8U) % 6001 - 3000) / 100.0;
      set.first_card = std::uint64_t{set.index} * shape_.cards_per_set;
      set_by_id_.emplace(set.id, set.index);
      if (!set_by_card_prefix_.emplace(games_[g].slug + "-" + set.slug, set.index).second) {
        throw std::logic_error("card id prefix collision for set " + set.id);
      }
      sets_.push_back(std::move(set));
    }
  }
}

CardItem Catalog::card(std::uint64_t index) const {
  if (index >= cards_) throw std::out_of_range("card index out of range");
  CardItem card;
  card.index = index;
  card.set = static_cast<std::uint32_t>(index / shape_.cards_per_set);
  card.ordinal = static_cast<std::uint32_t>(index % shape_.cards_per_set);
  card.game = card.set / shape_.sets_per_game;
  const SetItem& set = sets_[card.set];
  const GameItem& game = games_[card.game];
  const std::uint64_t seed = shape_.seed;

  std::uint64_t h = mix(seed, Facet::kCardName, index);
  card.name =
      std::string(pick(name_adjectives(), h)) + " " + std::string(pick(card_nouns(), h >> 20U));
  card.id = game.slug + "-" + set.slug + "-" + slugify(card.name) + "-" +
            std::to_string(card.ordinal + 1);

  double n = unit_interval(mix(seed, Facet::kCardNumber, index));
  if (n < 0.04) {
    card.number = "N/A";
  } else if (n >= 0.07) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%03u", card.ordinal + 1);
    card.number = buf.data();
  }
  std::uint64_t r = mix(seed, Facet::kCardRarity, index);
  if (unit_interval(r) >= 0.05) card.rarity = std::string(pick(card_rarities(), r >> 8U));
  if (unit_interval(mix(seed, Facet::kCardTcgplayer, index)) >= 0.05) {
    card.tcgplayer_id = std::to_string(kTcgplayerBase + index);
  }
  if (game.slug == kMagicSlug) {
    card.scryfall_id = external_uuid(seed, index, 1);
    card.mtgjson_id = external_uuid(seed, index, 2);
  }
  std::uint64_t d = mix(seed, Facet::kCardDetails, index);
  card.details_null = (d & 1U) != 0;
  card.english_as_null = unit_interval(d) < 0.2;
  card.printing_offset = static_cast<std::uint32_t>((d >> 8U) % card_printings().size());
  double p = unit_interval(mix(seed, Facet::kCardPrice, index));
  card.base_cents = std::max<std::int64_t>(1, std::llround(10.0 * std::exp(p * std::log(5000.0))));
  if (unit_interval(mix(seed, Facet::kDefect, index)) < shape_.invalid_rate) {
    card.defect = static_cast<Defect>(1 + mix(seed, Facet::kDefectKind, index) % 3);
  }
  return card;
}

std::uint32_t Catalog::condition_of(std::uint32_t ordinal) const {
  return ordinal % static_cast<std::uint32_t>(card_conditions().size());
}

std::uint32_t Catalog::printing_of(const CardItem& card, std::uint32_t ordinal) const {
  const auto conditions = static_cast<std::uint32_t>(card_conditions().size());
  const auto printings = static_cast<std::uint32_t>(card_printings().size());
  return (ordinal / conditions + card.printing_offset) % printings;
}

std::int64_t Catalog::generated_price(const CardItem& card, std::uint32_t ordinal) const {
  const std::uint64_t index = card.index * shape_.variants_per_card + ordinal;
  const auto conditions = static_cast<std::uint32_t>(card_conditions().size());
  const auto printings = static_cast<std::uint32_t>(card_printings().size());
  double factor = card_conditions()[condition_of(ordinal)].price_factor *
                  card_printings()[printing_of(card, ordinal)].price_factor *
                  card_languages()[ordinal / (conditions * printings)].price_factor;
  double jitter = 0.97 + 0.06 * unit_interval(mix(shape_.seed, Facet::kVariantPrice, index));
  return std::max<std::int64_t>(
      1, std::llround(static_cast<double>(card.base_cents) * factor * jitter));
}

std::int64_t Catalog::generated_last_updated(std::uint64_t variant) const {
  return kEpoch - static_cast<std::int64_t>(mix(shape_.seed, Facet::kVariantLastUpdated, variant) %
                                            static_cast<std::uint64_t>(kLastUpdatedSpread));
}

std::string Catalog::variant_id(const CardItem& card, std::uint32_t ordinal) const {
  const auto conditions = static_cast<std::uint32_t>(card_conditions().size());
  const auto printings = static_cast<std::uint32_t>(card_printings().size());
  std::string id = card.id;
  id += '_';
  id += card_conditions()[condition_of(ordinal)].slug;
  std::uint32_t printing = printing_of(card, ordinal);
  if (printing != 0) {
    id += '_';
    id += card_printings()[printing].slug;
  }
  std::uint32_t language = ordinal / (conditions * printings);
  if (language != 0) {
    id += '_';
    id += card_languages()[language].slug;
  }
  return id;
}

VariantItem Catalog::variant(const CardItem& card, std::uint32_t ordinal) const {
  auto change = prices_.find(card.index * shape_.variants_per_card + ordinal);
  return variant(card, ordinal, change ? &*change : nullptr);
}

VariantItem Catalog::variant(const CardItem& card, std::uint32_t ordinal,
                             const PriceChange* change) const {
  if (ordinal >= shape_.variants_per_card) throw std::out_of_range("variant ordinal out of range");
  const auto conditions = static_cast<std::uint32_t>(card_conditions().size());
  const auto printings = static_cast<std::uint32_t>(card_printings().size());
  VariantItem v;
  v.index = card.index * shape_.variants_per_card + ordinal;
  v.ordinal = ordinal;
  v.condition = condition_of(ordinal);
  v.printing = printing_of(card, ordinal);
  v.language = ordinal / (conditions * printings);
  v.id = variant_id(card, ordinal);
  v.sku = std::to_string(kSkuBase + v.index);
  if (change != nullptr) {
    v.price_cents = change->price_cents;
    v.last_updated = change->last_updated;
  } else {
    v.price_cents = generated_price(card, ordinal);
    v.last_updated = generated_last_updated(v.index);
  }
  return v;
}

PriceChange Catalog::variant_state(const CardItem& card, std::uint32_t ordinal) const {
  const std::uint64_t index = card.index * shape_.variants_per_card + ordinal;
  if (auto change = prices_.find(index)) return *change;
  return PriceChange{generated_price(card, ordinal), generated_last_updated(index)};
}

std::int64_t Catalog::game_last_updated(std::uint32_t game) const {
  std::lock_guard lock(mutate_mu_);
  return game_last_updated_.at(game);
}

std::optional<std::uint32_t> Catalog::find_game(std::string_view key) const {
  auto it = game_by_key_.find(lowercase(key));
  if (it == game_by_key_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> Catalog::find_set(std::string_view id) const {
  auto it = set_by_id_.find(std::string(id));
  if (it == set_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint64_t> Catalog::find_card(std::string_view id) const {
  // "<game slug>-<set slug>-<name slug>-<ordinal>": the ordinal is the last token, and the
  // set is the one prefix (of a handful of candidates) that names a known set.
  auto dash = id.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto ordinal = parse_decimal(id.substr(dash + 1));
  if (!ordinal || *ordinal == 0 || *ordinal > shape_.cards_per_set) return std::nullopt;
  std::string_view head = id.substr(0, dash);
  for (auto pos = head.find('-'); pos != std::string_view::npos; pos = head.find('-', pos + 1)) {
    auto it = set_by_card_prefix_.find(std::string(head.substr(0, pos)));
    if (it == set_by_card_prefix_.end()) continue;
    std::uint64_t index = sets_[it->second].first_card + (*ordinal - 1);
    if (card(index).id == id) return index;
  }
  return std::nullopt;
}

std::optional<VariantRef> Catalog::find_variant(std::string_view id) const {
  auto underscore = id.find('_');
  if (underscore == std::string_view::npos) return std::nullopt;
  auto card_index = find_card(id.substr(0, underscore));
  if (!card_index) return std::nullopt;
  CardItem c = card(*card_index);
  for (std::uint32_t v = 0; v < shape_.variants_per_card; ++v) {
    if (variant_id(c, v) == id) return VariantRef{*card_index, v};
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Catalog::find_card_by_tcgplayer_id(std::string_view id) const {
  auto value = parse_decimal(id);
  if (!value || *value < kTcgplayerBase || *value - kTcgplayerBase >= cards_) return std::nullopt;
  std::uint64_t index = *value - kTcgplayerBase;
  if (card(index).tcgplayer_id != id) return std::nullopt;
  return index;
}

std::optional<VariantRef> Catalog::find_variant_by_sku(std::string_view sku) const {
  auto value = parse_decimal(sku);
  if (!value || *value < kSkuBase || *value - kSkuBase >= variant_count()) return std::nullopt;
  std::uint64_t index = *value - kSkuBase;
  return VariantRef{index / shape_.variants_per_card,
                    static_cast<std::uint32_t>(index % shape_.variants_per_card)};
}

std::optional<std::uint64_t> Catalog::find_card_by_scryfall_id(std::string_view id) const {
  auto index = uuid_card_index(id);
  if (!index || *index >= cards_ || card(*index).scryfall_id != id) return std::nullopt;
  return index;
}

std::optional<std::uint64_t> Catalog::find_card_by_mtgjson_id(std::string_view id) const {
  auto index = uuid_card_index(id);
  if (!index || *index >= cards_ || card(*index).mtgjson_id != id) return std::nullopt;
  return index;
}

std::uint64_t Catalog::mutate(double fraction, std::int64_t now) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw std::invalid_argument("mutate fraction must be within [0, 1]");
  }
  std::lock_guard lock(mutate_mu_);
  const std::uint32_t round = rounds_++;
  const std::uint32_t per_card = shape_.variants_per_card;
  std::vector<std::pair<std::uint64_t, PriceChange>> changes;
  std::vector<bool> games_touched(shape_.games, false);
  CardItem current;
  bool have_card = false;
  for (std::uint64_t v = 0; v < variant_count(); ++v) {
    if (unit_interval(mix(shape_.seed, Facet::kMutate, v, round)) >= fraction) continue;
    std::uint64_t card_index = v / per_card;
    if (!have_card || current.index != card_index) {
      current = card(card_index);
      have_card = true;
    }
    auto ordinal = static_cast<std::uint32_t>(v % per_card);
    auto stored = prices_.find(v);
    std::int64_t old = stored ? stored->price_cents : generated_price(current, ordinal);
    double factor = 0.75 + 0.5 * unit_interval(mix(shape_.seed, Facet::kMutatePrice, v, round));
    std::int64_t updated =
        std::max<std::int64_t>(1, std::llround(static_cast<double>(old) * factor));
    if (updated == old) ++updated;
    changes.emplace_back(v, PriceChange{updated, now});
    games_touched[current.game] = true;
  }
  prices_.apply(changes);
  for (std::uint32_t g = 0; g < shape_.games; ++g) {
    if (games_touched[g]) game_last_updated_[g] = std::max(game_last_updated_[g], now);
  }
  return changes.size();
}

std::uint32_t Catalog::mutation_rounds() const {
  std::lock_guard lock(mutate_mu_);
  return rounds_;
}

}  // namespace cardsync::sandbox
