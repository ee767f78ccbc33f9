#include "postgres_storage.hpp"

#include "postgres_migrations.hpp"
#include "postgres_sql.hpp"

namespace cardsync::postgres {

const char* const PostgresStorage::kConfigSchema = postgres::kConfigSchema;

PostgresStorage::PostgresStorage(const rapidjson::Value& config)
    : options_(parse_options(config)),
      channel_(job_channel(options_.connection.schema)),
      pool_(options_.connection, options_.pool_size),
      listener_(options_.connection, channel_) {}

void PostgresStorage::notify(Connection& conn) const {
  conn.exec(sql::kNotify, Params().text(channel_));
}

void PostgresStorage::migrate() {
  auto conn = pool_.acquire();
  postgres::migrate(*conn, options_.connection.schema);
}

bool PostgresStorage::wait_for_jobs(int64_t timeout_ms) {
  return listener_.wait(timeout_ms);
}

}  // namespace cardsync::postgres
