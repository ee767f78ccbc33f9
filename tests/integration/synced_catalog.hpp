#pragma once
// What a sync left in the SQLite database, read with the sqlite3 C API the way a shop's own
// tools would: catalog counts, the truth checksum recomputed from the stored variants, the
// quarantine and the job queue. Read-only; safe while cardsync is writing (WAL).

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::integration {

struct CatalogCounts {
  std::int64_t games = 0, sets = 0, cards = 0, variants = 0;
};

struct QuarantinedItem {
  std::string job_type, job_key, reason, json_path, raw_item;
};

struct QueueRow {
  std::int64_t id = 0;
  std::string type, key, state, cursor;
  std::int64_t attempts = 0;
};

// FNV-1a-64 of `text`, as the sandbox README defines it for the checksum.
std::uint64_t fnv1a64(std::string_view text);

class SyncedCatalog {
 public:
  // Throws std::runtime_error when the file cannot be opened.
  explicit SyncedCatalog(const std::filesystem::path& db);
  ~SyncedCatalog();
  SyncedCatalog(const SyncedCatalog&) = delete;
  SyncedCatalog& operator=(const SyncedCatalog&) = delete;

  CatalogCounts counts() const;
  // Σ fnv1a64("<variant key>|<card key>|<condition>|<printing>|<price_cents>") mod 2^64
  // over the variants table (card key = parent_key, the rest from core_json), 16 hex digits.
  std::string checksum() const;
  std::vector<QuarantinedItem> quarantine() const;
  std::vector<QueueRow> jobs() const;
  // The first column of the first row of `sql` as an integer (0 when there is no row).
  std::int64_t scalar(const std::string& sql) const;
  // Every text of `sql`'s first column.
  std::vector<std::string> texts(const std::string& sql) const;

 private:
  sqlite3* db_ = nullptr;
};

// 0 while the database or its tables do not exist yet: for polling a sync in progress.
std::int64_t count_or_zero(const std::filesystem::path& db, const std::string& sql);

}  // namespace cardsync::integration
