#pragma once
// The composed config schema, compiled for RapidJSON's validator, and the walk that turns its
// verdicts into diagnostics. RapidJSON 1.1 (Debian 12) stops at the first error and reports
// only a keyword and two pointers, so one validation cannot list every problem. Instead the
// structural keywords (properties, required, additionalProperties, patternProperties, items)
// are walked here, and every other keyword is checked by a SchemaDocument compiled once per
// schema node: each value is validated on its own, so each bad value yields its own error.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "config/diagnostic.hpp"
#include "config/env_substitution.hpp"

namespace cardsync::config {

class CompiledSchema {
 public:
  // `root` is the composed schema (host root + sections + plugins); `plugin_containers` maps
  // a top-level property ("providers", "storage") to the noun its entries are ("provider").
  CompiledSchema(rapidjson::Document root, std::map<std::string, std::string> plugin_containers);
  // Compiled nodes are keyed by address inside root_, so the object must stay put.
  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;
  ~CompiledSchema();

  const rapidjson::Value& root() const { return root_; }
  const std::map<std::string, std::string>& plugin_containers() const {
    return plugin_container_names_;
  }

  // Every problem in `doc`, in document order. Thread-safe.
  std::vector<Diagnostic> validate(const rapidjson::Value& doc, const std::string& file,
                                   const std::vector<Substitution>& substitutions) const;

  // Converts values that were exactly one ${...} to the integer/number/boolean the schema
  // expects at their path; values that do not parse stay strings (validation reports them).
  void coerce(rapidjson::Document& doc, const std::vector<Substitution>& substitutions) const;

  // Adds every missing key that has a "default"; creates missing objects whose children have
  // defaults, except plugin sections (configuring one is what enables a plugin).
  void apply_defaults(rapidjson::Document& doc) const;

  // Makes every relative string marked "format": "path" or "file" relative to `base` (the
  // config file's directory); returns a problem for each "file" that cannot be read.
  std::vector<Diagnostic> resolve_paths(rapidjson::Document& doc, const std::filesystem::path& base,
                                        const std::string& file) const;

  // The schema node governing `pointer`, or null when the schema does not describe it.
  const rapidjson::Value* node_at(const std::string& pointer) const;

 private:
  struct Compiled;
  struct NodeSchemas;
  struct Sink;

  void compile_tree(const rapidjson::Value& node);
  void walk(const rapidjson::Value& value, const rapidjson::Value& node, const std::string& path,
            Sink& sink) const;
  static void report_first(const Compiled& compiled, const rapidjson::Value& node,
                           const rapidjson::Value& value, const std::string& path, Sink& sink);
  void fill_defaults(rapidjson::Value& value, const rapidjson::Value& node,
                     rapidjson::Document::AllocatorType& alloc) const;

  void resolve_paths_in(rapidjson::Value& value, const rapidjson::Value& node,
                        const std::string& pointer, const std::filesystem::path& base,
                        const std::string& file, rapidjson::Document::AllocatorType& alloc,
                        std::vector<Diagnostic>& out) const;

  rapidjson::Document root_;
  std::map<std::string, std::string> plugin_container_names_;
  std::unordered_map<const rapidjson::Value*, std::string> plugin_containers_;  // node -> noun
  std::unordered_map<const rapidjson::Value*, std::unique_ptr<NodeSchemas>> nodes_;
};

}  // namespace cardsync::config
