#pragma once
// The cardsync config file an integration test runs with: the JustTCG provider pointed at
// the sandbox, SQLite storage in the test's directory (or a PostgreSQL schema), and
// pipeline/resilience timings shortened so retries, snoozes and breaker probes resolve in a test's
// time (the semantics are the production ones, only the periods are smaller).

#include <filesystem>
#include <optional>
#include <string>

namespace cardsync::integration {

struct SyncConfig {
  std::string base_url;  // JustTCG root including /v1
  std::string api_key = "tcg_sandbox";
  std::string plan = "enterprise";
  std::string mode = "full";
  std::optional<int> page_size;
  std::filesystem::path database;
  // When set, storage is PostgreSQL (this conninfo, this schema) instead of `database`.
  std::optional<std::string> postgres_url;
  std::string postgres_schema = "cardsync";
  int workers = 4;
  int lease_seconds = 30;
  // Breaker open period; it doubles after each failed probe up to twice this.
  double breaker_open_seconds = 2;
  std::string log_level = "info";
  // log.retention_days, when set (0 keeps stored log lines forever).
  std::optional<int> log_retention_days;
  // false: no pipeline or resilience section, every production default (the benchmark).
  bool test_timings = true;
  // pipeline.batch.max_records, when set.
  std::optional<int> batch_max_records;
  // An "admin" section for `cardsync serve`: 127.0.0.1, a free port, auth off (which serve
  // allows on loopback only).
  bool admin_on_loopback = false;

  std::string to_json() const;
  // Writes to_json() to `path`; throws std::runtime_error when it cannot.
  void write(const std::filesystem::path& path) const;
};

}  // namespace cardsync::integration
