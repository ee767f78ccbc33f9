#pragma once
// A plugin's own document (a REST provider's manifest), checked the way a config is: parsed
// with the config syntax (comments, trailing commas; no ${VAR}s), validated against the
// schema the plugin publishes, then handed to the plugin for what a schema cannot say. Every
// problem comes back at once, each with the file, line and JSON Pointer, and "did you mean"
// where a name was mistyped.

#include <rapidjson/document.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"

namespace cardsync::config {

// The plugin's inspection of a schema-valid document: JSON text as abi.h describes for
// inspect_document. May throw std::exception, which becomes one problem.
using DocumentInspector = std::function<std::string(std::string_view document_json)>;

struct CheckedDocument {
  std::string file;                   // the label diagnostics name
  rapidjson::Document doc;            // the document, its schema's defaults applied
  rapidjson::Document config_schema;  // what it declares for its config section; {} if none
  std::vector<Diagnostic> problems;   // empty when the document can be used
};

// `what` names the document in messages ("manifest"). `label` is how to print the path.
CheckedDocument check_document(const std::filesystem::path& path, std::string label,
                               std::string_view what, std::string_view schema_json,
                               const DocumentInspector& inspect);

// Same for text already in memory.
CheckedDocument check_document_text(std::string_view text, std::string label, std::string_view what,
                                    std::string_view schema_json, const DocumentInspector& inspect);

}  // namespace cardsync::config
