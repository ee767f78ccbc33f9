#include "cli/host_sections.hpp"

#include "admin/admin_options.hpp"
#include "log/log_options.hpp"
#include "lookup/lookup_options.hpp"
#include "pipeline/pipeline_options.hpp"
#include "resilience/resilience_options.hpp"
#include "schedule/schedule_options.hpp"

namespace cardsync::cli {
namespace {

struct ProviderHostKey {
  std::string name;
  std::string_view schema;
};

// The keys the host owns inside every provider section, with their schemas.
const std::vector<ProviderHostKey>& provider_host_keys() {
  static const std::vector<ProviderHostKey> keys = [] {
    std::vector<ProviderHostKey> k;
    // Which plugin serves the section, when its name is an instance's rather than a plugin's.
    k.push_back({"plugin", R"({"type": "string", "pattern": "^[a-z0-9_]+$",
      "description": "The provider plugin serving this section. Without it, the section's name is the plugin. With it, the name is the instance's own: its service for pacing, breaker, quota, metrics and logs, and the prefix of its job types, so two instances of one plugin (\"plugin\": \"rest\" with two manifests, or one API with two keys) run side by side."})"});
    // Per-provider overrides of the resilience options: providers.<name>.resilience.
    k.push_back({"resilience", resilience_section_schema()});
    // How often `cardsync serve` repeats each provider's sync: providers.<name>.schedule.
    k.push_back({"schedule", schedule::schedule_section_schema()});
    // How long a provider's lookups stay fresh, and how long one may wait.
    for (const auto& key : lookup::lookup_host_keys()) k.push_back({key.name, key.schema});
    return k;
  }();
  return keys;
}

}  // namespace

void add_host_sections(config::SchemaSet& schemas) {
  schemas.add_section("log", log::log_section_schema());
  schemas.add_section("pipeline", pipeline::pipeline_section_schema());
  schemas.add_section("resilience", resilience_section_schema());
  schemas.add_section("admin", admin::admin_section_schema());
  for (const auto& key : provider_host_keys()) schemas.add_provider_host_key(key.name, key.schema);
}

std::vector<std::string> provider_host_key_names() {
  std::vector<std::string> names;
  for (const auto& key : provider_host_keys()) names.push_back(key.name);
  return names;
}

}  // namespace cardsync::cli
