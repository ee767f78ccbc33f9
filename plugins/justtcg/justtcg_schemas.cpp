#include "justtcg_schemas.hpp"

#include <string>
#include <string_view>

namespace cardsync::embedded {
extern const std::string_view justtcg_config_schema;
extern const std::string_view justtcg_game_schema;
extern const std::string_view justtcg_set_schema;
extern const std::string_view justtcg_card_schema;
extern const std::string_view justtcg_variant_schema;
}  // namespace cardsync::embedded

namespace cardsync::justtcg {

const ItemSchemas& item_schemas() {
  static const ItemSchemas schemas{sdk::ItemSchema(embedded::justtcg_game_schema),
                                   sdk::ItemSchema(embedded::justtcg_set_schema),
                                   sdk::ItemSchema(embedded::justtcg_card_schema),
                                   sdk::ItemSchema(embedded::justtcg_variant_schema)};
  return schemas;
}

const char* item_schemas_json() {
  static const std::string json = [] {
    std::string out = "{\"game\":";
    out += embedded::justtcg_game_schema;
    out += ",\"set\":";
    out += embedded::justtcg_set_schema;
    out += ",\"card\":";
    out += embedded::justtcg_card_schema;
    out += ",\"variant\":";
    out += embedded::justtcg_variant_schema;
    out += "}";
    return out;
  }();
  return json.c_str();
}

const char* config_schema_json() {
  // cardsync_embed terminates the bytes with a NUL.
  return embedded::justtcg_config_schema.data();
}

}  // namespace cardsync::justtcg
