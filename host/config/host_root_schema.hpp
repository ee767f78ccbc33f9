#pragma once
// The root of the config schema (plugin_dirs, providers, storage), compiled into the binary
// from host/config/host_schema.json so no schema file has to be found at run time.

#include <string_view>

namespace cardsync::config {

std::string_view host_root_schema();

}  // namespace cardsync::config
