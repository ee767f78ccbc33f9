#include "psa_cursor.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>

namespace cardsync::psa {

std::string PendingImages::to_json() const {
  return sdk::JsonObject().text("step", "images").text("cert", cert_body).str();
}

std::optional<PendingImages> PendingImages::parse(std::string_view cursor) {
  const auto doc = sdk::parse_object(cursor);
  const rapidjson::Value* cert = doc ? sdk::member(*doc, "cert") : nullptr;
  if (cert == nullptr || !cert->IsString() || sdk::text_member(*doc, "step") != "images") {
    return std::nullopt;
  }
  return PendingImages{std::string(sdk::text_of(cert))};
}

}  // namespace cardsync::psa
