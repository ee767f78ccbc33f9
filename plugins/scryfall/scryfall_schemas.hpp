#pragma once
// The JSON Schemas the provider publishes (config_schema.json, schemas/*.json), compiled into
// the plugin by cardsync_plugin_embed so it reads no file at run time.

#include <string_view>

namespace cardsync::embedded {
extern const std::string_view scryfall_config_schema;
extern const std::string_view scryfall_set_schema;   // an item of GET /sets
extern const std::string_view scryfall_card_schema;  // an item of GET /cards/search
}  // namespace cardsync::embedded

namespace cardsync::scryfall {

// {"set": <set schema>, "card": <card schema>}, for the vtable's item_schemas. Static.
const char* item_schemas_json();

}  // namespace cardsync::scryfall
