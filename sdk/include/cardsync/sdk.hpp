#pragma once
// cardsync plugin SDK: a header-only C++ wrapper over abi.h.
//
// A plugin is one class plus one export macro:
//
//   class MyProvider : public cardsync::sdk::Provider {
//    public:
//     static constexpr const char* kName = "mysource";
//     static constexpr const char* kVersion = "1.0.0";
//     static constexpr const char* kDescription = "Cards from mysource";
//     static constexpr const char* kConfigSchema = R"({"type":"object", ...})";
//     static constexpr const char* kService = "mysource";
//     static constexpr const char* kJobTypes[] = {"mysource.cards", nullptr};
//     static constexpr const char* kItemSchemas = "{}";
//     explicit MyProvider(const rapidjson::Value& config);
//     void start(const Job& job, Emitter& out) override;
//     void handle(const Job& job, const Request& req, const Response& res, Emitter& out) override;
//   };
//   CARDSYNC_EXPORT_PLUGIN(MyProvider)
//
// Every trampoline catches every exception and reports it through the host as an error
// status: nothing unwinds across the C boundary. Throw sdk::Error (or Retry/Permanent/Fatal)
// to choose the status; any other exception becomes CS_PERMANENT with its what().
// Tests may link a plugin's sources statically and call descriptor<MyProvider>() directly;
// CARDSYNC_EXPORT_PLUGIN belongs in the one file that is compiled only into the .so.

#include <cardsync/abi.h>

#include <rapidjson/document.h>

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cardsync::sdk {

// ---- strings across the boundary --------------------------------------------------------

inline cs_str str(std::string_view s) noexcept {
  return cs_str{s.data(), s.size()};
}
inline std::string_view view(cs_str s) noexcept {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, s.len};
}

// ---- errors ------------------------------------------------------------------------------

// Thrown by plugin code to fail the current call with a chosen status.
class Error : public std::runtime_error {
 public:
  Error(cs_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  cs_status status() const noexcept { return status_; }

 private:
  cs_status status_;
};
// Transient: the host retries later with backoff.
struct Retry : Error {
  explicit Retry(const std::string& m) : Error(CS_RETRY, m) {}
};
// This item or job is bad; retrying will not help.
struct Permanent : Error {
  explicit Permanent(const std::string& m) : Error(CS_PERMANENT, m) {}
};
// Configuration or credentials are wrong: the host stops this plugin's work.
struct Fatal : Error {
  explicit Fatal(const std::string& m) : Error(CS_FATAL, m) {}
};

// ---- host services ------------------------------------------------------------------------

namespace detail {
// The host's services for this library. Set once by init before any other call; one per
// shared object (plugins are built with hidden visibility).
inline const cs_host_api* g_host = nullptr;
}  // namespace detail

// Logging through the host: structured, request-scoped, redacted by the host. Thread-safe.
class Log {
 public:
  using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  static void write(cs_log_level level, std::string_view request_id, std::string_view message,
                    Fields fields = {}) noexcept {
    const cs_host_api* host = detail::g_host;
    if (host == nullptr || host->log == nullptr) return;
    cs_field buf[16];
    size_t n = 0;
    for (const auto& [k, v] : fields) {
      if (n == 16) break;
      buf[n++] = cs_field{str(k), str(v)};
    }
    host->log(host->ctx, level, str(request_id), str(message), buf, n);
  }
  static void info(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_INFO, rid, msg, f);
  }
  static void warn(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_WARN, rid, msg, f);
  }
  static void debug(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_DEBUG, rid, msg, f);
  }
};

// ---- provider-side types --------------------------------------------------------------------

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

// Base class of storage plugins. Instances are shared by threads: methods must be
// thread-safe.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual void migrate() = 0;
};

// ---- trampolines ------------------------------------------------------------------------------

namespace detail {

inline void set_error(cs_error* err, std::string_view message) noexcept {
  if (g_host != nullptr && g_host->set_error != nullptr && err != nullptr) {
    g_host->set_error(err, str(message));
  }
}

// Runs `fn`, turning every exception into a status and an error message.
template <class Fn>
cs_status guarded(cs_error* err, Fn&& fn) noexcept {
  try {
    std::forward<Fn>(fn)();
    return CS_OK;
  } catch (const Error& e) {
    set_error(err, e.what());
    return e.status();
  } catch (const std::exception& e) {
    set_error(err, std::string("unhandled exception: ") + e.what());
    return CS_PERMANENT;
  } catch (...) {
    set_error(err, "unhandled non-standard exception");
    return CS_PERMANENT;
  }
}

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
concept HasInitialize = requires {
  T::initialize();
};

template <class T>
struct Trampolines {
  static cs_status init(const cs_host_api* host, cs_error* err) noexcept {
    g_host = host;
    return guarded(err, [] {
      if constexpr (HasInitialize<T>) T::initialize();
    });
  }
  static cs_status create(cs_str config_json, void** out, cs_error* err) noexcept {
    return guarded(err, [&] {
      rapidjson::Document doc;
      std::string_view text = view(config_json);
      doc.Parse(text.data(), text.size());
      if (text.empty()) doc.SetObject();
      if (doc.HasParseError()) throw Fatal("config section is not valid JSON");
      *out = new T(static_cast<const rapidjson::Value&>(doc));
    });
  }
  static void destroy(void* instance) noexcept { delete static_cast<T*>(instance); }

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
  static cs_status migrate(void* inst, cs_error* err) noexcept {
    return guarded(err, [&] { static_cast<T*>(inst)->migrate(); });
  }
};

}  // namespace detail

// The static descriptor of plugin class T. Safe to call from tests that link T statically.
template <class T>
const cs_plugin_descriptor* descriptor() noexcept {
  using Tr = detail::Trampolines<T>;
  static_assert(std::is_base_of_v<Provider, T> || std::is_base_of_v<Storage, T>,
                "a cardsync plugin derives from sdk::Provider or sdk::Storage");
  static const void* vtable = []() -> const void* {
    if constexpr (std::is_base_of_v<Provider, T>) {
      static const cs_provider_vtable v{sizeof(cs_provider_vtable),
                                        T::kService,
                                        T::kJobTypes,
                                        T::kItemSchemas,
                                        &Tr::plan,
                                        &Tr::start,
                                        &Tr::handle};
      return &v;
    } else {
      static const cs_storage_vtable v{sizeof(cs_storage_vtable), &Tr::migrate};
      return &v;
    }
  }();
  static const cs_plugin_descriptor d{sizeof(cs_plugin_descriptor),
                                      CS_ABI_MAJOR,
                                      CS_ABI_MINOR,
                                      std::is_base_of_v<Provider, T>
                                          ? static_cast<uint32_t>(CS_KIND_PROVIDER)
                                          : static_cast<uint32_t>(CS_KIND_STORAGE),
                                      T::kName,
                                      T::kVersion,
                                      T::kDescription,
                                      T::kConfigSchema,
                                      &Tr::init,
                                      &Tr::create,
                                      &Tr::destroy,
                                      vtable};
  return &d;
}

}  // namespace cardsync::sdk

// Exports plugin class T from this shared library. Use it exactly once per library.
#define CARDSYNC_EXPORT_PLUGIN(T)                                               \
  extern "C" __attribute__((visibility("default"))) const cs_plugin_descriptor* \
  cardsync_plugin_query(void) {                                                 \
    return ::cardsync::sdk::descriptor<T>();                                    \
  }
