#pragma once
// The JSON Schemas this plugin ships (config_schema.json, schemas/*.json), compiled into the
// library so nothing is read from disk at run time.

#include <cardsync/validation.hpp>

namespace cardsync::psa {

struct ItemSchemas {
  sdk::ItemSchema cert;   // the PSACert object
  sdk::ItemSchema image;  // one element of the images array
};

// Compiled on first use; thread-safe.
const ItemSchemas& item_schemas();
// {"cert":{...},"image":{...}}: the vtable's item_schemas. Static.
const char* item_schemas_json();
// The providers.psa section schema (draft-04). Static, NUL-terminated.
const char* config_schema_json();

}  // namespace cardsync::psa
