#include "resilience/resilience_options.hpp"

#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <stdexcept>
#include <string>

namespace cardsync {
namespace embedded {
extern const std::string_view resilience_schema;
}

namespace {

const rapidjson::SchemaDocument& schema_document() {
  static const rapidjson::SchemaDocument schema = [] {
    rapidjson::Document d;
    const auto text = embedded::resilience_schema;
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) throw std::logic_error("resilience_schema.json does not parse");
    return rapidjson::SchemaDocument(d);
  }();
  return schema;
}

void validate(const rapidjson::Value& value, std::string_view where) {
  rapidjson::SchemaValidator validator(schema_document());
  if (value.Accept(validator)) return;
  rapidjson::StringBuffer pointer;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
  std::string path = pointer.GetString();
  if (!path.empty() && path.front() == '#') path.erase(0, 1);
  throw std::invalid_argument(std::string(where) + path + ": violates '" +
                              validator.GetInvalidSchemaKeyword() + "' of the resilience schema");
}

template <typename Duration>
Duration seconds_to(double seconds) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

void set_ms(const rapidjson::Value& o, const char* key, std::chrono::milliseconds& out) {
  if (const auto* v = member(o, key)) out = seconds_to<std::chrono::milliseconds>(v->GetDouble());
}
void set_double(const rapidjson::Value& o, const char* key, double& out) {
  if (const auto* v = member(o, key)) out = v->GetDouble();
}
void set_int(const rapidjson::Value& o, const char* key, int& out) {
  if (const auto* v = member(o, key)) out = v->GetInt();
}
void set_int64(const rapidjson::Value& o, const char* key, std::int64_t& out) {
  if (const auto* v = member(o, key)) out = v->GetInt64();
}

void apply(const rapidjson::Value& section, ResilienceOptions& o) {
  if (const auto* http = member(section, "http")) {
    set_ms(*http, "connect_timeout_seconds", o.http.connect_timeout);
    set_ms(*http, "total_timeout_seconds", o.http.total_timeout);
    set_int(*http, "max_in_flight", o.http.max_in_flight);
    if (const auto* v = member(*http, "max_response_bytes")) {
      o.http.max_response_bytes = static_cast<std::size_t>(v->GetUint64());
    }
  }
  if (const auto* retry = member(section, "retry")) {
    set_int(*retry, "max_retries", o.retry.max_retries);
    set_ms(*retry, "base_delay_seconds", o.retry.base_delay);
    set_double(*retry, "multiplier", o.retry.multiplier);
    set_ms(*retry, "max_delay_seconds", o.retry.max_delay);
    set_ms(*retry, "max_wait_seconds", o.retry.max_wait);
    set_ms(*retry, "deadline_seconds", o.retry.deadline);
  }
  if (const auto* budget = member(section, "retry_budget")) {
    if (const auto* v = member(*budget, "enabled")) o.retry_budget.enabled = v->GetBool();
    set_double(*budget, "capacity", o.retry_budget.capacity);
    set_double(*budget, "retry_cost", o.retry_budget.retry_cost);
    set_double(*budget, "success_credit", o.retry_budget.success_credit);
  }
  if (const auto* breaker = member(section, "breaker")) {
    set_int(*breaker, "consecutive_failures", o.breaker.consecutive_failures);
    set_double(*breaker, "failure_rate", o.breaker.failure_rate);
    set_int(*breaker, "minimum_calls", o.breaker.minimum_calls);
    set_ms(*breaker, "window_seconds", o.breaker.window);
    set_ms(*breaker, "open_seconds", o.breaker.open_period);
    set_ms(*breaker, "max_open_seconds", o.breaker.max_open_period);
    set_int(*breaker, "half_open_probes", o.breaker.half_open_probes);
    set_ms(*breaker, "probe_timeout_seconds", o.breaker.probe_timeout);
  }
  if (const auto* pacing = member(section, "pacing")) {
    set_double(*pacing, "requests_per_minute", o.pacing.requests_per_minute);
    set_double(*pacing, "burst", o.pacing.burst);
    set_int64(*pacing, "daily_quota", o.pacing.daily_quota);
    set_ms(*pacing, "max_wait_seconds", o.pacing.max_wait);
  }
}

}  // namespace

std::string_view resilience_section_schema() {
  return embedded::resilience_schema;
}

ResilienceOptions ResilienceOptions::from_json(const rapidjson::Value& section,
                                               const rapidjson::Value* provider_override) {
  ResilienceOptions options;
  if (!section.IsNull()) {
    validate(section, "resilience");
    apply(section, options);
  }
  if (provider_override != nullptr && !provider_override->IsNull()) {
    validate(*provider_override, "providers.<name>.resilience");
    apply(*provider_override, options);
  }
  // Relations the schema cannot express.
  if (options.breaker.max_open_period < options.breaker.open_period) {
    throw std::invalid_argument("resilience/breaker: max_open_seconds is below open_seconds");
  }
  if (options.retry.max_delay < options.retry.base_delay) {
    throw std::invalid_argument("resilience/retry: max_delay_seconds is below base_delay_seconds");
  }
  return options;
}

ResilienceOptions ResilienceOptions::for_provider(const rapidjson::Value& section,
                                                  std::string_view provider,
                                                  const rapidjson::Value& provider_section) {
  const auto member = [](const rapidjson::Value* obj, const char* key) -> const rapidjson::Value* {
    if (obj == nullptr || !obj->IsObject()) return nullptr;
    auto it = obj->FindMember(key);
    return it == obj->MemberEnd() ? nullptr : &it->value;
  };
  const rapidjson::Value* own = member(&provider_section, "resilience");
  ResilienceOptions options = from_json(section, own);
  const rapidjson::Value* quota = member(&provider_section, "daily_quota");
  if (quota == nullptr || !quota->IsInt64()) return options;
  if (member(member(own, "pacing"), "daily_quota") != nullptr) {
    const std::string at = "providers." + std::string(provider);
    throw std::invalid_argument(at + ".daily_quota and " + at +
                                ".resilience.pacing.daily_quota both set the daily quota: keep " +
                                at + ".daily_quota and remove the other");
  }
  options.pacing.daily_quota = quota->GetInt64();
  return options;
}

}  // namespace cardsync
