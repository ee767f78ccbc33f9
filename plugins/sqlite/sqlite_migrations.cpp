#include "sqlite_migrations.hpp"

#include <cardsync/sdk.hpp>

#include <array>
#include <string>

namespace cardsync::sqlite {
namespace {

// One canonical catalog table per record kind; the typed core fields stay in core_json
// (checked to be JSON) so a new provider's fields need no migration. `version` counts writes
// that changed the content: 1 after the insert, so an upsert's RETURNING tells insert from
// update in the same statement.
#define CARDSYNC_CATALOG_TABLE(name)                         \
  "CREATE TABLE " name                                       \
  " (key TEXT NOT NULL PRIMARY KEY CHECK (length(key) > 0)," \
  " parent_key TEXT NOT NULL DEFAULT '',"                    \
  " source TEXT NOT NULL,"                                   \
  " core_json TEXT NOT NULL CHECK (json_valid(core_json)),"  \
  " raw_json TEXT NOT NULL,"                                 \
  " content_hash TEXT NOT NULL,"                             \
  " version INTEGER NOT NULL DEFAULT 1,"                     \
  " created_at_ms INTEGER NOT NULL,"                         \
  " updated_at_ms INTEGER NOT NULL);"                        \
  "CREATE INDEX " name "_parent ON " name " (parent_key);"

constexpr const char* kV1 = CARDSYNC_CATALOG_TABLE("games") CARDSYNC_CATALOG_TABLE("sets")
    CARDSYNC_CATALOG_TABLE("cards") CARDSYNC_CATALOG_TABLE("variants")
        CARDSYNC_CATALOG_TABLE("graded_certs") CARDSYNC_CATALOG_TABLE("cert_images")
    // The job queue. `state` is text so operators can read it with the sqlite3 shell.
    "CREATE TABLE sync_queue ("
    " id INTEGER PRIMARY KEY,"
    " type TEXT NOT NULL CHECK (length(type) > 0),"
    " key TEXT NOT NULL CHECK (length(key) > 0),"
    " payload TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'done', 'failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),"
    " run_at_ms INTEGER NOT NULL,"
    " lease_owner TEXT,"
    " lease_token TEXT,"
    " lease_until_ms INTEGER,"
    " cursor TEXT NOT NULL DEFAULT '',"
    " request_id TEXT NOT NULL DEFAULT '',"
    " created_at_ms INTEGER NOT NULL,"
    " updated_at_ms INTEGER NOT NULL);"
    // The dedup rule itself: one live job per (type, key), enforced by the engine.
    "CREATE UNIQUE INDEX sync_queue_live_key ON sync_queue (type, key)"
    " WHERE state IN ('queued', 'processing');"
    "CREATE INDEX sync_queue_due ON sync_queue (run_at_ms, id) WHERE state = 'queued';"
    "CREATE INDEX sync_queue_lease ON sync_queue (lease_until_ms) WHERE state = 'processing';"
    "CREATE INDEX sync_queue_stats ON sync_queue (type, state, run_at_ms);"
    "CREATE TABLE sync_queue_errors ("
    " job_id INTEGER NOT NULL REFERENCES sync_queue (id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " attempt INTEGER NOT NULL,"
    " at_ms INTEGER NOT NULL,"
    " message TEXT NOT NULL,"
    " http_status INTEGER NOT NULL DEFAULT 0,"
    " request_id TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY (job_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE sync_cursors ("
    " name TEXT NOT NULL PRIMARY KEY,"
    " value TEXT NOT NULL,"
    " updated_at_ms INTEGER NOT NULL);"
    "CREATE TABLE quarantine ("
    " id INTEGER PRIMARY KEY,"
    " at_ms INTEGER NOT NULL,"
    " source TEXT NOT NULL,"
    " job_type TEXT NOT NULL,"
    " job_key TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " json_path TEXT NOT NULL,"
    " raw_item TEXT NOT NULL,"
    " request_id TEXT NOT NULL);"
    "CREATE INDEX quarantine_at ON quarantine (at_ms);"
    "CREATE TABLE logs ("
    " id INTEGER PRIMARY KEY,"
    " ts_ms INTEGER NOT NULL,"
    " level INTEGER NOT NULL,"
    " request_id TEXT NOT NULL,"
    " message TEXT NOT NULL,"
    " fields_json TEXT NOT NULL);"
    "CREATE INDEX logs_request ON logs (request_id, id) WHERE request_id <> '';"
    "CREATE INDEX logs_ts ON logs (ts_ms);";

#undef CARDSYNC_CATALOG_TABLE

// Index i holds the script that takes the schema from version i to i + 1. Append only.
constexpr std::array<const char*, 1> kMigrations = {kV1};

constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS cardsync_schema ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " version INTEGER NOT NULL)";
constexpr const char* kReadVersion = "SELECT version FROM cardsync_schema WHERE id = 1";
constexpr const char* kWriteVersion =
    "INSERT INTO cardsync_schema (id, version) VALUES (1, ?1)"
    " ON CONFLICT (id) DO UPDATE SET version = excluded.version";

}  // namespace

int current_schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate(Connection& conn, const std::string& path) {
  WriteTransaction tx(conn);
  conn.exec(kCreateVersionTable);
  int64_t version = 0;
  {
    Statement st = conn.prepare(kReadVersion);
    if (st.step()) version = st.integer(0);
  }
  const int64_t current = current_schema_version();
  if (version > current) {
    throw sdk::Fatal(
        "SQLite database '" + path + "' has schema version " + std::to_string(version) +
        ", but this cardsync-storage-sqlite knows versions up to " + std::to_string(current) +
        ": a newer cardsync wrote it, and reading it could misread or damage it. "
        "Nothing was changed; upgrade cardsync (every process using this database), "
        "or point storage.sqlite.path at another file");
  }
  if (version == current) return;  // the transaction rolls back: nothing was changed
  for (int64_t v = version; v < current; ++v) conn.exec(kMigrations[static_cast<size_t>(v)]);
  {
    Statement st = conn.prepare(kWriteVersion);
    st.bind(1, current);
    st.run();
  }
  tx.commit();
}

}  // namespace cardsync::sqlite
