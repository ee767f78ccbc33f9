#pragma once
// A fixed environment for ${VAR} tests, so they never depend on or change the real one.

#include <map>
#include <string>
#include <utility>

#include "config/env_lookup.hpp"

namespace cardsync::config::fixtures {

inline EnvLookup fake_env(std::map<std::string, std::string, std::less<>> vars = {}) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace cardsync::config::fixtures
