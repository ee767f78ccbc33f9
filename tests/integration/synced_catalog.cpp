#include "integration/synced_catalog.hpp"

#include <cstdio>
#include <stdexcept>

namespace cardsync::integration {
namespace {

class Query {
 public:
  Query(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    }
  }
  ~Query() { sqlite3_finalize(st_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(sqlite3_errmsg(sqlite3_db_handle(st_)));
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(st_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(st_, col)));
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(st_, col); }

 private:
  sqlite3_stmt* st_ = nullptr;
};

}  // namespace

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

SyncedCatalog::SyncedCatalog(const std::filesystem::path& db) {
  if (sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(db.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
}

SyncedCatalog::~SyncedCatalog() {
  sqlite3_close(db_);
}

std::int64_t SyncedCatalog::scalar(const std::string& sql) const {
  Query q(db_, sql);
  return q.step() ? q.integer(0) : 0;
}

std::vector<std::string> SyncedCatalog::texts(const std::string& sql) const {
  Query q(db_, sql);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

CatalogCounts SyncedCatalog::counts() const {
  CatalogCounts c;
  c.games = scalar("SELECT count(*) FROM games");
  c.sets = scalar("SELECT count(*) FROM sets");
  c.cards = scalar("SELECT count(*) FROM cards");
  c.variants = scalar("SELECT count(*) FROM variants");
  return c;
}

std::string SyncedCatalog::checksum() const {
  Query q(db_,
          "SELECT key, parent_key, json_extract(core_json, '$.condition'),"
          " json_extract(core_json, '$.printing'), json_extract(core_json, '$.price_cents')"
          " FROM variants");
  std::uint64_t sum = 0;
  while (q.step()) {
    sum += fnv1a64(q.text(0) + "|" + q.text(1) + "|" + q.text(2) + "|" + q.text(3) + "|" +
                   std::to_string(q.integer(4)));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum));
  return hex;
}

std::vector<QuarantinedItem> SyncedCatalog::quarantine() const {
  Query q(db_, "SELECT job_type, job_key, reason, json_path, raw_item FROM quarantine ORDER BY id");
  std::vector<QuarantinedItem> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)});
  return out;
}

std::vector<QueueRow> SyncedCatalog::jobs() const {
  Query q(db_, "SELECT id, type, key, state, cursor, attempts FROM sync_queue ORDER BY id");
  std::vector<QueueRow> out;
  while (q.step()) {
    out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5)});
  }
  return out;
}

std::int64_t count_or_zero(const std::filesystem::path& db, const std::string& sql) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) return 0;
  try {
    return SyncedCatalog(db).scalar(sql);
  } catch (const std::runtime_error&) {
    return 0;  // not migrated yet, or busy: the caller polls again
  }
}

}  // namespace cardsync::integration
