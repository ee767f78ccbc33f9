#include "sqlite_connection.hpp"

#include <cardsync/sdk.hpp>

#include <sys/statvfs.h>

#include <cerrno>

namespace cardsync::sqlite {

namespace {

// The database file a failure is about, for messages the operator acts on.
std::string database_path(sqlite3* db) {
  const char* path = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  return path != nullptr && *path != '\0' ? path : "the SQLite database";
}

// Whether the filesystem holding `path` is mounted read-only (as after disk errors): SQLite
// does not always keep the errno of a failed write (a COMMIT's never reaches
// sqlite3_system_errno), so the cause is read from the filesystem itself.
bool on_read_only_filesystem(sqlite3* db) {
  const char* path = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  struct statvfs fs {};
  return path != nullptr && *path != '\0' && statvfs(path, &fs) == 0 &&
         (fs.f_flag & ST_RDONLY) != 0;
}

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view context) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  detail += " (in: ";
  detail += context;
  detail += ")";
  // A full disk or a read-only file does not pass by retrying: the operator frees space or
  // fixes the file, so these are FATAL with the cause first. SQLite reports ENOSPC as
  // SQLITE_FULL, but other failed writes (a quota, a filesystem remounted read-only after
  // errors) only as SQLITE_IOERR, with the errno beside it when it kept one.
  const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
  const int primary = rc & 0xff;
  if (primary == SQLITE_FULL ||
      (primary == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EDQUOT))) {
    throw sdk::Fatal("disk full writing " + database_path(db) + ": " + detail +
                     "; free space on its filesystem, then run again");
  }
  if (primary == SQLITE_READONLY ||
      (primary == SQLITE_IOERR && (system_errno == EROFS || on_read_only_filesystem(db)))) {
    throw sdk::Fatal("database is read-only: " + database_path(db) + ": " + detail +
                     "; make the file, its directory and its filesystem writable for this user, "
                     "then run again");
  }
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_CANTOPEN:
    case SQLITE_INTERRUPT:
      throw sdk::Retry(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      throw sdk::Fatal(message);
    default:
      throw sdk::Permanent(message);
  }
}

void Statement::bind(int index, std::string_view text) {
  // A null data pointer would bind SQL NULL; an empty cs_str means the empty string.
  const char* data = text.data() != nullptr ? text.data() : "";
  int rc = sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(db_, rc, sqlite3_sql(stmt_));
}

int64_t Statement::run() {
  while (step()) {
  }
  return sqlite3_changes64(db_);
}

std::string_view Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

Connection::Connection(const ConnectionOptions& options) {
  // NOMUTEX: the storage never shares a connection between threads at once.
  int rc =
      sqlite3_open_v2(options.path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open SQLite database '" + options.path +
                          "': " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)) +
                          "; check storage.sqlite.path and the directory's permissions";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw sdk::Fatal(message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  try {
    // WAL lets readers run beside the one writer; NORMAL is durable across process crashes
    // in WAL mode, which is the failure this queue must survive.
    exec("PRAGMA journal_mode=WAL");
    exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    std::string cache = "PRAGMA cache_size=-" + std::to_string(options.cache_size_mib * 1024);
    char* error = nullptr;
    rc = sqlite3_exec(db_, cache.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) throw_error(db_, rc, "PRAGMA cache_size");
    exec("PRAGMA temp_store=MEMORY");
    exec("PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw_error(db_, rc, sql);
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(db_, it->second);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) throw_error(db_, rc, sql);
}

WriteTransaction::WriteTransaction(Connection& conn) : conn_(conn) {
  conn_.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  if (open_ && sqlite3_get_autocommit(conn_.handle()) == 0) {
    sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void WriteTransaction::commit() {
  conn_.exec("COMMIT");
  open_ = false;
}

ReadTransaction::ReadTransaction(Connection& conn) : conn_(conn) {
  conn_.exec("BEGIN");
}

ReadTransaction::~ReadTransaction() {
  if (sqlite3_get_autocommit(conn_.handle()) == 0) {
    sqlite3_exec(conn_.handle(), "COMMIT", nullptr, nullptr, nullptr);
  }
}

}  // namespace cardsync::sqlite
