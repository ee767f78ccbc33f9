#pragma once
// The host's config sections, each owned by one area (its schema is that area's option
// table: names, types, defaults and docs in one place, like Fluent Bit's config_map).

#include <string>
#include <vector>

#include "config/schema_set.hpp"

namespace cardsync::cli {

// Adds every host area's section to `schemas`. The one list start-up and tests share.
void add_host_sections(config::SchemaSet& schemas);

// The keys the host owns inside every provider section ("resilience", "schedule", ...), which
// are removed before the plugin sees its section.
std::vector<std::string> provider_host_key_names();

}  // namespace cardsync::cli
