#pragma once
// How ${VAR} substitution reads the environment. Injected so tests never touch the real
// process environment (and can run in parallel).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::config {

// Returns the variable's value, or nullopt when it is not set (set-but-empty is "").
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the process environment with getenv.
EnvLookup process_env();

}  // namespace cardsync::config
