#pragma once
// The CLI's commands. Each returns a process exit code (cli/exit_codes.hpp) and writes its
// result to `out`; diagnostics go to `err`.

#include <iosfwd>

#include "cli/global_options.hpp"
#include "config/env_lookup.hpp"

namespace cardsync::cli {

int run_config_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                       std::ostream& err);
int run_plugins_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                        std::ostream& err);

// `run [--once]` (plan the configured syncs, then work) and `worker` (work only).
int run_sync_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                     std::ostream& err);

// `queue stats`, `queue failed [--csv] [--type T]`, `queue retry <id>|--all-failed [--type T]`.
int run_queue_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err);
// `enqueue <type> <key> [--payload JSON]`.
int run_enqueue_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                        std::ostream& err);

// `lookup <provider> <key> [--kind K] [--json]`: one item from the lookup cache, fetched when
// missing; `<provider> lookup <key> ...` (opts.command names the provider) is its alias.
int run_lookup_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                       std::ostream& err);
int run_provider_lookup_alias(const GlobalOptions& opts, const config::EnvLookup& env,
                              std::ostream& out, std::ostream& err);

// `manifest check FILE...` and `manifest try FILE --job TYPE:KEY [--pages N]`: validate a
// manifest, or run one job's first pages against the upstream, storing nothing.
int run_manifest_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                         std::ostream& err);

// `token create --role viewer|operator [--ttl 8h] [--subject NAME] [--private-key FILE]`: a
// bearer token for the admin API, signed with the configured admin.auth key.
int run_token_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err);

// `serve`: workers, the sync scheduler and the admin server until SIGINT/SIGTERM.
int run_serve_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err);

// Dispatches on opts.command; prints help for unknown commands.
int run_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err);

}  // namespace cardsync::cli
