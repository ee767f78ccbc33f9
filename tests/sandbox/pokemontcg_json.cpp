#include "sandbox/pokemontcg_json.hpp"

#include <algorithm>

#include "sandbox/calendar_text.hpp"

namespace cardsync::sandbox {
namespace {

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void key(JsonWriter& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}

void price(JsonWriter& w, std::string_view name, const std::optional<std::int64_t>& cents) {
  key(w, name);
  if (cents) {
    write_cents(w, *cents);
  } else {
    w.Null();
  }
}

void write_legalities(JsonWriter& w, bool expanded) {
  w.StartObject();
  key(w, "unlimited");
  str(w, "Legal");
  if (expanded) {
    key(w, "expanded");
    str(w, "Legal");
  }
  w.EndObject();
}

void write_set_fields(JsonWriter& w, const PokemonTcgSet& s, const PokemonFields& fields) {
  const std::string images = "https://images.pokemontcg.io/" + s.id;
  if (fields.want("id")) {
    key(w, "id");
    str(w, s.id);
  }
  if (fields.want("name")) {
    key(w, "name");
    str(w, s.name);
  }
  if (fields.want("series")) {
    key(w, "series");
    str(w, s.series);
  }
  if (fields.want("printedTotal")) {
    key(w, "printedTotal");
    w.Uint(s.printed_total);
  }
  if (fields.want("total")) {
    key(w, "total");
    w.Uint(s.total);
  }
  if (fields.want("legalities")) {
    key(w, "legalities");
    write_legalities(w, s.series != "Base");
  }
  if (s.ptcgo_code && fields.want("ptcgoCode")) {
    key(w, "ptcgoCode");
    str(w, *s.ptcgo_code);
  }
  if (fields.want("releaseDate")) {
    key(w, "releaseDate");
    str(w, date_text(s.release, '/'));
  }
  if (fields.want("updatedAt")) {
    key(w, "updatedAt");
    str(w, date_time_text(s.updated, '/'));
  }
  if (fields.want("images")) {
    key(w, "images");
    w.StartObject();
    key(w, "symbol");
    str(w, images + "/symbol.png");
    key(w, "logo");
    str(w, images + "/logo.png");
    w.EndObject();
  }
}

void write_tcgplayer(JsonWriter& w, const PokemonTcgCard& c) {
  w.StartObject();
  key(w, "url");
  str(w, "https://prices.pokemontcg.io/tcgplayer/" + c.id);
  key(w, "updatedAt");
  str(w, date_text(c.tcgplayer_updated, '/'));
  key(w, "prices");
  w.StartObject();
  for (const auto& p : c.tcgplayer) {
    key(w, kPokemonPrintingNames[p.printing]);
    w.StartObject();
    price(w, "low", p.low);
    price(w, "mid", p.mid);
    price(w, "high", p.high);
    price(w, "market", p.market);
    price(w, "directLow", p.direct_low);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

void write_cardmarket(JsonWriter& w, const PokemonTcgCard& c) {
  w.StartObject();
  key(w, "url");
  str(w, "https://prices.pokemontcg.io/cardmarket/" + c.id);
  key(w, "updatedAt");
  str(w, date_text(c.cardmarket_updated, '/'));
  key(w, "prices");
  w.StartObject();
  const bool has_reverse = std::any_of(c.tcgplayer.begin(), c.tcgplayer.end(), [](const auto& p) {
    return p.printing == kPtcgReverseHolofoil;
  });
  for (std::size_t i = 0; i < kCardmarketPriceNames.size(); ++i) {
    // The reverse-holo fields are absent for cards without a reverse holo.
    const bool reverse_field = kCardmarketPriceNames[i].substr(0, 11) == "reverseHolo";
    if (reverse_field && !has_reverse) continue;
    price(w, kCardmarketPriceNames[i], c.cardmarket[i]);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace

PokemonFields::PokemonFields(std::string_view select) {
  while (!select.empty()) {
    const auto comma = select.find(',');
    std::string_view name = select.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) names_.emplace_back(name);
    select = comma == std::string_view::npos ? std::string_view{} : select.substr(comma + 1);
  }
}

bool PokemonFields::want(std::string_view field) const {
  return names_.empty() || std::find(names_.begin(), names_.end(), field) != names_.end();
}

void write_pokemon_set(JsonWriter& w, const PokemonTcgSet& set, const PokemonFields& fields) {
  w.StartObject();
  write_set_fields(w, set, fields);
  w.EndObject();
}

void write_pokemon_card(JsonWriter& w, const PokemonTcgCard& c, const PokemonTcgSet& set,
                        const PokemonFields& fields) {
  w.StartObject();
  if (fields.want("id")) {
    key(w, "id");
    str(w, c.id);
  }
  if (fields.want("name")) {
    key(w, "name");
    str(w, c.name);
  }
  if (fields.want("supertype")) {
    key(w, "supertype");
    str(w, c.supertype);
  }
  if (fields.want("subtypes")) {
    key(w, "subtypes");
    w.StartArray();
    for (auto s : c.subtypes) str(w, s);
    w.EndArray();
  }
  if (c.hp && fields.want("hp")) {
    key(w, "hp");
    str(w, *c.hp);
  }
  if (c.type && fields.want("types")) {
    key(w, "types");
    w.StartArray();
    str(w, *c.type);
    w.EndArray();
  }
  if (fields.want("set")) {
    key(w, "set");
    write_pokemon_set(w, set, PokemonFields{});
  }
  if (fields.want("number")) {
    key(w, "number");
    str(w, c.number);
  }
  if (fields.want("artist")) {
    key(w, "artist");
    str(w, "Sandbox Studio");
  }
  if (c.rarity && fields.want("rarity")) {
    key(w, "rarity");
    str(w, *c.rarity);
  }
  if (fields.want("legalities")) {
    key(w, "legalities");
    write_legalities(w, set.series != "Base");
  }
  if (fields.want("images")) {
    const std::string base = "https://images.pokemontcg.io/" + set.id + "/" + c.number;
    key(w, "images");
    w.StartObject();
    key(w, "small");
    str(w, base + ".png");
    key(w, "large");
    str(w, base + "_hires.png");
    w.EndObject();
  }
  if (c.has_tcgplayer && fields.want("tcgplayer")) {
    key(w, "tcgplayer");
    write_tcgplayer(w, c);
  }
  if (c.has_cardmarket && fields.want("cardmarket")) {
    key(w, "cardmarket");
    write_cardmarket(w, c);
  }
  w.EndObject();
}

}  // namespace cardsync::sandbox
