#pragma once
// The plugin's config section (storage.sqlite): its JSON Schema, which the host validates
// and documents, and the parsed values with their defaults.

#include <rapidjson/document.h>

#include <string>

#include "sqlite_connection.hpp"

namespace cardsync::sqlite {

extern const char* const kConfigSchema;

struct StorageOptions {
  ConnectionOptions connection{"./cardsync.db", 5000, 32, false};
  // Idle read connections kept open; more are opened on demand.
  int read_connections = 4;
};

// Throws sdk::Fatal on a value of the wrong type (the host validates first; this is the
// guard for callers that do not).
StorageOptions parse_options(const rapidjson::Value& config);

}  // namespace cardsync::sqlite
