#pragma once
// The JSON Schemas this plugin ships (config_schema.json, schemas/*.json), compiled into the
// library by cardsync_plugin_schemas so nothing is read from disk at run time.

#include <cardsync/validation.hpp>

#include "justtcg_embedded_schemas.hpp"

namespace cardsync::justtcg {

struct ItemSchemas {
  sdk::ItemSchema game{embedded::justtcg_game_schema};
  sdk::ItemSchema set{embedded::justtcg_set_schema};
  // the card without its variants (each is checked on its own)
  sdk::ItemSchema card{embedded::justtcg_card_schema};
  sdk::ItemSchema variant{embedded::justtcg_variant_schema};
};

// Compiled on first use; thread-safe.
const ItemSchemas& item_schemas();

}  // namespace cardsync::justtcg
