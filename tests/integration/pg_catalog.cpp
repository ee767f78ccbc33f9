#include "integration/pg_catalog.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace cardsync::integration {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string text(PGresult* r, int row, int col) {
  return PQgetisnull(r, row, col) != 0 ? std::string() : std::string(PQgetvalue(r, row, col));
}
std::int64_t integer(PGresult* r, int row, int col) {
  return PQgetisnull(r, row, col) != 0 ? 0 : std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}

}  // namespace

std::optional<std::string> test_postgres_url() {
  const char* url = std::getenv("CARDSYNC_TEST_PG_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

bool postgres_required() {
  const char* v = std::getenv("CARDSYNC_REQUIRE_POSTGRES");
  return v != nullptr && std::string(v) == "1";
}

PgCatalog::PgCatalog(const std::string& url, std::string schema) : schema_(std::move(schema)) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + message);
  }
  Result r(PQexec(conn_, "SET client_min_messages = warning"));
  char* ident = PQescapeIdentifier(conn_, schema_.c_str(), schema_.size());
  Result s(PQexec(conn_, ("SET search_path = " + std::string(ident)).c_str()));
  PQfreemem(ident);
}

PgCatalog::~PgCatalog() {
  if (conn_ != nullptr) PQfinish(conn_);
}

PGresult* PgCatalog::query(const std::string& sql) const {
  PGresult* r = PQexec(conn_, sql.c_str());
  auto status = PQresultStatus(r);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(r);
    PQclear(r);
    throw std::runtime_error(sql + ": " + message);
  }
  return r;
}

void PgCatalog::drop_schema() {
  char* ident = PQescapeIdentifier(conn_, schema_.c_str(), schema_.size());
  std::string sql = "DROP SCHEMA IF EXISTS " + std::string(ident) + " CASCADE";
  PQfreemem(ident);
  Result r(query(sql));
}

std::int64_t PgCatalog::scalar(const std::string& sql) const {
  Result r(query(sql));
  return PQntuples(r.get()) > 0 ? integer(r.get(), 0, 0) : 0;
}

CatalogCounts PgCatalog::counts() const {
  CatalogCounts c;
  c.games = scalar("SELECT count(*) FROM games");
  c.sets = scalar("SELECT count(*) FROM sets");
  c.cards = scalar("SELECT count(*) FROM cards");
  c.variants = scalar("SELECT count(*) FROM variants");
  return c;
}

std::string PgCatalog::checksum() const {
  Result r(query(
      "SELECT key, parent_key, core_json::jsonb ->> 'condition', core_json::jsonb ->> 'printing',"
      " core_json::jsonb ->> 'price_cents' FROM variants"));
  std::uint64_t sum = 0;
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    sum += fnv1a64(text(r.get(), i, 0) + "|" + text(r.get(), i, 1) + "|" + text(r.get(), i, 2) +
                   "|" + text(r.get(), i, 3) + "|" + std::to_string(integer(r.get(), i, 4)));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum));
  return hex;
}

std::vector<QueueRow> PgCatalog::jobs() const {
  Result r(query("SELECT id, type, key, state, cursor, attempts FROM sync_queue ORDER BY id"));
  std::vector<QueueRow> out;
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    out.push_back({integer(r.get(), i, 0), text(r.get(), i, 1), text(r.get(), i, 2),
                   text(r.get(), i, 3), text(r.get(), i, 4), integer(r.get(), i, 5)});
  }
  return out;
}

std::int64_t pg_count_or_zero(const std::string& url, const std::string& schema,
                              const std::string& sql) {
  try {
    return PgCatalog(url, schema).scalar(sql);
  } catch (const std::runtime_error&) {
    return 0;  // not reachable or not migrated yet: the caller polls again
  }
}

}  // namespace cardsync::integration
