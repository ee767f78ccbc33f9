// The SQLite backend of the conformance suite. Kept apart from the suite so <sqlite3.h>
// stays out of engine-neutral code.
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <stdexcept>

#include "storage_backend.hpp"

namespace cardsync::conformance {

StorageBackend sqlite_backend() {
  StorageBackend b;
  b.name = "sqlite";
  b.plugin = "sqlite";
  b.fresh_config = [](const std::string& scratch) {
    return R"({"path":")" + scratch + R"(/cardsync.db","busy_timeout_ms":10000})";
  };
  b.make_schema_newer = [](const std::string& config) {
    rapidjson::Document doc;
    doc.Parse(config.c_str());
    std::string path = doc["path"].GetString();
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      throw std::runtime_error("cannot open " + path);
    }
    char* error = nullptr;
    int rc = sqlite3_exec(db, "UPDATE cardsync_schema SET version = version + 1", nullptr, nullptr,
                          &error);
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("cannot bump the schema: " + message);
  };
  return b;
}

}  // namespace cardsync::conformance
