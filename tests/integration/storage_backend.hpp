#pragma once
// The storage engines an integration test runs on: SQLite in the test's directory and
// PostgreSQL in a schema of its own, each read back through its built plugin so every check
// is the same for both. Header-only: the plugin paths are the including target's
// CARDSYNC_SQLITE_PLUGIN and CARDSYNC_POSTGRES_PLUGIN.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>

#include "integration/pg_catalog.hpp"

namespace cardsync::integration {

struct StorageBackend {
  std::string name;         // test-name suffix
  std::string plugin_file;  // the built storage plugin, to read the database back
  // storage.<plugin> section of a fresh, empty database for the test in `dir`.
  std::function<std::string(const std::filesystem::path& dir)> section;
  friend void PrintTo(const StorageBackend& b, std::ostream* os) { *os << b.name; }
  std::string plugin() const {
    const auto stem = std::filesystem::path(plugin_file).stem().string();
    return stem.substr(stem.rfind('-') + 1);
  }
  bool postgres() const { return plugin() == "postgres"; }
};

// A PostgreSQL schema name unique to the running test: `prefix`, the process id and the
// test's name, as [a-z0-9_], at most 48 characters (the postgres plugin's limit).
inline std::string test_schema(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = prefix + std::to_string(getpid()) + "_" + info->name();
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) != 0 ? std::tolower(c) : '_';
  return name.substr(0, 48);
}

// Both engines. PostgreSQL needs the throwaway test server (scripts/pg-test-server.sh start;
// export CARDSYNC_TEST_PG_URL=...): without it its tests skip, unless
// CARDSYNC_REQUIRE_POSTGRES=1.
inline std::vector<StorageBackend> storage_backends(const std::string& schema_prefix) {
  return {{"sqlite", CARDSYNC_SQLITE_PLUGIN,
           [](const std::filesystem::path& dir) {
             return R"({"path":")" + (dir / "shop.db").string() + R"("})";
           }},
          {"postgres", CARDSYNC_POSTGRES_PLUGIN, [schema_prefix](const std::filesystem::path&) {
             return R"({"url":")" + test_postgres_url().value_or("") + R"(","schema":")" +
                    test_schema(schema_prefix) + R"("})";
           }}};
}

// Writes `base_config` (the integration tests' config as JSON) to `path` with `providers` as
// its providers and `backend`'s fresh database for the test in `dir` as its storage.
inline void write_config_for(const std::string& base_config, const rapidjson::Value& providers,
                             const StorageBackend& backend, const std::filesystem::path& dir,
                             const std::filesystem::path& path) {
  rapidjson::Document doc;
  doc.Parse(base_config.c_str());
  auto& a = doc.GetAllocator();
  rapidjson::Document storage;
  storage.Parse(backend.section(dir).c_str());
  doc["providers"].CopyFrom(providers, a);
  doc["storage"].SetObject();
  doc["storage"].AddMember(rapidjson::Value(backend.plugin().c_str(), a),
                           rapidjson::Value(storage, a), a);
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  doc.Accept(w);
  std::ofstream(path) << buf.GetString();
}

}  // namespace cardsync::integration
