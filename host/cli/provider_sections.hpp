#pragma once
// The config's provider sections as instances: which plugin serves each one (its "plugin"
// key, else the section's name is the plugin) and, for a plugin driven by a document of its
// own (a REST provider's manifest), that document read and checked. Each instance's schema is
// registered, so validation checks the options its document declares.

#include <rapidjson/document.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "config/document_check.hpp"
#include "config/schema_set.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::cli {

struct ProviderSection {
  std::string name;                                // the section's key: the instance's name
  std::shared_ptr<const plugin::Library> library;  // the plugin serving it
  std::shared_ptr<const config::CheckedDocument> document;  // when the plugin reads one
};

// Reads providers.* of `config` (parsed, not yet validated; `config_dir` is its file's
// directory, against which relative document paths resolve). Problems with documents, and "plugin"
// values naming no loaded plugin, are appended to `problems` in the printed form; sections whose
// name is no plugin are left to schema validation, which reports them with a suggestion.
std::vector<ProviderSection> resolve_provider_sections(const config::ParsedConfig& config,
                                                       const std::filesystem::path& config_dir,
                                                       const plugin::Registry& plugins,
                                                       config::SchemaSet& schemas,
                                                       std::vector<std::string>& problems);

// Checks the document at `path` for `library`. `label` is how diagnostics name the file.
std::shared_ptr<const config::CheckedDocument> check_plugin_document(
    const plugin::Library& library, const std::filesystem::path& path, std::string label);

// The JSON text `create` takes for `section`: the host's keys removed and, for a plugin that
// reads a document, the document key's value replaced by the checked document.
std::string plugin_section_json(const ProviderSection& instance, const rapidjson::Value& section);

// The instance made from its effective (validated, defaulted) `section`, confined to the
// section's base_url when it has one. Throws std::exception naming the problem.
std::shared_ptr<plugin::ProviderRuntime> create_provider(const ProviderSection& instance,
                                                         const rapidjson::Value& section);

}  // namespace cardsync::cli
