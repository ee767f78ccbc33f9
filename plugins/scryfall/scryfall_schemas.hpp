#pragma once
// The JSON Schemas the provider publishes: its config section and the upstream items it
// accepts. Kept as C++ string literals so the plugin reads no file at run time and builds
// with nothing but the SDK.

namespace cardsync::scryfall {

// providers.scryfall (draft-04).
extern const char* const kConfigSchemaJson;
extern const char* const kSetSchemaJson;   // an item of GET /sets
extern const char* const kCardSchemaJson;  // an item of GET /cards/search
// {"set": <set schema>, "card": <card schema>}, for the vtable's item_schemas.
const char* item_schemas_json();
}  // namespace cardsync::scryfall
