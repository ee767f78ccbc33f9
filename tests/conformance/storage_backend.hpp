#pragma once
// What the storage conformance suite needs to know about one backend. Adding an engine
// (PostgreSQL) means adding one of these to storage_backends.cpp; the suite is unchanged.

#include <functional>
#include <string>
#include <vector>

namespace cardsync::conformance {

struct StorageBackend {
  std::string name;    // test-name suffix
  std::string plugin;  // storage plugin name: cardsync-storage-<plugin>.so
  // A config section for a fresh, empty database private to one test; `scratch` is a new
  // empty directory the backend may use.
  std::function<std::string(const std::string& scratch)> fresh_config;
  // Marks the database behind `config` as written by a schema newer than the plugin's,
  // using the engine's own client (not the plugin).
  std::function<void(const std::string& config)> make_schema_newer;
};

// Every backend available in this build and environment.
std::vector<StorageBackend> storage_backends();

StorageBackend sqlite_backend();
// Skipped without CARDSYNC_TEST_PG_URL; failing when CARDSYNC_REQUIRE_POSTGRES=1.
StorageBackend postgres_backend();

}  // namespace cardsync::conformance
