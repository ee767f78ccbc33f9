#include "cli/host_sections.hpp"

#include "admin/admin_options.hpp"
#include "log/log_options.hpp"
#include "lookup/lookup_options.hpp"
#include "pipeline/pipeline_options.hpp"
#include "resilience/resilience_options.hpp"
#include "schedule/schedule_options.hpp"

namespace cardsync::cli {

void add_host_sections(config::SchemaSet& schemas) {
  schemas.add_section("log", log::log_section_schema());
  schemas.add_section("pipeline", pipeline::pipeline_section_schema());
  schemas.add_section("resilience", resilience_section_schema());
  // Per-provider overrides of the same options: providers.<name>.resilience.
  schemas.add_provider_host_key("resilience", resilience_section_schema());
  // How long a provider's lookups stay fresh, and how long one may wait:
  // providers.<name>.ttl_seconds, not_found_ttl_seconds, lookup_deadline_seconds.
  for (const auto& key : lookup::lookup_host_keys()) {
    schemas.add_provider_host_key(key.name, key.schema);
  }
  schemas.add_section("admin", admin::admin_section_schema());
  // How often `cardsync serve` repeats each provider's sync: providers.<name>.schedule.
  schemas.add_provider_host_key("schedule", schedule::schedule_section_schema());
}

}  // namespace cardsync::cli
