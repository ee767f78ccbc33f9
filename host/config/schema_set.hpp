#pragma once
// Phase 2 of loading a config: the schema the file is checked against, composed from the
// host's root schema, one section per host area, host-owned keys allowed in every provider
// section, and the schema each loaded plugin declares. Built in steps because plugin schemas
// are only known after the plugins named by the config's own `plugin_dirs` are loaded.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "config/config_parser.hpp"
#include "config/diagnostic.hpp"
#include "config/schema_error.hpp"

namespace cardsync::config {

class CompiledSchema;

class SchemaSet {
 public:
  // Starts from the embedded host root schema (host/config/host_schema.json).
  SchemaSet();
  // Starts from another root schema (tests).
  explicit SchemaSet(std::string_view root_schema_json);
  ~SchemaSet();
  SchemaSet(SchemaSet&&) noexcept;
  SchemaSet& operator=(SchemaSet&&) noexcept;

  // The add_* calls throw SchemaError when the schema text is unusable or a name clashes;
  // that is a bug in the host or plugin, never in the user's config.

  // A top-level section owned by one host area, e.g. add_section("log", log_schema_json).
  void add_section(std::string name, std::string_view schema_json);
  // A key the host owns inside every provider section (e.g. "resilience" overrides).
  void add_provider_host_key(const std::string& key, std::string_view schema_json);
  // A loaded plugin's config schema. kind: "providers" or "storage" ("provider" is accepted).
  // An empty schema means the plugin takes no options. A schema that does not say otherwise
  // rejects unknown keys (additionalProperties: false is added where missing).
  void add_plugin(std::string kind, std::string name, std::string_view schema_json);
  // The schema of one provider section served by a plugin under another name, or by a plugin
  // whose options depend on the section (a manifest); replaces what is registered under `name`.
  void add_provider_instance(std::string name, std::string_view schema_json);

  // Converts string values that were exactly one ${...} to the integer, number or boolean the
  // schema expects there ("port": "${PORT:-8080}" becomes 8080). Run before validate().
  void coerce(ParsedConfig& config) const;
  // Every problem in the config at once, in document order; empty when valid. Thread-safe.
  std::vector<Diagnostic> validate(const ParsedConfig& config) const;
  // Fills in every "default" the schemas declare: the effective config.
  void apply_defaults(rapidjson::Document& doc) const;
  // coerce + validate + (when valid) apply_defaults: after an empty result, config.doc is the
  // effective config.
  std::vector<Diagnostic> resolve(ParsedConfig& config) const;

  // After resolve(): relative paths the schemas mark ("format": "path" or "file") become
  // relative to `base`, the config file's directory; a "file" that cannot be read is reported.
  std::vector<Diagnostic> resolve_paths(ParsedConfig& config,
                                        const std::filesystem::path& base) const;

  // Markdown reference: per section a table of key path, type, default and description
  // (docs/configuration.md is generated from this).
  std::string render_markdown() const;

 private:
  struct State;
  std::shared_ptr<const CompiledSchema> compiled() const;
  rapidjson::Document plugin_schema(const std::string& kind, const std::string& name,
                                    std::string_view schema_json) const;

  std::unique_ptr<State> state_;
};

}  // namespace cardsync::config
