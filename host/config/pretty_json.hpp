#pragma once
// Human-facing JSON text (`config show`): two-space indent, no trailing newline.

#include <string>

#include <rapidjson/document.h>

namespace cardsync::config {

std::string to_pretty_json(const rapidjson::Value& value);

}  // namespace cardsync::config
