#include "integration/upgrade_database.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cardsync::integration {
namespace {

constexpr char kSeparator = '\x1f';
// The schema name make-fixtures.sh dumps the PostgreSQL fixture from.
constexpr std::string_view kFixtureSchema = "cardsync_upgrade_fixture";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string quoted(const std::string& identifier) {
  return "\"" + identifier + "\"";
}

std::string select_list(const std::vector<std::string>& columns, const char* cast) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quoted(c) + cast;
  return out;
}

// ---- SQLite ---------------------------------------------------------------------------------

class SqliteDatabase : public UpgradeDatabase {
 public:
  explicit SqliteDatabase(std::filesystem::path path) : path_(std::move(path)) {}

  void restore(const std::filesystem::path& dump) override { exec(read_file(dump)); }

  std::int64_t scalar(const std::string& sql) const override {
    std::int64_t out = 0;
    each_row(sql, [&](sqlite3_stmt* st) { out = sqlite3_column_int64(st, 0); });
    return out;
  }

  void exec(const std::string& sql) override {
    Db db(path_);
    char* error = nullptr;
    if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error(path_.string() + ": " + message);
    }
  }

 protected:
  std::vector<std::string> tables() const override {
    return texts(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'cardsync_schema'");
  }
  std::vector<std::string> columns(const std::string& table) const override {
    return texts("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
  }
  std::vector<std::string> rows(const std::string& table,
                                const std::vector<std::string>& columns) const override {
    std::vector<std::string> out;
    each_row("SELECT " + select_list(columns, "") + " FROM " + quoted(table),
             [&](sqlite3_stmt* st) {
               std::string row;
               for (int i = 0; i < sqlite3_column_count(st); ++i) {
                 const auto* text = sqlite3_column_text(st, i);
                 row += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
                 row += kSeparator;
               }
               out.push_back(std::move(row));
             });
    return out;
  }

 private:
  class Db {
   public:
    explicit Db(const std::filesystem::path& path) {
      if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
        std::string message = sqlite3_errmsg(db_);
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + path.string() + ": " + message);
      }
      sqlite3_busy_timeout(db_, 10000);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    sqlite3* get() const { return db_; }

   private:
    sqlite3* db_ = nullptr;
  };

  template <class F>
  void each_row(const std::string& sql, F&& on_row) const {
    Db db(path_);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(path_.string() + ": " + sqlite3_errmsg(db.get()) + " in " + sql);
    }
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) on_row(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(path_.string() + ": step failed in " + sql);
  }

  std::vector<std::string> texts(const std::string& sql) const {
    std::vector<std::string> out;
    each_row(sql, [&](sqlite3_stmt* st) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    });
    return out;
  }

  std::filesystem::path path_;
};

// ---- PostgreSQL -----------------------------------------------------------------------------

class PostgresDatabase : public UpgradeDatabase {
 public:
  PostgresDatabase(std::string url, std::string schema)
      : url_(std::move(url)), schema_(std::move(schema)) {}

  void restore(const std::filesystem::path& dump) override {
    std::string sql = read_file(dump);
    for (auto at = sql.find(kFixtureSchema); at != std::string::npos;
         at = sql.find(kFixtureSchema, at + schema_.size())) {
      sql.replace(at, kFixtureSchema.size(), schema_);
    }
    run(sql, false);
  }

  std::int64_t scalar(const std::string& sql) const override {
    const auto rows = run(sql, true);
    return rows.empty() || rows.front().empty() ? 0 : std::stoll(rows.front());
  }

  void exec(const std::string& sql) override { run(sql, true); }

 protected:
  std::vector<std::string> tables() const override {
    return first_column(
        run("SELECT table_name FROM information_schema.tables WHERE "
            "table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND table_name <> 'cardsync_schema'",
            true));
  }
  std::vector<std::string> columns(const std::string& table) const override {
    return first_column(
        run("SELECT column_name FROM information_schema.columns WHERE "
            "table_schema = current_schema() AND table_name = '" +
                table + "' ORDER BY ordinal_position",
            true));
  }
  std::vector<std::string> rows(const std::string& table,
                                const std::vector<std::string>& columns) const override {
    return run("SELECT " + select_list(columns, "::text") + " FROM " + quoted(table), true);
  }

 private:
  static std::vector<std::string> first_column(const std::vector<std::string>& rows) {
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.substr(0, r.find(kSeparator)));
    return out;
  }

  // The rows of the last statement of `sql`, each value followed by kSeparator.
  std::vector<std::string> run(const std::string& sql, bool in_schema) const {
    PGconn* conn = PQconnectdb(url_.c_str());
    auto close = [&] { PQfinish(conn); };
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      close();
      throw std::runtime_error("cannot connect to the test PostgreSQL: " + message);
    }
    const std::string text = in_schema ? "SET search_path TO " + quoted(schema_) + "; " + sql : sql;
    PGresult* res = PQexec(conn, text.c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      std::string message = PQresultErrorMessage(res);
      PQclear(res);
      close();
      throw std::runtime_error("PostgreSQL: " + message + " in " + sql.substr(0, 200));
    }
    std::vector<std::string> out;
    for (int r = 0; r < PQntuples(res); ++r) {
      std::string row;
      for (int c = 0; c < PQnfields(res); ++c) {
        row += PQgetisnull(res, r, c) != 0 ? "NULL" : PQgetvalue(res, r, c);
        row += kSeparator;
      }
      out.push_back(std::move(row));
    }
    PQclear(res);
    close();
    return out;
  }

  std::string url_, schema_;
};

}  // namespace

DatabaseSnapshot UpgradeDatabase::snapshot() const {
  DatabaseSnapshot out;
  for (const auto& table : tables()) out[table].columns = columns(table);
  return snapshot_like(out);
}

DatabaseSnapshot UpgradeDatabase::snapshot_like(const DatabaseSnapshot& before) const {
  DatabaseSnapshot out;
  for (const auto& [table, was] : before) {
    auto& now = out[table];
    now.columns = was.columns;
    now.rows = rows(table, was.columns);
    std::sort(now.rows.begin(), now.rows.end());
  }
  return out;
}

std::unique_ptr<UpgradeDatabase> sqlite_upgrade_database(const std::filesystem::path& path) {
  return std::make_unique<SqliteDatabase>(path);
}

std::unique_ptr<UpgradeDatabase> postgres_upgrade_database(const std::string& url,
                                                           const std::string& schema) {
  return std::make_unique<PostgresDatabase>(url, schema);
}

}  // namespace cardsync::integration
