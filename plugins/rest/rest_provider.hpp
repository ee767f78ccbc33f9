#pragma once
// The rest provider: a REST API described by a manifest (docs/manifest-reference.md) instead
// of C++. One instance per provider section naming `plugin: rest`; the manifest's streams
// are its job types ("rest.<stream>"; the host shows them under the instance's name), its
// item schemas and its lookups, told to the host through describe(). No I/O: it builds
// requests and reads responses; the host sends, paces, retries and stores. Thread-safe: the
// compiled manifest and config are immutable, and per-job state lives in the job cursor.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "manifest_model.hpp"

namespace cardsync::rest {

// The manifest's JSON Schema (manifest.schema.json, compiled in).
const char* manifest_schema_json();

class RestProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "rest";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "A REST API described by a manifest: streams, paging, mapping onto canonical records";
  static constexpr const char* kConfigSchema = R"json({
    "type": "object",
    "description": "A provider instance served by the rest plugin: `manifest` names the manifest file; the other keys are the options the manifest declares, plus base_url.",
    "properties": {
      "manifest": {"type": "string", "minLength": 1, "description": "Path of the manifest (JSON with comments), relative to the config file."}
    },
    "required": ["manifest"],
    "additionalProperties": true
  })json";
  static constexpr const char* kService = "rest";
  static constexpr const char* kJobTypes[] = {nullptr};
  static constexpr const char* kItemSchemas = "{}";
  static constexpr const char* kDocumentKey = "manifest";
  static inline const char* const kDocumentSchema = manifest_schema_json();

  static std::string inspect_document(const rapidjson::Value& manifest);

  // `config`: the section with `manifest` replaced by the parsed manifest. Throws sdk::Fatal
  // naming every problem of the manifest or the options.
  explicit RestProvider(const rapidjson::Value& config);

  void describe(cs_instance_description& out) const;
  // Plan entries of the manifest; `spec` is not read (every planned job runs).
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;
  // The canonical key of lookup `kind`, by its normalise rule; sdk::Permanent otherwise.
  std::string normalise_key(std::string_view kind, std::string_view input) const;

  const Manifest& manifest() const { return *manifest_; }

 private:
  const Stream& stream_of(const Job& job) const;

  std::unique_ptr<const Manifest> manifest_;
  rapidjson::Document config_;  // the options, defaults applied, base_url included
  std::string base_url_;
  // What describe() hands out, owned here for the instance's lifetime.
  std::vector<const char*> job_types_;
  std::string item_schemas_;
  std::vector<cs_lookup_kind> lookups_;
};

// The plugin's descriptor (the SDK's), for tests that link the provider statically.
const cs_plugin_descriptor* rest_descriptor() noexcept;

}  // namespace cardsync::rest
