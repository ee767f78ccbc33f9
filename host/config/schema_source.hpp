#pragma once
// Turns schema text (host sections, plugin descriptors) into a self-contained document the
// SchemaSet can compose: parsed, local "$ref"s inlined, and closed against unknown keys.

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace cardsync::config {

// `what` names the schema in errors ("schema of provider plugin \"mysource\"").
// Throws SchemaError when the text is not JSON, not an object, or uses a "$ref" other than a
// local "#/..." one (composition moves schemas around, so every reference is inlined here).
// Every object schema with "properties" and no "additionalProperties" gets
// "additionalProperties": false, so a typo is an error in every plugin, not just careful ones.
rapidjson::Document load_schema(std::string_view json, const std::string& what);

}  // namespace cardsync::config
