#pragma once
// Reading one node of a JSON Schema (draft 4, as RapidJSON implements it): the handful of
// keywords that decide how the config walk, type coercion and defaults descend into a value.

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace cardsync::config {

// The text of a JSON string value, without copying.
std::string_view as_view(const rapidjson::Value& string);

// The member `name` of `node`, or null when absent or when `node` is not an object.
const rapidjson::Value* member_of(const rapidjson::Value& node, std::string_view name);

// The node constrains an object's keys (properties, patternProperties, additionalProperties
// or required).
bool has_object_keywords(const rapidjson::Value& node);

// The schema every array element must match, or null: tuple-form "items" (an array of
// schemas) is not walked, so it counts as absent.
const rapidjson::Value* items_schema(const rapidjson::Value& node);

// The node has keywords that reach into children (object keys or array elements).
bool is_structural(const rapidjson::Value& node);

// Whether `key` matches a patternProperties pattern (ECMAScript, unanchored search).
bool pattern_matches(std::string_view pattern, std::string_view key);

// The names listed by "type", whether written as one string or an array; empty when absent.
std::vector<std::string> type_set(const rapidjson::Value& schema);

}  // namespace cardsync::config
