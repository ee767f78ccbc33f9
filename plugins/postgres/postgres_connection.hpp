#pragma once
// One libpq connection with its prepared-statement cache. Not thread-safe: the pool hands a
// connection to one thread at a time. Every failure becomes a DatabaseError whose status says
// whether retrying can help: connection trouble, serialization failures, deadlocks and lock
// timeouts are RETRY; constraint violations and bad input PERMANENT; authentication and a
// missing database FATAL.

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <cardsync/sdk.hpp>

#include "postgres_options.hpp"

namespace cardsync::postgres {

// An sdk::Error that remembers the server's SQLSTATE ("" when there was no server answer).
class DatabaseError : public sdk::Error {
 public:
  DatabaseError(cs_status status, const std::string& message, std::string sqlstate)
      : sdk::Error(status, message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Statement parameters. Strings and integers travel in binary format, so borrowed string
// views need no NUL terminator and no copy; a view must outlive the statement.
class Params {
 public:
  Params& text(std::string_view v);
  Params& int8(int64_t v);
  Params& null_int8();
  // A LIMIT value: n when positive, else NULL (LIMIT NULL is LIMIT ALL).
  Params& limit(int64_t n);
  Params& null_text_array();
  // A text[] parameter, copied and sent in binary format (no quoting or escaping).
  Params& text_array(const std::vector<std::string_view>& items);
  // A bigint[] parameter.
  Params& int8_array(const std::vector<int64_t>& items);

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void add(Oid type, const char* value, int length, int format);
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // deque: growing it never moves what values_ points at
};

// An owned PGresult. Text columns are valid while the Result lives.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r) {}
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() { PQclear(r_); }

  const PGresult* get() const { return r_; }
  int rows() const { return r_ == nullptr ? 0 : PQntuples(r_); }
  std::string_view text(int row, int column) const {
    return {PQgetvalue(r_, row, column), static_cast<size_t>(PQgetlength(r_, row, column))};
  }
  int64_t integer(int row, int column) const;
  bool is_null(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t affected() const;

 private:
  PGresult* r_ = nullptr;
};

class Connection {
 public:
  // Connects and sets the search path to the schema; throws DatabaseError.
  explicit Connection(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql`, prepared once per connection on first use. `sql` must have static storage
  // (or outlive the connection): its address keys the cache.
  Result exec(const char* sql, const Params& params);
  Result exec(const char* sql) { return exec(sql, Params{}); }
  // Runs one or more statements without parameters (DDL, BEGIN/COMMIT) unprepared.
  void run(const std::string& sql);
  // COPY ... FROM STDIN: `sql` starts it, `write` is called with a sink for the data.
  class CopySink {
   public:
    explicit CopySink(Connection& c) : c_(c) {}
    void put(std::string_view bytes);

   private:
    Connection& c_;
  };
  template <class Fn>
  void copy_in(const std::string& sql, Fn&& write) {
    begin_copy(sql);
    CopySink sink(*this);
    try {
      write(sink);
    } catch (...) {
      abort_copy();
      throw;
    }
    end_copy();
  }

  // True when the connection can no longer be used (the pool discards it).
  bool broken() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }
  PGconn* handle() const { return conn_; }

  // Throws the DatabaseError for a failed result (or a dead connection when `r` is null).
  [[noreturn]] void fail(const PGresult* r, std::string_view context);

 private:
  void begin_copy(const std::string& sql);
  void end_copy();
  void abort_copy();

  PGconn* conn_ = nullptr;
  std::unordered_map<const char*, std::string> prepared_;  // sql address -> statement name
};

// Opens a connection (outside any pool) for one-off use, e.g. LISTEN. Same errors.
PGconn* open_connection(const ConnectionOptions& options);

// BEGIN on construction; ROLLBACK unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

// "schema" -> "\"schema\"" (names are validated as plain identifiers; quoting is belt and
// braces).
std::string quote_identifier(std::string_view name);

}  // namespace cardsync::postgres
