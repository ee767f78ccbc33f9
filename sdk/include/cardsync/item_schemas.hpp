#pragma once
// cardsync SDK: publishing a provider's item schemas. The vtable's item_schemas is one JSON
// object mapping each item name to its JSON Schema, while a provider validates with one
// compiled ItemSchema (validation.hpp) per name; both come from the same schema texts, usually
// JSON files compiled in with cardsync_plugin_embed() (CardsyncPlugin.cmake):
//
//   const char* item_schemas_json() {
//     static const std::string json = sdk::schema_map_json({{"cert", embedded::psa_cert}});
//     return json.c_str();   // static: the host keeps the pointer
//   }
//
// Pure function: thread-safe.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cardsync::sdk {

// {"<name>": <schema text>, ...} with each schema written as is (it must be JSON).
inline std::string schema_map_json(
    std::initializer_list<std::pair<std::string_view, std::string_view>> schemas) {
  std::string out = "{";
  for (const auto& [name, schema] : schemas) {
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(name) + "\":" + std::string(schema);
  }
  return out + "}";
}

}  // namespace cardsync::sdk
