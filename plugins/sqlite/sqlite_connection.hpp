#pragma once
// One sqlite3 connection with its prepared-statement cache. Not thread-safe: the storage
// hands a connection to one thread at a time (the writer under its mutex, readers from a
// pool). Every failure becomes an sdk::Error whose status says whether retrying can help.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cardsync::sqlite {

// Throws sdk::Retry (busy, locked, I/O), sdk::Permanent (constraint, bad input) or sdk::Fatal
// (disk full, read-only, corrupt, not a database) with SQLite's message and `context`; a full
// disk and a read-only database say so first and name the file.
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view context);

// A statement borrowed from the cache; reset and unbound when the borrow ends so the next
// user starts clean even after an exception.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Text is bound without copying: it must outlive the step. Empty text binds '' (not NULL).
  void bind(int index, std::string_view text);
  void bind(int index, int64_t value);
  void bind_null(int index);
  // True when a row is available, false when done.
  bool step();
  // Steps to completion, ignoring rows; returns sqlite3_changes().
  int64_t run();

  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // Valid until the next step or the end of the borrow.
  std::string_view text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

struct ConnectionOptions {
  std::string path;
  int busy_timeout_ms = 5000;
  int cache_size_mib = 32;
  bool synchronous_full = false;
};

class Connection {
 public:
  explicit Connection(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // `sql` must be a string with static storage: its address keys the cache.
  Statement prepare(const char* sql);
  // Runs one or more statements without results (DDL, PRAGMA, BEGIN/COMMIT).
  void exec(const char* sql);
  sqlite3* handle() const { return db_; }
  int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// BEGIN IMMEDIATE on construction, so the write lock is taken before any read: there is
// never a read-then-write upgrade inside a deferred transaction. Rolls back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

// A consistent snapshot for multi-statement reads.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& conn_;
};

}  // namespace cardsync::sqlite
