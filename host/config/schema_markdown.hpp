#pragma once
// The configuration reference, generated from the same schemas that validate the config, so
// the documentation cannot drift from what is enforced.

#include <map>
#include <string>

#include <rapidjson/document.h>

namespace cardsync::config {

// `root`: the composed schema. `plugin_containers`: top-level keys holding plugin sections
// ("providers" -> "provider"). `provider_host_keys`: key -> schema of the host-owned keys in
// every provider section; they are documented once, not under each plugin.
std::string render_schema_markdown(const rapidjson::Value& root,
                                   const std::map<std::string, std::string>& plugin_containers,
                                   const rapidjson::Value& provider_host_keys);

}  // namespace cardsync::config
