#pragma once
// What a sync left in a PostgreSQL schema, read with libpq the way a shop's own tools would:
// the same questions SyncedCatalog answers for SQLite (counts, the truth checksum, the job
// queue), plus the test database's lifecycle: a fresh schema per test, dropped afterwards.

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "integration/synced_catalog.hpp"

namespace cardsync::integration {

// The throwaway server scripts/test.sh starts (CARDSYNC_TEST_PG_URL), or nullopt when none
// is configured. Tests skip without one, unless CARDSYNC_REQUIRE_POSTGRES=1 (CI), where a
// missing server is a failure.
std::optional<std::string> test_postgres_url();
bool postgres_required();

class PgCatalog {
 public:
  // Connects; throws std::runtime_error naming the reason when it cannot.
  PgCatalog(const std::string& url, std::string schema);
  ~PgCatalog();
  PgCatalog(const PgCatalog&) = delete;
  PgCatalog& operator=(const PgCatalog&) = delete;

  const std::string& schema() const { return schema_; }
  void drop_schema();

  CatalogCounts counts() const;
  std::string checksum() const;  // as SyncedCatalog::checksum
  std::vector<QueueRow> jobs() const;
  // The first column of the first row of `sql` as an integer (0 when there is no row). Table
  // names in `sql` are resolved in the schema.
  std::int64_t scalar(const std::string& sql) const;

 private:
  PGresult* query(const std::string& sql) const;

  PGconn* conn_ = nullptr;
  std::string schema_;
};

// 0 while the server is unreachable or the tables do not exist yet: for polling.
std::int64_t pg_count_or_zero(const std::string& url, const std::string& schema,
                              const std::string& sql);

}  // namespace cardsync::integration
