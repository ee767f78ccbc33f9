#pragma once
// A database restored from an upgrade fixture (tests/integration/upgrade/*.sql, written by an
// earlier release) and read back with the engine's own client, never the plugin under test:
// every row of every table as text, so a test can say "nothing was lost" exactly.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cardsync::integration {

struct TableRows {
  std::vector<std::string> columns;
  std::vector<std::string> rows;  // each row's values as text (NULL as "NULL"), sorted
};

// Table name -> its rows; cardsync_schema (the version stamp) is left out.
using DatabaseSnapshot = std::map<std::string, TableRows>;

class UpgradeDatabase {
 public:
  virtual ~UpgradeDatabase() = default;
  // Runs the fixture's SQL into an empty database.
  virtual void restore(const std::filesystem::path& dump) = 0;
  // The first column of the first row of `sql` as an integer (0 when there is no row); table
  // names resolve in the database's schema.
  virtual std::int64_t scalar(const std::string& sql) const = 0;
  virtual void exec(const std::string& sql) = 0;

  // Every table with every column.
  DatabaseSnapshot snapshot() const;
  // The tables and columns of `before` as they are now: a newer schema may add columns or
  // tables, but what the earlier one held must still be there, value for value.
  DatabaseSnapshot snapshot_like(const DatabaseSnapshot& before) const;

 protected:
  virtual std::vector<std::string> tables() const = 0;
  virtual std::vector<std::string> columns(const std::string& table) const = 0;
  virtual std::vector<std::string> rows(const std::string& table,
                                        const std::vector<std::string>& columns) const = 0;
};

// The SQLite file at `path` (created by restore).
std::unique_ptr<UpgradeDatabase> sqlite_upgrade_database(const std::filesystem::path& path);
// The schema `schema` on the server at `url`; restore renames the fixture's schema
// (cardsync_upgrade_fixture) to it. Drop it with PgCatalog::drop_schema.
std::unique_ptr<UpgradeDatabase> postgres_upgrade_database(const std::string& url,
                                                           const std::string& schema);

}  // namespace cardsync::integration
