#include "cache/cert_cache_options.hpp"

#include <stdexcept>

namespace cardsync::cache {
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

}  // namespace

CertCacheOptions read_cert_cache_options(const rapidjson::Value* section) {
  CertCacheOptions o;
  o.ttl = seconds(member(section, "ttl_seconds"), o.ttl);
  o.not_found_ttl = seconds(member(section, "not_found_ttl_seconds"), o.not_found_ttl);
  o.deadline = seconds(member(section, "lookup_deadline_seconds"), o.deadline);
  return o;
}

void apply_provider_daily_quota(std::string_view provider, const rapidjson::Value& provider_section,
                                ResilienceOptions& options) {
  const rapidjson::Value* quota = member(&provider_section, "daily_quota");
  if (quota == nullptr || !quota->IsInt64()) return;
  if (member(member(member(&provider_section, "resilience"), "pacing"), "daily_quota") != nullptr) {
    const std::string at = "providers." + std::string(provider);
    throw std::invalid_argument(at + ".daily_quota and " + at +
                                ".resilience.pacing.daily_quota both set the daily quota: keep " +
                                at + ".daily_quota and remove the other");
  }
  options.pacing.daily_quota = quota->GetInt64();
}

}  // namespace cardsync::cache
