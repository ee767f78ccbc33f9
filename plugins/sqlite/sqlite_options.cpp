#include "sqlite_options.hpp"

#include <cardsync/sdk.hpp>

namespace cardsync::sqlite {

const char* const kConfigSchema = R"({
  "type": "object",
  "description": "SQLite storage: one local database file (WAL mode). The default when no storage is configured.",
  "additionalProperties": false,
  "properties": {
    "path": {
      "type": "string", "format": "path", "minLength": 1, "default": "cardsync.db",
      "description": "Database file, created when missing (with its -wal and -shm files beside it); a relative path is relative to the config file's directory, so the default is cardsync.db beside the config file. Every cardsync process on this machine that shares the queue must use the same path."
    },
    "busy_timeout_ms": {
      "type": "integer", "minimum": 0, "maximum": 600000, "default": 5000,
      "description": "How long an operation waits for another process's write lock before it is reported as transient (the host then retries with backoff)."
    },
    "read_connections": {
      "type": "integer", "minimum": 1, "maximum": 64, "default": 4,
      "description": "Idle read connections kept open; reads run beside the single writer."
    },
    "cache_size_mib": {
      "type": "integer", "minimum": 1, "maximum": 4096, "default": 32,
      "description": "Page cache per connection, in MiB."
    },
    "synchronous": {
      "enum": ["NORMAL", "FULL"], "default": "NORMAL",
      "description": "NORMAL survives a crash of the process (commits may be lost on power failure); FULL syncs every commit to disk."
    }
  }
})";

namespace {

int integer_option(const rapidjson::Value& config, const char* name, int fallback, int min,
                   int max) {
  auto it = config.FindMember(name);
  if (it == config.MemberEnd()) return fallback;
  if (!it->value.IsInt() || it->value.GetInt() < min || it->value.GetInt() > max) {
    throw sdk::Fatal(std::string("storage.sqlite.") + name + " must be an integer in [" +
                     std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return it->value.GetInt();
}

}  // namespace

StorageOptions parse_options(const rapidjson::Value& config) {
  StorageOptions out;
  if (!config.IsObject()) throw sdk::Fatal("storage.sqlite must be an object");
  if (auto it = config.FindMember("path"); it != config.MemberEnd()) {
    if (!it->value.IsString() || it->value.GetStringLength() == 0) {
      throw sdk::Fatal("storage.sqlite.path must be a non-empty string");
    }
    out.connection.path.assign(it->value.GetString(), it->value.GetStringLength());
  }
  out.connection.busy_timeout_ms = integer_option(config, "busy_timeout_ms", 5000, 0, 600000);
  out.connection.cache_size_mib = integer_option(config, "cache_size_mib", 32, 1, 4096);
  out.read_connections = integer_option(config, "read_connections", 4, 1, 64);
  if (auto it = config.FindMember("synchronous"); it != config.MemberEnd()) {
    std::string v = it->value.IsString() ? it->value.GetString() : "";
    if (v != "NORMAL" && v != "FULL") {
      throw sdk::Fatal("storage.sqlite.synchronous must be \"NORMAL\" or \"FULL\"");
    }
    out.connection.synchronous_full = v == "FULL";
  }
  return out;
}

}  // namespace cardsync::sqlite
