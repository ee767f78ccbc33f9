#include "postgres_options.hpp"

#include <cardsync/sdk.hpp>

#include <array>

namespace cardsync::postgres {

const char* const kConfigSchema = R"({
  "type": "object",
  "description": "PostgreSQL storage: one database shared by every cardsync process (many workers on many machines).",
  "additionalProperties": false,
  "required": ["url"],
  "properties": {
    "url": {
      "type": "string", "minLength": 1,
      "description": "libpq connection string: a postgresql:// URL or \"host=... dbname=...\" keywords. It may carry a password (it is redacted wherever cardsync prints config); libpq's PGPASSWORD and ~/.pgpass work too."
    },
    "schema": {
      "type": "string", "pattern": "^[a-z_][a-z0-9_]{0,47}$", "default": "cardsync",
      "description": "Schema holding cardsync's tables, created when missing. Every process sharing the queue must use the same schema; two schemas in one database are independent."
    },
    "pool_size": {
      "type": "integer", "minimum": 1, "maximum": 256, "default": 8,
      "description": "Most connections one process keeps open for its operations (plus one that waits for job notifications). Size it to the process's worker count."
    },
    "connect_timeout_s": {
      "type": "integer", "minimum": 1, "maximum": 600, "default": 10,
      "description": "How long opening a connection may take before it is reported as transient (the host retries with backoff)."
    },
    "sslmode": {
      "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
      "description": "libpq sslmode; overrides one given in url. verify-full checks the server's certificate and host name."
    },
    "sslrootcert": {"type": "string", "format": "file", "minLength": 1, "description": "CA certificate file that signed the server's certificate (libpq sslrootcert); must exist; a relative path is relative to the config file's directory."},
    "sslcert": {"type": "string", "format": "file", "minLength": 1, "description": "Client certificate file (libpq sslcert); relative to the config file's directory."},
    "sslkey": {"type": "string", "format": "file", "minLength": 1, "description": "Client private key file (libpq sslkey); relative to the config file's directory."},
    "sslcrl": {"type": "string", "format": "file", "minLength": 1, "description": "Certificate revocation list file (libpq sslcrl); relative to the config file's directory."}
  }
})";

namespace {

int integer_option(const rapidjson::Value& config, const char* name, int fallback, int min,
                   int max) {
  auto it = config.FindMember(name);
  if (it == config.MemberEnd()) return fallback;
  if (!it->value.IsInt() || it->value.GetInt() < min || it->value.GetInt() > max) {
    throw sdk::Fatal(std::string("storage.postgres.") + name + " must be an integer in [" +
                     std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return it->value.GetInt();
}

std::string string_option(const rapidjson::Value& config, const char* name) {
  auto it = config.FindMember(name);
  if (it == config.MemberEnd()) return {};
  if (!it->value.IsString() || it->value.GetStringLength() == 0) {
    throw sdk::Fatal(std::string("storage.postgres.") + name + " must be a non-empty string");
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

bool plain_identifier(const std::string& s) {
  if (s.empty() || s.size() > 48) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

StorageOptions parse_options(const rapidjson::Value& config) {
  StorageOptions out;
  if (!config.IsObject()) throw sdk::Fatal("storage.postgres must be an object");
  out.connection.url = string_option(config, "url");
  if (out.connection.url.empty()) {
    throw sdk::Fatal("storage.postgres.url is required (a postgresql:// URL or libpq keywords)");
  }
  if (auto schema = string_option(config, "schema"); !schema.empty()) {
    if (!plain_identifier(schema)) {
      throw sdk::Fatal(
          "storage.postgres.schema must be a lower-case identifier of at most 48 characters "
          "([a-z_][a-z0-9_]*)");
    }
    out.connection.schema = schema;
  }
  out.pool_size = integer_option(config, "pool_size", 8, 1, 256);
  out.connection.parameters.emplace_back(
      "connect_timeout", std::to_string(integer_option(config, "connect_timeout_s", 10, 1, 600)));
  if (auto mode = string_option(config, "sslmode"); !mode.empty()) {
    static constexpr std::array<const char*, 6> kModes = {"disable", "allow",     "prefer",
                                                          "require", "verify-ca", "verify-full"};
    bool known = false;
    for (const char* m : kModes) known = known || mode == m;
    if (!known) throw sdk::Fatal("storage.postgres.sslmode is not a libpq sslmode");
    out.connection.parameters.emplace_back("sslmode", mode);
  }
  for (const char* name : {"sslrootcert", "sslcert", "sslkey", "sslcrl"}) {
    if (auto v = string_option(config, name); !v.empty()) {
      out.connection.parameters.emplace_back(name, v);
    }
  }
  return out;
}

}  // namespace cardsync::postgres
