#pragma once
// What the host asks of a manifest before it runs one (cardsync manifest check, config
// check): the problems its JSON Schema cannot see, the JSON Schema of the instance's config
// section (the manifest's declared options plus base_url), and its pacing defaults. No I/O.

#include <rapidjson/document.h>

#include <string>

namespace cardsync::rest {

// {"problems": [{"pointer", "message", "found"?, "candidates"?}], "config_schema": {...},
//  "pacing": {"requests_per_minute"?, "daily_quota"?}}
std::string inspect_manifest(const rapidjson::Value& manifest);

// The config schema alone, as a document (used by create to apply defaults).
rapidjson::Document config_schema_of(const rapidjson::Value& manifest);

}  // namespace cardsync::rest
