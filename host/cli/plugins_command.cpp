// `cardsync plugins list`.
#include <iomanip>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "admin/json_writer.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/startup.hpp"
#include "plugin/provider_lookups.hpp"

namespace cardsync::cli {
namespace {

plugin::ProviderLookups lookups_of(const plugin::Library& lib, const cs_provider_vtable& v) {
  std::vector<std::string> job_types;
  for (const char* const* t = v.job_types; t != nullptr && *t != nullptr; ++t) {
    job_types.emplace_back(*t);
  }
  return {v, nullptr, lib.name(), job_types};
}

// What each provider can look up (`cardsync lookup <provider> <key>`), from its static
// declaration: no instance is created.
void print_lookups(const plugin::Registry& reg, std::ostream& out) {
  bool header = false;
  for (const auto& lib : reg.all()) {
    const cs_provider_vtable* v = lib->provider();
    if (v == nullptr) continue;
    try {
      const plugin::ProviderLookups lookups = lookups_of(*lib, *v);
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

// {"plugins": [{name, kind, version, abi, path, lookups: [{kind, description, key_example}]}],
// "problems": [text]}: what the table shows, for scripts.
void print_json(const plugin::Registry* reg, const std::vector<std::string>& problems,
                std::ostream& out) {
  rapidjson::StringBuffer buf;
  admin::JsonWriter w(buf);
  w.StartObject();
  admin::write_key(w, "plugins");
  w.StartArray();
  const auto libs =
      reg != nullptr ? reg->all() : std::vector<std::shared_ptr<const plugin::Library>>{};
  for (const auto& lib : libs) {
    const auto& d = lib->descriptor();
    w.StartObject();
    admin::write_key(w, "name");
    admin::write_string(w, lib->name());
    admin::write_key(w, "kind");
    admin::write_string(w, plugin::to_string(lib->kind()));
    admin::write_key(w, "version");
    admin::write_string(w, lib->version());
    admin::write_key(w, "abi");
    admin::write_string(w, std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor));
    admin::write_key(w, "path");
    admin::write_string(w, lib->path().string());
    admin::write_key(w, "lookups");
    w.StartArray();
    if (const cs_provider_vtable* v = lib->provider(); v != nullptr) {
      try {
        const plugin::ProviderLookups lookups = lookups_of(*lib, *v);
        for (const auto& k : lookups.kinds()) {
          w.StartObject();
          admin::write_key(w, "kind");
          admin::write_string(w, k.name);
          admin::write_key(w, "description");
          admin::write_string(w, k.description);
          admin::write_key(w, "key_example");
          admin::write_string(w, k.key_example);
          w.EndObject();
        }
      } catch (const std::invalid_argument&) {  // NOLINT(bugprone-empty-catch): see problems
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  admin::write_key(w, "problems");
  w.StartArray();
  for (const auto& p : problems) admin::write_string(w, p);
  w.EndArray();
  w.EndObject();
  out << admin::json_text(buf) << "\n";
}

}  // namespace

int run_plugins_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                        std::ostream& err) {
  const bool json = opts.args.size() == 2 && opts.args[1] == "--json";
  if (opts.args.empty() || opts.args.front() != "list" || (opts.args.size() > 1 && !json)) {
    err << "cardsync plugins: expected 'list [--json]'\n";
    return kExitUsage;
  }
  Startup partial;
  try {
    Startup s = start_up(opts, env, &partial);
    if (json) {
      print_json(s.plugins.get(), {}, out);
    } else {
      print_table(*s.plugins, out);
    }
    return kExitOk;
  } catch (const StartupFailed& failed) {
    // Show what did load, then every problem: a broken plugin must not hide the others.
    if (json) {
      print_json(partial.plugins.get(), failed.lines(), out);
    } else if (partial.plugins) {
      print_table(*partial.plugins, out);
    }
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
}

}  // namespace cardsync::cli
