#pragma once
// Phase 1 of loading a config: read the file, parse it (comments and trailing commas allowed)
// and substitute ${VAR}s. Validation is phase 2 (SchemaSet) because plugin schemas are only
// known once the plugins named by `plugin_dirs` in this very file are loaded.

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "config/diagnostic.hpp"
#include "config/env_lookup.hpp"
#include "config/env_substitution.hpp"

namespace cardsync::config {

struct ParsedConfig {
  std::string file;  // label used in diagnostics: the path as the user gave it
  rapidjson::Document doc;
  std::vector<Substitution> substitutions;  // every string that had a ${...}
  // Problems that still leave a usable document (duplicate keys, unset variables): reported
  // together with the validation errors, so the user sees every problem in one run.
  std::vector<Diagnostic> problems;
};

// Either the parsed config (possibly carrying non-fatal `problems`) or, when there is no
// document to check at all (unreadable file, invalid JSON), the diagnostics saying why.
using ParseResult = std::variant<ParsedConfig, std::vector<Diagnostic>>;

// A missing or unreadable file is one diagnostic saying why (e.g. "No such file or directory").
ParseResult parse_file(const std::filesystem::path& path, const EnvLookup& env);

// Same as parse_file on text already in memory; `file_label` names it in diagnostics.
// Syntax errors give one diagnostic with line, column (1-based, in characters) and the
// parser's message; otherwise duplicate keys and all ${VAR} errors are reported together.
// An empty `env` substitutes nothing (documents that are not configs, such as manifests).
ParseResult parse_text(std::string_view text, std::string file_label, const EnvLookup& env);

}  // namespace cardsync::config
