#include "psa_schemas.hpp"

#include <string>
#include <string_view>

namespace cardsync::embedded {
extern const std::string_view psa_config_schema;
extern const std::string_view psa_cert_schema;
extern const std::string_view psa_image_schema;
}  // namespace cardsync::embedded

namespace cardsync::psa {

const ItemSchemas& item_schemas() {
  static const ItemSchemas schemas{sdk::ItemSchema(embedded::psa_cert_schema),
                                   sdk::ItemSchema(embedded::psa_image_schema)};
  return schemas;
}

const char* item_schemas_json() {
  static const std::string json = [] {
    std::string out = "{\"cert\":";
    out += embedded::psa_cert_schema;
    out += ",\"image\":";
    out += embedded::psa_image_schema;
    out += "}";
    return out;
  }();
  return json.c_str();
}

const char* config_schema_json() {
  // cardsync_embed terminates the bytes with a NUL.
  return embedded::psa_config_schema.data();
}

}  // namespace cardsync::psa
