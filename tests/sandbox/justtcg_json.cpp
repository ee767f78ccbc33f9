#include "sandbox/justtcg_json.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <string>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/deterministic_hash.hpp"

namespace cardsync::sandbox {
namespace {

void write_optional(JsonWriter& w, const char* key, const std::optional<std::string>& value) {
  w.Key(key);
  if (value) {
    w.String(*value);
  } else {
    w.Null();
  }
}

void write_percent(JsonWriter& w, double value) {
  std::array<char, 32> buf{};
  int n = std::snprintf(buf.data(), buf.size(), "%.2f", value);
  w.RawValue(buf.data(), static_cast<std::size_t>(n), rapidjson::kNumberType);
}

void write_price_history(JsonWriter& w, std::uint64_t seed, const VariantItem& variant,
                         unsigned days) {
  w.Key("priceHistory");
  w.StartArray();
  for (unsigned d = days; d-- > 0;) {
    double u = unit_interval(mix(seed, Facet::kStatisticValue, variant.index, 1000 + d));
    auto cents =
        static_cast<std::int64_t>(static_cast<double>(variant.price_cents) * (0.9 + 0.2 * u));
    w.StartObject();
    w.Key("p");
    write_cents(w, d == 0 ? variant.price_cents : cents);
    w.Key("t");
    w.Int64(variant.last_updated - static_cast<std::int64_t>(d) * 86400);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void write_cents(JsonWriter& w, std::int64_t cents) {
  std::array<char, 32> buf{};
  char* p = buf.data();
  if (cents < 0) *p++ = '-';
  std::uint64_t magnitude =
      cents < 0 ? static_cast<std::uint64_t>(-(cents + 1)) + 1 : static_cast<std::uint64_t>(cents);
  p = std::to_chars(p, buf.data() + buf.size(), magnitude / 100).ptr;
  *p++ = '.';
  *p++ = static_cast<char>('0' + magnitude % 100 / 10);
  *p++ = static_cast<char>('0' + magnitude % 10);
  w.RawValue(buf.data(), static_cast<std::size_t>(p - buf.data()), rapidjson::kNumberType);
}

void write_game(JsonWriter& w, const Catalog& catalog, const GameItem& game) {
  const std::uint64_t cards = catalog.cards_per_game();
  w.StartObject();
  w.Key("id");
  w.String(game.slug);
  w.Key("name");
  w.String(game.name);
  w.Key("cards_count");
  w.Uint64(cards);
  w.Key("variants_count");
  w.Uint64(cards * catalog.shape().variants_per_card);
  w.Key("sealed_count");
  w.Uint(0);
  w.Key("sets_count");
  w.Uint(catalog.shape().sets_per_game);
  w.Key("last_updated");
  std::int64_t last = catalog.game_last_updated(game.index);
  if (game.last_updated_as_string) {
    w.String(std::to_string(last));
  } else {
    w.Int64(last);
  }
  w.Key("game_value_usd");
  write_cents(w, game.value_cents);
  w.Key("game_value_change_7d_pct");
  write_percent(w, game.change_7d_pct);
  w.Key("game_value_change_30d_pct");
  write_percent(w, game.change_30d_pct);
  w.Key("game_value_change_90d_pct");
  write_percent(w, game.change_90d_pct);
  w.EndObject();
}

void write_set(JsonWriter& w, const Catalog& catalog, const SetItem& set) {
  const GameItem& game = catalog.game(set.game);
  const std::uint32_t cards = catalog.shape().cards_per_set;
  w.StartObject();
  w.Key("id");
  w.String(set.id);
  w.Key("name");
  w.String(set.name);
  w.Key("game_id");
  w.String(game.slug);
  w.Key("game");
  w.String(game.name);
  w.Key("count");
  w.Uint(cards);
  w.Key("cards_count");
  w.Uint(cards);
  w.Key("variants_count");
  w.Uint64(std::uint64_t{cards} * catalog.shape().variants_per_card);
  w.Key("sealed_count");
  w.Uint(0);
  write_optional(w, "release_date", set.release_date);
  w.Key("set_value_usd");
  write_cents(w, set.value_cents);
  w.Key("set_value_change_7d_pct");
  write_percent(w, set.change_7d_pct);
  w.Key("set_value_change_30d_pct");
  write_percent(w, set.change_30d_pct);
  w.Key("set_value_change_90d_pct");
  write_percent(w, set.change_90d_pct);
  w.EndObject();
}

std::uint32_t write_card(JsonWriter& w, const Catalog& catalog, const CardItem& card,
                         std::uint64_t variants, const CardView& view) {
  const std::uint64_t seed = catalog.shape().seed;
  const GameItem& game = catalog.game(card.game);
  const SetItem& set = catalog.set(card.set);
  w.StartObject();
  w.Key("id");
  w.String(card.id);
  if (!card_invalid(card)) {
    w.Key("name");
    w.String(card.name);
  }
  w.Key("game");
  w.String(game.name);
  w.Key("set");
  w.String(set.id);
  w.Key("set_name");
  w.String(set.name);
  write_optional(w, "number", card.number);
  write_optional(w, "rarity", card.rarity);
  write_optional(w, "tcgplayerId", card.tcgplayer_id);
  write_optional(w, "scryfallId", card.scryfall_id);
  write_optional(w, "mtgjsonId", card.mtgjson_id);
  if (card.details_null) {
    w.Key("details");
    w.Null();
  }
  w.Key("variants");
  w.StartArray();
  std::uint32_t written = 0;
  const auto statistics = variant_statistics();
  for (std::uint32_t v = 0; v < catalog.shape().variants_per_card; ++v) {
    if ((variants & (1ULL << v)) == 0) continue;
    VariantItem variant = catalog.variant(card, v);
    w.StartObject();
    w.Key("id");
    w.String(variant.id);
    w.Key("condition");
    w.String(card_conditions()[variant.condition].name.data(),
             static_cast<rapidjson::SizeType>(card_conditions()[variant.condition].name.size()));
    w.Key("printing");
    w.String(card_printings()[variant.printing].name.data(),
             static_cast<rapidjson::SizeType>(card_printings()[variant.printing].name.size()));
    w.Key("language");
    if (variant.language == 0 && card.english_as_null) {
      w.Null();
    } else {
      const auto& name = card_languages()[variant.language].name;
      w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    }
    w.Key("tcgplayerSkuId");
    w.String(variant.sku);
    w.Key("price");
    const Defect defect = variant_defect(card, v);
    if (defect == Defect::kPriceWrongType) {
      w.Bool(true);
    } else if (defect == Defect::kNegativePrice) {
      write_cents(w, -variant.price_cents);
    } else {
      write_cents(w, variant.price_cents);
    }
    w.Key("lastUpdated");
    w.Int64(variant.last_updated);
    for (std::size_t s = 0; s < statistics.size(); ++s) {
      const auto& spec = statistics[s];
      if (spec.timeframe != kAlways && (view.timeframes & spec.timeframe) == 0) continue;
      StatisticValue value = statistic_value(seed, variant, s);
      if (value.presence == Presence::kAbsent) continue;
      w.Key(spec.name.data(), static_cast<rapidjson::SizeType>(spec.name.size()));
      if (value.presence == Presence::kNull) {
        w.Null();
      } else if (spec.kind == StatisticKind::kDate) {
        w.String(value.text);
      } else {
        w.RawValue(value.text.data(), value.text.size(), rapidjson::kNumberType);
      }
    }
    if (view.price_history) write_price_history(w, seed, variant, view.history_days);
    w.EndObject();
    ++written;
  }
  w.EndArray();
  w.EndObject();
  return written;
}

}  // namespace cardsync::sandbox
