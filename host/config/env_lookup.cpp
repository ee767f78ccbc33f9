#include "config/env_lookup.hpp"

#include <cstdlib>

namespace cardsync::config {

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);  // getenv needs a NUL-terminated name
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace cardsync::config
