#include "pipeline/pipeline_options.hpp"

namespace cardsync::embedded {
extern const std::string_view pipeline_schema;
}

namespace cardsync::pipeline {
namespace {

int64_t get(const rapidjson::Value* obj, const char* key, int64_t fallback) {
  if (obj == nullptr || !obj->IsObject()) return fallback;
  auto it = obj->FindMember(key);
  return it != obj->MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : fallback;
}

}  // namespace

std::string_view pipeline_section_schema() {
  return embedded::pipeline_schema;
}

PipelineOptions read_pipeline_options(const rapidjson::Value* s) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  PipelineOptions o;
  o.workers.workers = static_cast<int>(get(s, "workers", o.workers.workers));
  o.workers.idle_poll = milliseconds(get(s, "idle_poll_ms", o.workers.idle_poll.count()));
  o.queue.lease = seconds(get(s, "lease_seconds", 30));
  o.workers.heartbeat_every = o.queue.lease / 3;
  o.queue.max_attempts = static_cast<int>(get(s, "max_attempts", o.queue.max_attempts));
  o.queue.retry.base = milliseconds(get(s, "retry_base_ms", o.queue.retry.base.count()));
  o.queue.retry.cap = milliseconds(get(s, "retry_cap_ms", o.queue.retry.cap.count()));
  o.call_deadline = seconds(get(s, "call_deadline_seconds", 120));
  o.drain_wait = seconds(get(s, "drain_wait_seconds", 300));
  o.progress_every = seconds(get(s, "progress_seconds", 5));
  const rapidjson::Value* batch = nullptr;
  if (s != nullptr && s->IsObject()) {
    auto it = s->FindMember("batch");
    if (it != s->MemberEnd()) batch = &it->value;
  }
  o.batch.max_records =
      static_cast<size_t>(get(batch, "max_records", static_cast<int64_t>(o.batch.max_records)));
  o.batch.max_bytes =
      static_cast<size_t>(get(batch, "max_bytes", static_cast<int64_t>(o.batch.max_bytes)));
  o.batch.max_age = milliseconds(get(batch, "max_age_ms", o.batch.max_age.count()));
  return o;
}

}  // namespace cardsync::pipeline
