#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace cardsync::cli {

int run_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err) {
  if (opts.command == "config") return run_config_command(opts, env, out, err);
  if (opts.command == "plugins") return run_plugins_command(opts, env, out, err);
  if (opts.command == "queue") return run_queue_command(opts, env, out, err);
  if (opts.command == "enqueue") return run_enqueue_command(opts, env, out, err);
  if (opts.command == "lookup") return run_lookup_command(opts, env, out, err);
  if (opts.command == "manifest") return run_manifest_command(opts, env, out, err);
  if (opts.command == "token") return run_token_command(opts, env, out, err);
  if (opts.command == "serve") return run_serve_command(opts, env, out, err);
  if (opts.command == "run" || opts.command == "worker") {
    return run_sync_command(opts, env, out, err);
  }
  // `cardsync <provider> lookup <key>`: any provider's lookups under its own name.
  if (!opts.args.empty() && opts.args.front() == "lookup") {
    return run_provider_lookup_alias(opts, env, out, err);
  }
  err << "cardsync: unknown command '" << opts.command << "'\n\n" << global_help();
  return kExitUsage;
}

}  // namespace cardsync::cli
