#include "scryfall_schemas.hpp"

#include <string>

namespace cardsync::scryfall {

// R"json(...)json": the descriptions contain `)"`.
const char* const kConfigSchemaJson = R"json({
  "description": "Scryfall: Magic: The Gathering sets, every printing, and its daily prices.",
  "type": "object",
  "properties": {
    "base_url": {
      "type": "string", "pattern": "^https?://", "default": "https://api.scryfall.com",
      "description": "Scryfall API root. Point it at the local sandbox (http://127.0.0.1:<port>/scryfall) for demos and tests."
    },
    "user_agent": {
      "type": "string", "minLength": 1,
      "default": "cardsync-scryfall/1.0 (card shop catalog sync)",
      "description": "User-Agent sent with every request. Scryfall asks for one that names the application; add your shop and a contact address."
    },
    "requests_per_second": {
      "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "default": 10,
      "description": "Pacing ceiling reported to the host. Scryfall asks for no more than 10 requests a second; providers.scryfall.resilience.pacing can only tighten it."
    },
    "sets": {
      "type": "array", "items": {"type": "string", "pattern": "^[a-z0-9]+$"},
      "uniqueItems": true, "default": [],
      "description": "Set codes to sync (e.g. [\"neo\", \"mkm\"]). Empty: every set GET /sets lists."
    },
    "currencies": {
      "type": "array", "items": {"enum": ["usd", "eur"]}, "minItems": 1, "uniqueItems": true,
      "default": ["usd", "eur"],
      "description": "Price preference per finish: a variant takes its price from the first of these currencies that has one."
    }
  },
  "additionalProperties": false
})json";

const char* const kSetSchemaJson = R"json({
  "type": "object",
  "required": ["code", "name"],
  "properties": {
    "code": {"type": "string", "pattern": "^[a-z0-9]+$"},
    "name": {"type": "string", "minLength": 1},
    "released_at": {"type": ["string", "null"]},
    "card_count": {"type": ["integer", "null"], "minimum": 0},
    "set_type": {"type": ["string", "null"]}
  }
})json";

const char* const kCardSchemaJson = R"json({
  "type": "object",
  "required": ["id", "name", "set", "collector_number"],
  "properties": {
    "id": {"type": "string", "minLength": 1},
    "name": {"type": "string", "minLength": 1},
    "set": {"type": "string", "minLength": 1},
    "collector_number": {"type": "string", "minLength": 1},
    "rarity": {"type": ["string", "null"]},
    "lang": {"type": ["string", "null"]},
    "tcgplayer_id": {"type": ["integer", "null"], "minimum": 0},
    "finishes": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "prices": {
      "type": ["object", "null"],
      "properties": {
        "usd": {"$ref": "#/definitions/price"},
        "usd_foil": {"$ref": "#/definitions/price"},
        "usd_etched": {"$ref": "#/definitions/price"},
        "eur": {"$ref": "#/definitions/price"},
        "eur_foil": {"$ref": "#/definitions/price"},
        "eur_etched": {"$ref": "#/definitions/price"},
        "tix": {"$ref": "#/definitions/price"}
      }
    }
  },
  "definitions": {
    "price": {"type": ["string", "null"], "pattern": "^[0-9]{1,12}(\\.[0-9]+)?$"}
  }
})json";

const char* item_schemas_json() {
  static const std::string text =
      std::string(R"({"set": )") + kSetSchemaJson + R"(, "card": )" + kCardSchemaJson + "}";
  return text.c_str();
}

}  // namespace cardsync::scryfall
