#pragma once
// Drives one provider plugin through its C ABI exactly as the host does (init, create, plan,
// start, handle, destroy) and captures what each call emits, without any host code: used by
// the provider conformance suite (plugins loaded from their .so) and by provider unit tests
// (plugins linked statically, descriptor<T>()). Header-only; needs the SDK only.

#include <cardsync/abi.h>
#include <cardsync/sdk.hpp>

#include "support/recording_emitter.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cardsync::conformance {

using test::EmittedJob;
using test::EmittedRecord;
using test::EmittedReject;

// Everything one call emitted, plus its outcome and, as the host keeps them, the last cursor
// and rate limits it reported.
struct CallResult : test::Emitted {
  cs_status status = CS_OK;
  std::string error;
  std::optional<std::string> cursor;
  std::int64_t rate_per_minute = -1, remaining_today = -1;
};

// A job as the host stores it.
struct JobInput {
  std::int64_t id = 1;
  std::string type{}, key{}, payload{}, cursor{};  // {}: partial aggregate init stays quiet
  std::string request_id = "conformance";
  int attempt = 1;
};

class ProviderDriver {
 public:
  // Initialises the plugin and creates an instance from `config_json`; throws
  // std::runtime_error naming the plugin's message when either fails.
  ProviderDriver(const cs_plugin_descriptor* descriptor, const std::string& config_json)
      : d_(descriptor) {
    if (d_->kind != CS_KIND_PROVIDER) throw std::runtime_error("not a provider plugin");
    vtable_ = static_cast<const cs_provider_vtable*>(d_->vtable);
    std::string err;
    if (d_->init(&host_api(), slot(err)) != CS_OK) throw std::runtime_error("init: " + err);
    if (d_->create(sdk::str(config_json), &instance_, slot(err)) != CS_OK) {
      throw std::runtime_error("create: " + err);
    }
  }
  ~ProviderDriver() {
    if (instance_ != nullptr) d_->destroy(instance_);
  }
  ProviderDriver(const ProviderDriver&) = delete;
  ProviderDriver& operator=(const ProviderDriver&) = delete;

  const cs_plugin_descriptor& descriptor() const { return *d_; }
  const cs_provider_vtable& vtable() const { return *vtable_; }

  // What this instance serves: its describe() (ABI 1.3) over the vtable's static members.
  cs_instance_description description() const {
    cs_instance_description out{sizeof(cs_instance_description), vtable_->job_types,
                                vtable_->item_schemas, vtable_->lookups, vtable_->lookup_count};
    if (vtable_->describe != nullptr) vtable_->describe(instance_, &out);
    return out;
  }

  // normalise_key of lookup `kind`: the status, and the canonical key or the error.
  std::pair<cs_status, std::string> normalise_key(const std::string& kind,
                                                  const std::string& input) {
    std::string out;
    if (vtable_->normalise_key == nullptr) return {CS_PERMANENT, "no normalise_key"};
    const cs_status status = vtable_->normalise_key(
        instance_, sdk::str(kind), sdk::str(input),
        [](void* ctx, cs_str key) {
          *static_cast<std::string*>(ctx) = std::string(sdk::view(key));
        },
        &out, slot(out));
    return {status, out};
  }

  CallResult plan(const std::string& spec) {
    CallResult r;
    r.status = vtable_->plan(instance_, sdk::str(spec), &test::recording_emit_api(),
                             test::emit_handle(r), slot(r.error));
    return settled(std::move(r));
  }
  CallResult start(const JobInput& job) {
    CallResult r;
    cs_job j = c_job(job);
    r.status = vtable_->start(instance_, &j, &test::recording_emit_api(), test::emit_handle(r),
                              slot(r.error));
    return settled(std::move(r));
  }
  CallResult handle(const JobInput& job, const sdk::Request& request, int status,
                    const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    CallResult r;
    cs_job j = c_job(job);
    std::vector<cs_header> req_headers;
    req_headers.reserve(request.headers.size());
    for (const auto& [k, v] : request.headers) req_headers.push_back({sdk::str(k), sdk::str(v)});
    cs_request req{sizeof(cs_request), sdk::str(request.method), sdk::str(request.url),
                   req_headers.data(), req_headers.size(),       sdk::str(request.body)};
    std::vector<cs_header> res_headers;
    res_headers.reserve(headers.size());
    for (const auto& [k, v] : headers) res_headers.push_back({sdk::str(k), sdk::str(v)});
    cs_response res{sizeof(cs_response), status, res_headers.data(), res_headers.size(),
                    sdk::str(body)};
    r.status = vtable_->handle(instance_, &j, &req, &res, &test::recording_emit_api(),
                               test::emit_handle(r), slot(r.error));
    return settled(std::move(r));
  }

 private:
  static cs_job c_job(const JobInput& j) {
    return cs_job{sizeof(cs_job),         j.id,
                  sdk::str(j.type),       sdk::str(j.key),
                  sdk::str(j.payload),    sdk::str(j.cursor),
                  sdk::str(j.request_id), j.attempt};
  }
  // The opaque C handles are our own objects behind the host's pointer types, as in the host.
  static cs_error* slot(std::string& s) { return reinterpret_cast<cs_error*>(&s); }
  static CallResult settled(CallResult r) {
    if (!r.cursors.empty()) r.cursor = r.cursors.back();
    if (!r.rate_limits.empty()) {
      r.rate_per_minute = r.rate_limits.back().per_minute;
      r.remaining_today = r.rate_limits.back().remaining_today;
    }
    return r;
  }

  static const cs_host_api& host_api() {
    static const cs_host_api api{
        sizeof(cs_host_api),
        CS_ABI_MAJOR,
        CS_ABI_MINOR,
        nullptr,
        [](void*, cs_log_level, cs_str, cs_str, const cs_field*, size_t) {},
        [](cs_error* err, cs_str message) {
          *reinterpret_cast<std::string*>(err) = std::string(sdk::view(message));
        }};
    return api;
  }

  const cs_plugin_descriptor* d_;
  const cs_provider_vtable* vtable_ = nullptr;
  void* instance_ = nullptr;
};

}  // namespace cardsync::conformance
