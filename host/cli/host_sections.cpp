#include "cli/host_sections.hpp"

#include "log/log_options.hpp"

namespace cardsync::cli {

void add_host_sections(config::SchemaSet& schemas) {
  schemas.add_section("log", log::log_section_schema());
}

}  // namespace cardsync::cli
