#pragma once
// ${VAR} and ${VAR:-default} in config string values, so credentials and per-host settings
// come from the environment instead of being written into the file.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "config/diagnostic.hpp"
#include "config/env_lookup.hpp"

namespace cardsync::config {

// Remembers where a value came from the environment: diagnostics about that value quote the
// expression, and a value that was exactly one expression may be converted to the number or
// boolean the schema asks for ("${PORT:-8080}" -> 8080).
struct Substitution {
  std::string path;    // JSON Pointer of the string value
  std::string source;  // the text as written in the file, e.g. "${PORT:-8080}"
  bool whole = false;  // the string was exactly one ${...} expression
};

struct ExpandedString {
  std::string text;
  bool substituted = false;  // at least one ${...} was replaced
  bool whole = false;
  std::vector<std::string> errors;  // one message per bad expression
};

// Expands one string. Rules: "${NAME}" is the variable's value (set-but-empty gives "");
// "${NAME:-text}" gives text when NAME is unset or empty; "$${" is a literal "${". NAME is
// [A-Za-z_][A-Za-z0-9_]*. An unset NAME without default is an error naming the variable.
ExpandedString expand_env(std::string_view text, const EnvLookup& env);

// Expands every string value (not keys) in `doc` in place. Returns one diagnostic per bad
// expression across the whole document, so a user missing three variables learns all three.
std::vector<Diagnostic> substitute_env(rapidjson::Document& doc, const EnvLookup& env,
                                       const std::string& file,
                                       std::vector<Substitution>& substitutions);

}  // namespace cardsync::config
