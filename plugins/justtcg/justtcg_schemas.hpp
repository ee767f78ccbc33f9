#pragma once
// The JSON Schemas this plugin ships (config_schema.json, schemas/*.json), compiled into the
// library so nothing is read from disk at run time.

#include <cardsync/validation.hpp>

namespace cardsync::justtcg {

struct ItemSchemas {
  sdk::ItemSchema game;
  sdk::ItemSchema set;
  sdk::ItemSchema card;  // the card without its variants (each is checked on its own)
  sdk::ItemSchema variant;
};

// Compiled on first use; thread-safe.
const ItemSchemas& item_schemas();
// {"game":{...},"set":{...},"card":{...},"variant":{...}}: the vtable's item_schemas. Static.
const char* item_schemas_json();
// The providers.justtcg section schema (draft-04). Static, NUL-terminated.
const char* config_schema_json();

}  // namespace cardsync::justtcg
