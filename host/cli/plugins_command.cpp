// `cardsync plugins list`.
#include <iomanip>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/startup.hpp"
#include "plugin/provider_lookups.hpp"

namespace cardsync::cli {
namespace {

// What each provider can look up (`cardsync lookup <provider> <key>`), from its static
// declaration: no instance is created.
void print_lookups(const plugin::Registry& reg, std::ostream& out) {
  bool header = false;
  for (const auto& lib : reg.all()) {
    const cs_provider_vtable* v = lib->provider();
    if (v == nullptr) continue;
    std::vector<std::string> job_types;
    for (const char* const* t = v->job_types; t != nullptr && *t != nullptr; ++t) {
      job_types.emplace_back(*t);
    }
    try {
      const plugin::ProviderLookups lookups(*v, nullptr, lib->name(), job_types);
      for (const auto& k : lookups.kinds()) {
        if (!header) out << "\nLookups (cardsync lookup <provider> <key> [--kind K]):\n";
        header = true;
        out << "  " << std::setw(14) << lib->name() << std::setw(8) << k.name << k.description
            << (k.key_example.empty() ? "" : " (e.g. " + k.key_example + ")") << "\n";
      }
    } catch (const std::invalid_argument& e) {
      out << "  " << std::setw(14) << lib->name() << "malformed lookups: " << e.what() << "\n";
    }
  }
}

void print_table(const plugin::Registry& reg, std::ostream& out) {
  out << std::left << std::setw(16) << "NAME" << std::setw(10) << "KIND" << std::setw(10)
      << "VERSION" << std::setw(6) << "ABI"
      << "PATH\n";
  for (const auto& lib : reg.all()) {
    const auto& d = lib->descriptor();
    out << std::setw(16) << lib->name() << std::setw(10) << plugin::to_string(lib->kind())
        << std::setw(10) << lib->version() << std::setw(6)
        << (std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor)) << lib->path().string()
        << "\n";
  }
  print_lookups(reg, out);
}

}  // namespace

int run_plugins_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                        std::ostream& err) {
  if (opts.args.size() != 1 || opts.args.front() != "list") {
    err << "cardsync plugins: expected 'list'\n";
    return kExitUsage;
  }
  Startup partial;
  try {
    Startup s = start_up(opts, env, &partial);
    print_table(*s.plugins, out);
    return kExitOk;
  } catch (const StartupFailed& failed) {
    // Show what did load, then every problem: a broken plugin must not hide the others.
    if (partial.plugins) print_table(*partial.plugins, out);
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
}

}  // namespace cardsync::cli
