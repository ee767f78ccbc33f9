#include "cli/startup.hpp"

#include <unistd.h>
#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <system_error>

#include "cli/host_sections.hpp"
#include "config/config_location.hpp"
#include "config/schema_error.hpp"
#include "log/log_options.hpp"
#include "log/stream_sink.hpp"

namespace cardsync::cli {
namespace {

// plugin_dirs from the config (relative to the config file), else the built-in directory;
// then every --plugin-dir.
std::vector<std::filesystem::path> plugin_dirs(const rapidjson::Value& root,
                                               const std::filesystem::path& config_dir,
                                               const GlobalOptions& opts) {
  std::vector<std::filesystem::path> dirs;
  auto it = root.FindMember("plugin_dirs");
  if (it != root.MemberEnd() && it->value.IsArray() && !it->value.Empty()) {
    const std::filesystem::path base =
        config_dir.empty() ? std::filesystem::current_path() : config_dir;
    for (const auto& d : it->value.GetArray()) {
      if (!d.IsString()) continue;  // reported by validation
      std::filesystem::path p(d.GetString());
      dirs.push_back(p.is_absolute() ? p : base / p);
    }
  } else {
    std::error_code ec;
    auto builtin = builtin_plugin_dir();
    if (std::filesystem::is_directory(builtin, ec)) dirs.push_back(builtin);
  }
  for (const auto& d : opts.plugin_dirs) dirs.push_back(d);
  // The same directory named twice (--plugin-dir pointing at the built-in one) is one
  // directory, not a source of duplicate plugins.
  std::vector<std::filesystem::path> unique;
  std::vector<std::filesystem::path> seen;
  for (auto& d : dirs) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(d, ec);
    if (ec) canonical = d.lexically_normal();
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
    seen.push_back(canonical);
    unique.push_back(std::move(d));
  }
  return unique;
}

// No storage section means the default storage. Writing it into the config lets the schema
// fill in its defaults and resolve its paths against the config file like any other section,
// so `config show` prints where the data goes.
void add_default_storage(rapidjson::Document& doc, const plugin::Registry& plugins) {
  if (!doc.IsObject() || doc.HasMember("storage")) return;
  if (plugins.find(plugin::Kind::storage, kDefaultStorage) == nullptr) return;
  auto& alloc = doc.GetAllocator();
  rapidjson::Value section(rapidjson::kObjectType);
  section.AddMember(rapidjson::Value(kDefaultStorage, alloc),
                    rapidjson::Value(rapidjson::kObjectType), alloc);
  doc.AddMember("storage", section, alloc);
}

log::Level to_log_level(cs_log_level level) {
  switch (level) {
    case CS_LOG_TRACE:
      return log::Level::trace;
    case CS_LOG_DEBUG:
      return log::Level::debug;
    case CS_LOG_INFO:
      return log::Level::info;
    case CS_LOG_WARN:
      return log::Level::warn;
    case CS_LOG_ERROR:
      return log::Level::error;
  }
  return log::Level::error;  // an unknown level from a newer plugin: make sure it is seen
}

}  // namespace

StartupFailed::StartupFailed(std::vector<std::string> lines)
    : std::runtime_error(lines.empty() ? "start-up failed" : lines.front()),
      lines_(std::move(lines)) {}

std::filesystem::path builtin_plugin_dir() {
  std::filesystem::path exe = boost::dll::program_location().string();
  return (exe.parent_path() / ".." / "lib" / "cardsync").lexically_normal();
}

Startup start_up(const GlobalOptions& opts, const config::EnvLookup& env, Startup* partial) {
  Startup s;
  std::vector<std::string> problems;
  std::filesystem::path config_dir;
  auto located = config::locate_config(opts.config, env, config::ConfigPlaces::of_this_process());
  if (auto* found = std::get_if<config::ConfigLocation>(&located)) {
    s.config_label = found->file.string();
    s.config_why = found->why;
    config_dir = found->directory();
    auto parsed = config::parse_file(found->file, env);
    if (auto* diags = std::get_if<std::vector<config::Diagnostic>>(&parsed)) {
      for (const auto& d : *diags) problems.push_back(d.to_string());
      throw StartupFailed(std::move(problems));  // nothing further can be checked
    }
    s.effective = std::move(std::get<config::ParsedConfig>(parsed));
    for (const auto& d : s.effective.problems) problems.push_back(d.to_string());
  } else {
    // Carry on with the defaults so commands that only need the plugins (`manifest check`,
    // `plugins list`) can still show them; the missing config is still reported.
    problems.push_back(std::get<config::ConfigLookupFailure>(located).message);
    s.config_label = "(no config file)";
    s.effective.file = s.config_label;
    s.effective.doc.SetObject();
  }

  // The logger exists before plugins load so their init can log; its sink is attached once
  // the config's log section is known to be valid.
  s.logger = std::make_shared<log::Logger>(SystemClock::instance(), log::Level::info);
  s.plugin_dirs = plugin_dirs(s.effective.doc, config_dir, opts);
  auto services = std::make_shared<plugin::HostServices>(
      [logger = s.logger](cs_log_level level, std::string_view rid, std::string_view msg,
                          const plugin::HostServices::Fields& fields) {
        std::vector<log::Field> out;
        out.reserve(fields.size());
        for (const auto& [k, v] : fields) out.emplace_back(k, v);
        logger->log(to_log_level(level), msg, rid, std::move(out));
      });
  s.plugins = std::make_unique<plugin::Registry>(services);
  for (auto& e : s.plugins->load_directories(s.plugin_dirs)) problems.push_back(std::move(e));

  add_host_sections(s.schemas);
  for (const auto& lib : s.plugins->all()) {
    try {
      s.schemas.add_plugin(lib->kind() == plugin::Kind::provider ? "providers" : "storage",
                           std::string(lib->name()), lib->config_schema());
    } catch (const config::SchemaError& e) {
      // The plugin's fault, not the user's: name the file so they know whom to ask.
      problems.push_back(lib->path().string() + ": plugin '" + std::string(lib->name()) +
                         "' declares an unusable config schema: " + e.what());
    }
  }
  s.provider_sections =
      resolve_provider_sections(s.effective, config_dir, *s.plugins, s.schemas, problems);
  add_default_storage(s.effective.doc, *s.plugins);
  const auto diagnostics = s.schemas.resolve(s.effective);
  for (const auto& d : diagnostics) problems.push_back(d.to_string());
  if (diagnostics.empty() && !config_dir.empty()) {
    for (const auto& d : s.schemas.resolve_paths(s.effective, config_dir)) {
      problems.push_back(d.to_string());
    }
  }

  if (opts.log_level && !log::parse_level(*opts.log_level)) {
    problems.push_back("--log-level: expected one of trace, debug, info, warn, error, found \"" +
                       *opts.log_level + "\"");
  }
  if (!problems.empty()) {
    if (partial != nullptr) *partial = std::move(s);
    throw StartupFailed(std::move(problems));
  }

  auto log_section = s.effective.doc.FindMember("log");
  log::LogOptions log_opts = log::read_log_options(
      log_section != s.effective.doc.MemberEnd() ? &log_section->value : nullptr);
  if (opts.log_level) log_opts.level = *log::parse_level(*opts.log_level);
  s.logger->set_level(log_opts.level);
  s.logger->add_sink(std::make_shared<log::StreamSink>(STDERR_FILENO, log_opts.format));
  return s;
}

}  // namespace cardsync::cli
