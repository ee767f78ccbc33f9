// Config files, as `cardsync --config` reads them: parsed with comments and trailing commas,
// ${VAR}s substituted from a fixed environment, then coerced, validated and given their
// defaults against the real host, section and plugin schemas (the same JSON files the binary
// embeds). Properties beyond "no crash": diagnostics render; a string without '$' expands to
// itself; a config that resolves cleanly is still valid once its defaults are in (a default
// that breaks its own schema would make every user's config invalid).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "config/config_parser.hpp"
#include "config/env_substitution.hpp"
#include "config/redacted_config.hpp"
#include "config/schema_set.hpp"

namespace cardsync::embedded {
extern const std::string_view fuzz_log_schema;
extern const std::string_view fuzz_pipeline_schema;
extern const std::string_view fuzz_resilience_schema;
extern const std::string_view fuzz_schedule_schema;
extern const std::string_view fuzz_admin_schema;
extern const std::string_view fuzz_justtcg_schema;
extern const std::string_view fuzz_psa_schema;
extern const std::string_view fuzz_scryfall_schema;
}  // namespace cardsync::embedded

namespace {

using cardsync::config::Diagnostic;
using cardsync::config::EnvLookup;
using cardsync::config::ParsedConfig;
using cardsync::config::SchemaSet;
namespace embedded = cardsync::embedded;

const SchemaSet& schemas() {
  static const SchemaSet set = [] {
    SchemaSet s;
    s.add_section("log", embedded::fuzz_log_schema);
    s.add_section("pipeline", embedded::fuzz_pipeline_schema);
    s.add_section("resilience", embedded::fuzz_resilience_schema);
    s.add_section("admin", embedded::fuzz_admin_schema);
    s.add_provider_host_key("resilience", embedded::fuzz_resilience_schema);
    s.add_provider_host_key("schedule", embedded::fuzz_schedule_schema);
    s.add_plugin("providers", "justtcg", embedded::fuzz_justtcg_schema);
    s.add_plugin("providers", "psa", embedded::fuzz_psa_schema);
    s.add_plugin("providers", "scryfall", embedded::fuzz_scryfall_schema);
    s.add_plugin("storage", "sqlite", R"({"type": "object", "properties": {
      "path": {"type": "string", "format": "path", "minLength": 1}}, "required": ["path"]})");
    return s;
  }();
  return set;
}

const EnvLookup& env() {
  static const EnvLookup lookup = [](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> vars = {
        {"HOME", "/home/cardsync"},
        {"EMPTY", ""},
        {"PORT", "8080"},
        {"RATE", "1.5"},
        {"FLAG", "true"},
        {"TOKEN", "s3cr3t-token"},
        {"DOLLAR", "${HOME}"},
        {"NUL", std::string(1, '\0')},
        {"BIG", "99999999999999999999"}};
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return lookup;
}

void render(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.to_string().empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (text.find('$') == std::string_view::npos) {
    const auto expanded = cardsync::config::expand_env(text, env());
    if (expanded.text != text || expanded.substituted || !expanded.errors.empty()) std::abort();
  } else {
    (void)cardsync::config::expand_env(text, env());
  }

  auto result = cardsync::config::parse_text(text, "fuzz.json", env());
  if (auto* errors = std::get_if<std::vector<Diagnostic>>(&result)) {
    if (errors->empty()) std::abort();  // no document must come with a reason
    render(*errors);
    return 0;
  }
  auto& config = std::get<ParsedConfig>(result);
  render(config.problems);
  (void)cardsync::config::redacted(config.doc);
  const auto diagnostics = schemas().resolve(config);
  render(diagnostics);
  if (diagnostics.empty()) {
    render(schemas().validate(config));
    if (!schemas().validate(config).empty()) std::abort();
    (void)cardsync::config::redacted(config.doc);
  }
  return 0;
}
