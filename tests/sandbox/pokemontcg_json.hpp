#pragma once
// The Pokémon TCG API's wire shapes: camelCase, dates with slashes ("2023/03/31",
// "2023/03/31 15:00:00"), prices as JSON numbers or null, `tcgplayer`, `cardmarket`,
// `rarity` and `ptcgoCode` left out when the item has none, and the whole set embedded in
// every card. `select=` trims the top-level fields.

#include <string>
#include <string_view>
#include <vector>

#include "sandbox/justtcg_json.hpp"
#include "sandbox/pokemontcg_catalog.hpp"

namespace cardsync::sandbox {

// The top-level fields a `select=id,name,...` asks for; empty: all of them.
class PokemonFields {
 public:
  PokemonFields() = default;
  explicit PokemonFields(std::string_view select);
  bool want(std::string_view field) const;

 private:
  std::vector<std::string> names_;
};

void write_pokemon_set(JsonWriter& w, const PokemonTcgSet& set, const PokemonFields& fields);
void write_pokemon_card(JsonWriter& w, const PokemonTcgCard& card, const PokemonTcgSet& set,
                        const PokemonFields& fields);

}  // namespace cardsync::sandbox
