#include "sqlite_storage.hpp"

#include "sqlite_migrations.hpp"

namespace cardsync::sqlite {

const char* const SqliteStorage::kConfigSchema = sqlite::kConfigSchema;

SqliteStorage::ReadLease::ReadLease(SqliteStorage& owner) : owner_(owner) {
  {
    std::lock_guard lock(owner_.pool_mu_);
    if (!owner_.idle_.empty()) {
      conn_ = std::move(owner_.idle_.back());
      owner_.idle_.pop_back();
      return;
    }
  }
  // Open outside the lock; the pool never blocks, so a visitor that calls back into the
  // storage cannot deadlock it.
  conn_ = std::make_unique<Connection>(owner_.options_.connection);
}

SqliteStorage::ReadLease::~ReadLease() {
  std::lock_guard lock(owner_.pool_mu_);
  if (owner_.idle_.size() < static_cast<size_t>(owner_.options_.read_connections)) {
    owner_.idle_.push_back(std::move(conn_));
  }
}

SqliteStorage::SqliteStorage(const rapidjson::Value& config)
    : options_(parse_options(config)), writer_(std::make_unique<Connection>(options_.connection)) {}

void SqliteStorage::migrate() {
  std::lock_guard lock(write_mu_);
  sqlite::migrate(*writer_, options_.connection.path);
}

}  // namespace cardsync::sqlite
