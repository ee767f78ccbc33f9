#pragma once
// cardsync SDK, provider side: the C++ view of a job, its requests and responses, the
// emitter a provider call writes its results to, the Provider base class and, since ABI 1.2,
// lookups. Header-only; plugins include sdk.hpp, which includes this.

#include <cardsync/marshalling.hpp>

#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sdk {

// A request the plugin builds; the emitter hands it to the host, which copies it.
struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Borrowed views of the host's job; valid for the duration of the call.
struct Job {
  int64_t id = 0;
  std::string_view type, key, payload, cursor, request_id;
  int attempt = 1;

  static Job from(const cs_job* j) noexcept {
    Job out;
    out.id = j->id;
    out.type = view(j->type);
    out.key = view(j->key);
    out.payload = view(j->payload);
    out.cursor = view(j->cursor);
    out.request_id = view(j->request_id);
    out.attempt = j->attempt;
    return out;
  }
};

// Borrowed view of a response; valid for the duration of the call.
struct Response {
  int status = 0;
  std::string_view body;
  const cs_header* headers = nullptr;
  size_t header_count = 0;

  // Case-insensitive header lookup; empty when absent.
  std::string_view header(std::string_view name) const noexcept {
    for (size_t i = 0; i < header_count; ++i) {
      std::string_view n = view(headers[i].name);
      if (n.size() != name.size()) continue;
      bool eq = true;
      for (size_t k = 0; k < n.size() && eq; ++k) {
        eq = (n[k] | 0x20) == (name[k] | 0x20);
      }
      if (eq) return view(headers[i].value);
    }
    return {};
  }
};

// What a provider call produces. Every method copies its arguments into the host.
// Not thread-safe: one emitter belongs to one call on one thread.
class Emitter {
 public:
  Emitter(const cs_emit_api* api, cs_emit* e) noexcept : api_(api), e_(e) {}

  void request(const Request& r) const {
    std::vector<cs_header> hs;
    hs.reserve(r.headers.size());
    for (const auto& [k, v] : r.headers) hs.push_back(cs_header{str(k), str(v)});
    cs_request req{sizeof(cs_request), str(r.method), str(r.url),
                   hs.data(),          hs.size(),     str(r.body)};
    api_->request(e_, &req);
  }
  void record(cs_record_kind kind, std::string_view key, std::string_view parent_key,
              std::string_view core_json, std::string_view raw_json) const noexcept {
    cs_record rec{sizeof(cs_record), static_cast<uint32_t>(kind),
                  str(key),          str(parent_key),
                  str(core_json),    str(raw_json)};
    api_->record(e_, &rec);
  }
  void reject(std::string_view reason, std::string_view path,
              std::string_view raw_item) const noexcept {
    api_->reject(e_, str(reason), str(path), str(raw_item));
  }
  void job(std::string_view type, std::string_view key,
           std::string_view payload = {}) const noexcept {
    api_->job(e_, str(type), str(key), str(payload));
  }
  void cursor(std::string_view c) const noexcept { api_->cursor(e_, str(c)); }
  void rate_limits(int64_t per_minute, int64_t remaining_today) const noexcept {
    api_->rate_limits(e_, per_minute, remaining_today);
  }

 private:
  const cs_emit_api* api_;
  cs_emit* e_;
};

// Base class of provider plugins. Instances are shared by worker threads: the methods must
// be thread-safe (keep per-job state in the job's cursor, not in members).
class Provider {
 public:
  // Short names for derived classes.
  using Job = sdk::Job;
  using Request = sdk::Request;
  using Response = sdk::Response;
  using Emitter = sdk::Emitter;

  virtual ~Provider() = default;
  // Emits the jobs for a configured sync (`spec` is the sync's JSON, possibly empty).
  virtual void plan(std::string_view /*spec*/, Emitter& /*out*/) {}
  // Emits the first request of `job` (or the one resuming from job.cursor).
  virtual void start(const Job& job, Emitter& out) = 0;
  // Turns a response into records/rejects/jobs/cursor and emits the next request, if any.
  virtual void handle(const Job& job, const Request& request, const Response& response,
                      Emitter& out) = 0;
};

// ---- lookups (ABI 1.2) ------------------------------------------------------------------------

// The fields of a cs_lookup_kind a provider declares; see abi.h for each one's meaning.
struct LookupSpec {
  cs_record_kind record_kind;
  const char* name;
  const char* job_type;
  const char* description;
  const char* key_example;
  uint32_t child_kind = 0;
  const char* child_field = nullptr;
  int64_t ttl_seconds = int64_t{7} * 24 * 3600;
  int64_t not_found_ttl_seconds = int64_t{24} * 3600;
};

// A provider offering lookups declares them as a static array and checks keys:
//   static constexpr cs_lookup_kind kLookups[] = {sdk::lookup_kind({...})};
//   std::string normalise_key(std::string_view kind, std::string_view input) const;
// normalise_key returns the canonical key or throws sdk::Permanent saying what a key looks
// like. It must do no I/O and be thread-safe.
constexpr cs_lookup_kind lookup_kind(const LookupSpec& s) noexcept {
  return cs_lookup_kind{sizeof(cs_lookup_kind),
                        static_cast<uint32_t>(s.record_kind),
                        s.name,
                        s.job_type,
                        s.description,
                        s.key_example,
                        s.child_kind,
                        0,
                        s.child_field,
                        s.ttl_seconds,
                        s.not_found_ttl_seconds};
}

// The final cursors of a lookup job (abi.h).
inline constexpr std::string_view kLookupFound = CS_LOOKUP_FOUND;
inline constexpr std::string_view kLookupNotFound = CS_LOOKUP_NOT_FOUND;
inline constexpr std::string_view kLookupInvalid = CS_LOOKUP_INVALID;
// The final cursor of a lookup whose item is stored under `record_key`, not the lookup key.
inline std::string lookup_found_as(std::string_view record_key) {
  return std::string(CS_LOOKUP_FOUND_AS_PREFIX) + std::string(record_key);
}

namespace detail {

inline Request copy_request(const cs_request* r) {
  Request out;
  out.method = std::string(view(r->method));
  out.url = std::string(view(r->url));
  for (size_t i = 0; i < r->header_count; ++i) {
    out.headers.emplace_back(std::string(view(r->headers[i].name)),
                             std::string(view(r->headers[i].value)));
  }
  out.body = std::string(view(r->body));
  return out;
}

template <class T>
concept HasNormaliseKey = requires(const T& t, std::string_view s) {
  { t.normalise_key(s, s) } -> std::convertible_to<std::string>;
};

// Static lookups; a provider whose lookups come from its config (describe) has only
// normalise_key.
template <class T>
concept HasLookups = HasNormaliseKey<T> && requires {
  T::kLookups;
};

// A provider whose job types, item schemas and lookups depend on its config (ABI 1.3):
//   void describe(cs_instance_description& out) const;
// fills the members of `out` with pointers the instance owns until it is destroyed.
template <class T>
concept HasDescription = requires(const T& t, cs_instance_description& out) {
  t.describe(out);
};

template <class T>
struct ProviderTrampolines {
  static cs_status plan(void* inst, cs_str spec, const cs_emit_api* api, cs_emit* e,
                        cs_error* err) noexcept {
    return guarded(err, [&] {
      Emitter out(api, e);
      static_cast<T*>(inst)->plan(view(spec), out);
    });
  }
  static cs_status start(void* inst, const cs_job* job, const cs_emit_api* api, cs_emit* e,
                         cs_error* err) noexcept {
    return guarded(err, [&] {
      Emitter out(api, e);
      static_cast<T*>(inst)->start(Job::from(job), out);
    });
  }
  static cs_status handle(void* inst, const cs_job* job, const cs_request* req,
                          const cs_response* res, const cs_emit_api* api, cs_emit* e,
                          cs_error* err) noexcept {
    return guarded(err, [&] {
      Emitter out(api, e);
      Response r{res->status, view(res->body), res->headers, res->header_count};
      static_cast<T*>(inst)->handle(Job::from(job), copy_request(req), r, out);
    });
  }
  static cs_status normalise_key(void* inst, cs_str kind, cs_str input, cs_str_visitor visit,
                                 void* ctx, cs_error* err) noexcept {
    if constexpr (HasNormaliseKey<T>) {
      return guarded(err, [&] {
        const std::string key = static_cast<const T*>(inst)->normalise_key(view(kind), view(input));
        visit(ctx, str(key));
      });
    } else {
      (void)inst, (void)kind, (void)input, (void)visit, (void)ctx;
      set_error(err, "this provider offers no lookups");
      return CS_PERMANENT;
    }
  }

  static void describe(void* inst, cs_instance_description* out) noexcept {
    if constexpr (HasDescription<T>) {
      static_cast<const T*>(inst)->describe(*out);
    } else {
      (void)inst, (void)out;
    }
  }

  static const cs_provider_vtable* vtable() noexcept {
    static const cs_provider_vtable v = [] {
      cs_provider_vtable t{sizeof(cs_provider_vtable),
                           T::kService,
                           T::kJobTypes,
                           T::kItemSchemas,
                           &plan,
                           &start,
                           &handle,
                           nullptr,
                           0,
                           nullptr,
                           nullptr};
      if constexpr (HasLookups<T>) {
        t.lookups = T::kLookups;
        t.lookup_count = std::size(T::kLookups);
      }
      if constexpr (HasNormaliseKey<T>) t.normalise_key = &normalise_key;
      if constexpr (HasDescription<T>) t.describe = &describe;
      return t;
    }();
    return &v;
  }
};

}  // namespace detail
}  // namespace cardsync::sdk
