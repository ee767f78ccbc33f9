#include "cli/startup.hpp"

#include <unistd.h>
#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <system_error>

#include "cli/host_sections.hpp"
#include "config/schema_error.hpp"
#include "log/log_options.hpp"
#include "log/stream_sink.hpp"

namespace cardsync::cli {
namespace {

// --config, then $CARDSYNC_CONFIG, then ./cardsync.json. Only the implicit default may be
// absent (then everything takes its default); a file the user named must exist.
struct ConfigSource {
  std::optional<std::filesystem::path> path;
  std::string label;
};
ConfigSource locate_config(const GlobalOptions& opts, const config::EnvLookup& env) {
  if (opts.config) return {opts.config, opts.config->string()};
  if (auto from_env = env("CARDSYNC_CONFIG"); from_env && !from_env->empty()) {
    return {std::filesystem::path(*from_env), *from_env};
  }
  std::error_code ec;
  if (std::filesystem::exists("cardsync.json", ec)) {
    return {std::filesystem::path("cardsync.json"), "cardsync.json"};
  }
  return {std::nullopt, "(defaults)"};
}

// plugin_dirs from the config (relative to the config file), else the built-in directory;
// then every --plugin-dir.
std::vector<std::filesystem::path> plugin_dirs(const rapidjson::Value& root,
                                               const ConfigSource& source,
                                               const GlobalOptions& opts) {
  std::vector<std::filesystem::path> dirs;
  auto it = root.FindMember("plugin_dirs");
  if (it != root.MemberEnd() && it->value.IsArray() && !it->value.Empty()) {
    std::filesystem::path base =
        source.path ? source.path->parent_path() : std::filesystem::current_path();
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
  ConfigSource source = locate_config(opts, env);
  s.config_label = source.label;

  if (source.path) {
    auto parsed = config::parse_file(*source.path, env);
    if (auto* diags = std::get_if<std::vector<config::Diagnostic>>(&parsed)) {
      for (const auto& d : *diags) problems.push_back(d.to_string());
      throw StartupFailed(std::move(problems));  // nothing further can be checked
    }
    s.effective = std::move(std::get<config::ParsedConfig>(parsed));
    for (const auto& d : s.effective.problems) problems.push_back(d.to_string());
  } else {
    s.effective.file = source.label;
    s.effective.doc.SetObject();
  }

  // The logger exists before plugins load so their init can log; its sink is attached once
  // the config's log section is known to be valid.
  s.logger = std::make_shared<log::Logger>(SystemClock::instance(), log::Level::info);
  s.plugin_dirs = plugin_dirs(s.effective.doc, source, opts);
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
  const std::filesystem::path config_dir =
      source.path ? source.path->parent_path() : std::filesystem::path();
  s.provider_sections =
      resolve_provider_sections(s.effective, config_dir, *s.plugins, s.schemas, problems);
  for (const auto& d : s.schemas.resolve(s.effective)) problems.push_back(d.to_string());

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
