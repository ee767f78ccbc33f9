#pragma once
// What `serve` and `token create` both need before anything else: the validated config and
// its `admin` section as typed options.

#include <optional>
#include <ostream>

#include "admin/admin_options.hpp"
#include "cli/startup.hpp"

namespace cardsync::cli {

struct AdminStartup {
  Startup startup;
  admin::AdminOptions options;
};

// start_up(), then the `admin` section read. nullopt after printing every reason to `err`:
// the caller exits kExitUsage.
std::optional<AdminStartup> start_up_with_admin(const GlobalOptions& opts,
                                                const config::EnvLookup& env, std::ostream& err);

}  // namespace cardsync::cli
