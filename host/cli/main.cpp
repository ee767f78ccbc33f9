// cardsync: the host process entry point.
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "cli/command_help.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/version.hpp"

int main(int argc, char** argv) {
  using namespace cardsync::cli;
  GlobalOptions opts;
  try {
    opts = parse_global_options(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "cardsync: " << e.what() << "\n\n" << global_help();
    return kExitUsage;
  }
  if (opts.version) {
    std::cout << "cardsync " << kVersion << " (plugin ABI " << kAbiVersion << ")\n";
    return kExitOk;
  }
  if (opts.help && !opts.command.empty()) {
    if (auto help = command_help(opts.command, opts.args)) {
      std::cout << *help;
      return kExitOk;
    }
    std::cerr << "cardsync: unknown command '" << opts.command << "'\n\n" << global_help();
    return kExitUsage;
  }
  if (opts.help || opts.command.empty()) {
    std::cout << global_help();
    return opts.help ? kExitOk : kExitUsage;
  }
  try {
    return run_command(opts, cardsync::config::process_env(), std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "cardsync: " << e.what() << "\n";
    return kExitWorkFailed;
  }
}
