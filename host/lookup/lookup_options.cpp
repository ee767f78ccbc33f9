#include "lookup/lookup_options.hpp"

namespace cardsync::lookup {
namespace {

const rapidjson::Value* member(const rapidjson::Value* obj, const char* key) {
  if (obj == nullptr || !obj->IsObject()) return nullptr;
  auto it = obj->FindMember(key);
  return it == obj->MemberEnd() ? nullptr : &it->value;
}

std::chrono::milliseconds seconds(const rapidjson::Value* v, std::chrono::milliseconds fallback) {
  if (v == nullptr || !v->IsNumber() || v->GetDouble() <= 0) return fallback;
  return std::chrono::milliseconds(static_cast<std::int64_t>(v->GetDouble() * 1000.0));
}

constexpr std::string_view kTtlSchema = R"({
  "description": "For providers with lookups (`cardsync lookup`): how long a fetched item is fresh, in seconds. An older one is still answered at once, marked stale, and refreshed in the background. Default: the provider's own (`cardsync plugins list` shows its lookups).",
  "type": "integer", "minimum": 1})";

constexpr std::string_view kNotFoundTtlSchema = R"({
  "description": "For providers with lookups: how long the upstream's \"no such item\" (or its calling a key invalid) is remembered, in seconds; within it the lookup is answered without a call. Default: the provider's own.",
  "type": "integer", "minimum": 1})";

constexpr std::string_view kDeadlineSchema = R"({
  "description": "For providers with lookups: how long a lookup of an uncached item may take, in all: counted from the request, waiting for a lookup thread and every upstream call of its job (pacing and retries included). Then it answers \"queued\" with the job id, and a worker finishes the job. Default 5.",
  "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 300})";

}  // namespace

LookupOptions read_lookup_options(const plugin::LookupKind& kind, const rapidjson::Value* section) {
  LookupOptions o;
  o.ttl = seconds(member(section, "ttl_seconds"), kind.ttl);
  o.not_found_ttl = seconds(member(section, "not_found_ttl_seconds"), kind.not_found_ttl);
  o.deadline = seconds(member(section, "lookup_deadline_seconds"), o.deadline);
  return o;
}

const std::vector<HostKey>& lookup_host_keys() {
  static const std::vector<HostKey> keys = {
      {"ttl_seconds", kTtlSchema},
      {"not_found_ttl_seconds", kNotFoundTtlSchema},
      {"lookup_deadline_seconds", kDeadlineSchema},
  };
  return keys;
}

}  // namespace cardsync::lookup
