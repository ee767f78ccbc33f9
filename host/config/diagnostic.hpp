#pragma once
// One problem found in a config file. Every stage (reading, parsing, env substitution, schema
// validation) reports in this one shape so the CLI can print all of them the same way.

#include <cstddef>
#include <string>

namespace cardsync::config {

struct Diagnostic {
  std::string file;      // as the user named it, e.g. "cardsync.json"
  std::string path;      // JSON Pointer ("/providers/mysource/plan"); "" is the whole file
  std::string message;   // what was expected and what was found
  std::size_t line = 0;  // 1-based line of `path` in the file, when known; 0 otherwise

  // The exact line the CLI prints: "<file>: <path>: <message>", or "<file>: <message>" when
  // the problem concerns the whole file (an empty pointer would print as a confusing ": :");
  // "<file>:<line>: ..." when the line is known.
  std::string to_string() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

}  // namespace cardsync::config
