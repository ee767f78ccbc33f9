#include "integration/sync_config.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>
#include <stdexcept>

namespace cardsync::integration {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_pipeline(Writer& w, const SyncConfig& c) {
  w.Key("pipeline");
  w.StartObject();
  if (c.test_timings) {
    w.Key("workers");
    w.Int(c.workers);
    w.Key("idle_poll_ms");
    w.Int(50);
    w.Key("lease_seconds");
    w.Int(c.lease_seconds);
    // Faults make some job attempts fail (a truncated body is a failed page); attempts are
    // spent only by failures, never by throttling or an open breaker.
    w.Key("max_attempts");
    w.Int(20);
    w.Key("retry_base_ms");
    w.Int(50);
    w.Key("retry_cap_ms");
    w.Int(1000);
    w.Key("drain_wait_seconds");
    w.Int(60);
    w.Key("progress_seconds");
    w.Int(1);
  }
  w.Key("batch");
  w.StartObject();
  if (c.test_timings) {
    w.Key("max_age_ms");
    w.Int(50);
  }
  if (c.batch_max_records) {
    w.Key("max_records");
    w.Int(*c.batch_max_records);
  }
  w.EndObject();
  w.EndObject();
}

void write_resilience(Writer& w, const SyncConfig& c) {
  w.Key("resilience");
  w.StartObject();
  w.Key("http");
  w.StartObject();
  w.Key("connect_timeout_seconds");
  w.Int(2);
  w.Key("total_timeout_seconds");
  w.Int(10);
  w.EndObject();
  w.Key("retry");
  w.StartObject();
  w.Key("max_retries");
  w.Int(6);
  w.Key("base_delay_seconds");
  w.Double(0.05);
  w.Key("max_delay_seconds");
  w.Double(0.5);
  w.Key("max_wait_seconds");
  w.Int(5);
  w.EndObject();
  w.Key("breaker");
  w.StartObject();
  w.Key("open_seconds");
  w.Double(c.breaker_open_seconds);
  w.Key("max_open_seconds");
  w.Double(2 * c.breaker_open_seconds);
  w.Key("probe_timeout_seconds");
  w.Int(5);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string SyncConfig::to_json() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("providers");
  w.StartObject();
  w.Key("justtcg");
  w.StartObject();
  w.Key("base_url");
  w.String(base_url);
  w.Key("api_key");
  w.String(api_key);
  w.Key("plan");
  w.String(plan);
  w.Key("mode");
  w.String(mode);
  if (page_size) {
    w.Key("page_size");
    w.Int(*page_size);
  }
  w.EndObject();
  w.EndObject();

  w.Key("storage");
  w.StartObject();
  if (postgres_url) {
    w.Key("postgres");
    w.StartObject();
    w.Key("url");
    w.String(*postgres_url);
    w.Key("schema");
    w.String(postgres_schema);
    w.EndObject();
  } else {
    w.Key("sqlite");
    w.StartObject();
    w.Key("path");
    w.String(database.string());
    w.EndObject();
  }
  w.EndObject();

  if (test_timings || batch_max_records) write_pipeline(w, *this);
  if (test_timings) write_resilience(w, *this);
  if (admin_on_loopback) {
    w.Key("admin");
    w.StartObject();
    w.Key("listen");
    w.String("127.0.0.1:0");
    w.Key("auth");
    w.StartObject();
    w.Key("enabled");
    w.Bool(false);
    w.EndObject();
    w.EndObject();
  }

  w.Key("log");
  w.StartObject();
  w.Key("level");
  w.String(log_level);
  w.Key("format");
  w.String("json");
  if (log_retention_days) {
    w.Key("retention_days");
    w.Int(*log_retention_days);
  }
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

void SyncConfig::write(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << to_json();
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace cardsync::integration
