#include "config/host_root_schema.hpp"

namespace cardsync::embedded {
extern const std::string_view host_root_schema_json;
}  // namespace cardsync::embedded

namespace cardsync::config {

std::string_view host_root_schema() {
  return embedded::host_root_schema_json;
}

}  // namespace cardsync::config
