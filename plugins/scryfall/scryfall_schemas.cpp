#include "scryfall_schemas.hpp"

#include <cardsync/item_schemas.hpp>

#include <string>

namespace cardsync::scryfall {

const char* item_schemas_json() {
  static const std::string json = sdk::schema_map_json(
      {{"set", embedded::scryfall_set_schema}, {"card", embedded::scryfall_card_schema}});
  return json.c_str();
}

}  // namespace cardsync::scryfall
