#pragma once
// How diagnostics quote values: short, typed, and never showing a secret.

#include <string>

#include <rapidjson/document.h>

namespace cardsync::config {

// JSON type name as JSON Schema spells it: "integer" for whole numbers, else "number", etc.
std::string json_type_name(const rapidjson::Value& value);

// Compact JSON text of a value (schema enums and defaults).
std::string compact_json(const rapidjson::Value& value);

// The "found ..." part of a message. Strings are quoted and cut after 60 characters; with
// `with_type` the type is named first ("string \"abc\"", "integer 5"); objects and arrays are
// named, not printed. `secret` (the value sits under a secret-named key) prints "***" instead
// of any non-empty scalar, and URL passwords inside strings are always masked.
std::string describe_found(const rapidjson::Value& value, bool secret, bool with_type);

}  // namespace cardsync::config
