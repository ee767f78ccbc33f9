#pragma once
// The plugin's config section (storage.postgres): its JSON Schema, which the host validates
// and documents, and the parsed values with their defaults.

#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

namespace cardsync::postgres {

extern const char* const kConfigSchema;

struct ConnectionOptions {
  // libpq keyword/value conninfo or postgresql:// URL. Carries credentials: never printed.
  std::string url;
  // libpq parameters applied after the URL (TLS options, connect_timeout), so they win.
  std::vector<std::pair<std::string, std::string>> parameters;
  // Every table lives in this schema; validated as a plain lower-case identifier.
  std::string schema = "cardsync";
};

struct StorageOptions {
  ConnectionOptions connection;
  // At most this many pooled connections per instance (plus one for wait_for_jobs).
  int pool_size = 8;
};

// Throws sdk::Fatal on a missing url or a value of the wrong type (the host validates first;
// this is the guard for callers that do not). Messages never include the url.
StorageOptions parse_options(const rapidjson::Value& config);

}  // namespace cardsync::postgres
