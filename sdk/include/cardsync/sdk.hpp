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

#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
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

// ---- storage-side types ----------------------------------------------------------------------
// Borrowed views mirroring the storage structs of abi.h. The host uses them too (through its
// storage client), so both sides speak the same C++ vocabulary over the C boundary.

// Element i of a C array whose elements start with struct_size (see cs_array_at).
template <class T>
const T& element(const T* first, size_t i) noexcept {
  return *static_cast<const T*>(cs_array_at(first, i));
}

enum class JobState : uint32_t {
  queued = CS_JOB_QUEUED,
  processing = CS_JOB_PROCESSING,
  done = CS_JOB_DONE,
  failed = CS_JOB_FAILED
};
enum class Action : uint32_t {
  checkpoint = CS_ACTION_CHECKPOINT,
  complete = CS_ACTION_COMPLETE,
  retry = CS_ACTION_RETRY,
  snooze = CS_ACTION_SNOOZE,
  fail = CS_ACTION_FAIL
};

struct JobSpec {
  std::string_view type, key, payload, request_id;
  int64_t run_at_ms = 0;
  int max_attempts = 1;
};
struct EnqueueResult {
  int64_t id = 0;
  bool duplicate = false;
};
struct JobError {
  int attempt = 0;
  int64_t at_ms = 0;
  int http_status = 0;
  std::string_view message, request_id;
};
struct JobRow {
  int64_t id = 0;
  JobState state = JobState::queued;
  std::string_view type, key, payload, cursor, request_id;
  int attempts = 0;
  int max_attempts = 0;
  int64_t run_at_ms = 0, created_at_ms = 0, updated_at_ms = 0;
  std::string_view lease_owner, lease_token;
  int64_t lease_until_ms = 0;
  std::vector<JobError> errors;
};
struct ClaimRequest {
  int max_jobs = 1;
  std::string_view owner, lease_token;
  int64_t now_ms = 0, lease_until_ms = 0;
  std::vector<std::string_view> types;  // empty = any type
};
struct Transition {
  Action action = Action::complete;
  int64_t job_id = 0;
  std::string_view lease_token, cursor;
  int64_t run_at_ms = 0;
  std::string_view error_message;
  int http_status = 0;
  std::string_view request_id;
  int64_t now_ms = 0;
};
struct StatRow {
  std::string_view type;
  JobState state = JobState::queued;
  int64_t count = 0;
  int64_t next_run_at_ms = 0;
};
struct JobQuery {
  uint32_t state = 0;  // cs_job_state, 0 = any
  std::string_view type;
  int64_t after_id = 0;
  int64_t limit = 0;
  bool with_errors = false;
};
struct StoredRecord {
  uint32_t kind = CS_RECORD_GAME;  // cs_record_kind; may be one this side does not know
  std::string_view key, parent_key, source, core_json, raw_json, content_hash;
};
struct CursorUpdate {
  std::string_view name, value;
};
struct QuarantineItem {
  int64_t at_ms = 0;
  std::string_view source, job_type, job_key, reason, json_path, raw_item, request_id;
};
struct WriteBatch {
  int64_t now_ms = 0;
  std::vector<StoredRecord> records;
  std::vector<Transition> transitions;
  std::vector<CursorUpdate> cursors;
  std::vector<QuarantineItem> quarantine;
  std::vector<JobSpec> jobs;
};
// Per-kind counts, indexed by cs_record_kind (slot 0: unknown kinds).
struct WriteCounts {
  int64_t inserted[CS_RECORD_KIND_SLOTS] = {};
  int64_t updated[CS_RECORD_KIND_SLOTS] = {};
  int64_t unchanged[CS_RECORD_KIND_SLOTS] = {};
  int64_t rejected[CS_RECORD_KIND_SLOTS] = {};
};
struct WriteResult {
  WriteCounts counts;
  std::vector<bool> transition_applied;  // one per batch transition
  std::vector<EnqueueResult> jobs;       // one per batch job
};
struct LogRow {
  int64_t id = 0;
  cs_log_level level = CS_LOG_INFO;
  int64_t ts_ms = 0;
  std::string_view request_id, message, fields_json;
};
struct LogQuery {
  cs_log_level min_level = CS_LOG_TRACE;
  std::string_view request_id;
  int64_t since_ms = 0;
  int64_t after_id = 0;
  int64_t limit = 0;
};
// Added in ABI 1.1: reading back what was stored.
struct RecordQuery {
  uint32_t kind = CS_RECORD_GAME;               // cs_record_kind
  std::string_view key, parent_key, after_key;  // see cs_record_query
  int64_t limit = 0;
};
struct RecordRow {
  uint32_t kind = CS_RECORD_GAME;
  std::string_view key, parent_key, source, core_json, raw_json, content_hash;
  int64_t version = 0, created_at_ms = 0, updated_at_ms = 0;
};
struct QuarantineQuery {
  bool newest_first = false;
  std::string_view source, job_type;
  int64_t before_id = 0, after_id = 0, limit = 0;
};
struct QuarantineRow {
  int64_t id = 0;
  QuarantineItem item;
};

// Visitors hand rows to the host. operator() returns false when the host wants no more rows
// (stop iterating; not an error).
template <class Row, class CRow, class Fn>
class Visitor {
 public:
  Visitor(Fn fn, void* ctx) noexcept : fn_(fn), ctx_(ctx) {}
  bool operator()(const Row& row) const;

 private:
  Fn fn_;
  void* ctx_;
};

inline cs_job_row to_c(const JobRow& r, std::vector<cs_job_error>& errors) {
  errors.clear();
  for (const auto& e : r.errors) {
    errors.push_back(cs_job_error{sizeof(cs_job_error), e.attempt, e.at_ms, e.http_status, 0,
                                  str(e.message), str(e.request_id)});
  }
  return cs_job_row{sizeof(cs_job_row),
                    static_cast<uint32_t>(r.state),
                    r.id,
                    str(r.type),
                    str(r.key),
                    str(r.payload),
                    str(r.cursor),
                    str(r.request_id),
                    r.attempts,
                    r.max_attempts,
                    r.run_at_ms,
                    r.created_at_ms,
                    r.updated_at_ms,
                    str(r.lease_owner),
                    str(r.lease_token),
                    r.lease_until_ms,
                    errors.empty() ? nullptr : errors.data(),
                    errors.size()};
}

using JobVisitor = Visitor<JobRow, cs_job_row, cs_job_visitor>;
using StatVisitor = Visitor<StatRow, cs_stat_row, cs_stat_visitor>;
using LogVisitor = Visitor<LogRow, cs_log_row, cs_log_visitor>;
using RecordVisitor = Visitor<RecordRow, cs_record_row, cs_record_visitor>;
using QuarantineVisitor = Visitor<QuarantineRow, cs_quarantine_row, cs_quarantine_visitor>;

template <>
inline bool JobVisitor::operator()(const JobRow& row) const {
  std::vector<cs_job_error> errors;
  cs_job_row c = to_c(row, errors);
  return fn_(ctx_, &c) == 0;
}
template <>
inline bool StatVisitor::operator()(const StatRow& row) const {
  cs_stat_row c{sizeof(cs_stat_row), static_cast<uint32_t>(row.state), str(row.type), row.count,
                row.next_run_at_ms};
  return fn_(ctx_, &c) == 0;
}
template <>
inline bool LogVisitor::operator()(const LogRow& row) const {
  cs_log_row c{sizeof(cs_log_row),
               static_cast<uint32_t>(row.level),
               row.id,
               row.ts_ms,
               str(row.request_id),
               str(row.message),
               str(row.fields_json)};
  return fn_(ctx_, &c) == 0;
}

template <>
inline bool RecordVisitor::operator()(const RecordRow& row) const {
  cs_record_row c{
      sizeof(cs_record_row), row.kind,           str(row.key),      str(row.parent_key),
      str(row.source),       str(row.core_json), str(row.raw_json), str(row.content_hash),
      row.version,           row.created_at_ms,  row.updated_at_ms};
  return fn_(ctx_, &c) == 0;
}
template <>
inline bool QuarantineVisitor::operator()(const QuarantineRow& row) const {
  const QuarantineItem& q = row.item;
  cs_quarantine_row c{sizeof(cs_quarantine_row), 0, row.id,
                      cs_quarantine_item{sizeof(cs_quarantine_item), q.at_ms, str(q.source),
                                         str(q.job_type), str(q.job_key), str(q.reason),
                                         str(q.json_path), str(q.raw_item), str(q.request_id)}};
  return fn_(ctx_, &c) == 0;
}

// Conversions from the C structs (host -> plugin direction). Members a host did not send
// (older struct_size) keep their defaults.
inline JobSpec from_c(const cs_job_spec& s) noexcept {
  return JobSpec{view(s.type),       view(s.key), view(s.payload),
                 view(s.request_id), s.run_at_ms, s.max_attempts};
}
inline Transition from_c(const cs_transition& t) noexcept {
  return Transition{static_cast<Action>(t.action),
                    t.job_id,
                    view(t.lease_token),
                    view(t.cursor),
                    t.run_at_ms,
                    view(t.error_message),
                    t.http_status,
                    view(t.request_id),
                    t.now_ms};
}
inline StoredRecord from_c(const cs_stored_record& r) noexcept {
  return StoredRecord{
      r.kind,           view(r.key),         view(r.parent_key), view(r.source), view(r.core_json),
      view(r.raw_json), view(r.content_hash)};
}
inline CursorUpdate from_c(const cs_cursor_update& c) noexcept {
  return CursorUpdate{view(c.name), view(c.value)};
}
inline QuarantineItem from_c(const cs_quarantine_item& q) noexcept {
  return QuarantineItem{q.at_ms,        view(q.source),    view(q.job_type), view(q.job_key),
                        view(q.reason), view(q.json_path), view(q.raw_item), view(q.request_id)};
}
inline LogRow from_c(const cs_log_row& r) noexcept {
  return LogRow{r.id,
                static_cast<cs_log_level>(r.level),
                r.ts_ms,
                view(r.request_id),
                view(r.message),
                view(r.fields_json)};
}
template <class C>
auto from_c_array(const C* first, size_t count) {
  std::vector<decltype(from_c(*first))> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out.push_back(from_c(element(first, i)));
  return out;
}

// Base class of storage plugins. Instances are shared by threads: methods must be
// thread-safe. Throw sdk::Retry for busy/locked/connection trouble, sdk::Permanent for bad
// input, sdk::Fatal when the database cannot be used. Operations a plugin does not offer
// keep the defaults, which fail with "not supported".
class Storage {
 public:
  using JobSpec = sdk::JobSpec;
  using EnqueueResult = sdk::EnqueueResult;
  using JobRow = sdk::JobRow;
  using ClaimRequest = sdk::ClaimRequest;
  using Transition = sdk::Transition;
  using JobQuery = sdk::JobQuery;
  using WriteBatch = sdk::WriteBatch;
  using WriteResult = sdk::WriteResult;
  using LogRow = sdk::LogRow;
  using LogQuery = sdk::LogQuery;

  virtual ~Storage() = default;
  virtual void migrate() = 0;

  // `out` has one entry per spec.
  virtual void enqueue(const std::vector<JobSpec>& /*specs*/, int64_t /*now_ms*/,
                       std::vector<EnqueueResult>& /*out*/) {
    unsupported("enqueue");
  }
  virtual void claim(const ClaimRequest& /*request*/, const JobVisitor& /*visit*/) {
    unsupported("claim");
  }
  // Returns false when the token no longer holds the lease.
  virtual bool heartbeat(int64_t /*job_id*/, std::string_view /*lease_token*/,
                         int64_t /*lease_until_ms*/, int64_t /*now_ms*/) {
    unsupported("heartbeat");
  }
  // `applied` has one entry per transition.
  virtual void transition(const std::vector<Transition>& /*transitions*/,
                          std::vector<bool>& /*applied*/) {
    unsupported("transition");
  }
  struct RetryFailedResult {
    int64_t requeued = 0, skipped = 0;
  };
  virtual RetryFailedResult retry_failed(int64_t /*job_id*/, std::string_view /*type*/,
                                         int64_t /*now_ms*/) {
    unsupported("retry_failed");
  }
  struct RescueResult {
    int64_t requeued = 0, failed = 0;
  };
  virtual RescueResult rescue_expired(int64_t /*now_ms*/) { unsupported("rescue_expired"); }
  virtual void stats(const StatVisitor& /*visit*/) { unsupported("stats"); }
  virtual void list_jobs(const JobQuery& /*query*/, const JobVisitor& /*visit*/) {
    unsupported("list_jobs");
  }
  // `out.transition_applied` and `out.jobs` arrive sized to the batch.
  virtual void write_batch(const WriteBatch& /*batch*/, WriteResult& /*out*/) {
    unsupported("write_batch");
  }
  virtual void append_logs(const std::vector<LogRow>& /*rows*/) { unsupported("append_logs"); }
  virtual void query_logs(const LogQuery& /*query*/, const LogVisitor& /*visit*/) {
    unsupported("query_logs");
  }
  virtual int64_t delete_logs_before(int64_t /*before_ms*/) { unsupported("delete_logs_before"); }
  // Calls `visit` with the value when the cursor exists; returns whether it does.
  virtual bool read_cursor(std::string_view /*name*/,
                           const std::function<void(std::string_view)>& /*visit*/) {
    unsupported("read_cursor");
  }

  // Added in ABI 1.1.
  using RecordQuery = sdk::RecordQuery;
  using QuarantineQuery = sdk::QuarantineQuery;
  virtual void read_records(const RecordQuery& /*query*/, const RecordVisitor& /*visit*/) {
    unsupported("read_records");
  }
  virtual void query_quarantine(const QuarantineQuery& /*query*/,
                                const QuarantineVisitor& /*visit*/) {
    unsupported("query_quarantine");
  }
  // Calls `visit(value, updated_at_ms)` when the cursor exists; returns whether it does.
  virtual bool read_cursor_entry(std::string_view /*name*/,
                                 const std::function<void(std::string_view, int64_t)>& /*visit*/) {
    unsupported("read_cursor_entry");
  }
  // A storage that can wake idle workers across processes declares, in its own class,
  //   bool wait_for_jobs(int64_t timeout_ms);  // true when woken, false on timeout
  // (see cs_storage_vtable.wait_for_jobs); without it the host polls.

 protected:
  [[noreturn]] static void unsupported(const char* op) {
    throw Permanent(std::string("storage operation '") + op + "' is not supported by this plugin");
  }
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
concept HasWaitForJobs = requires(T& t, int64_t ms) {
  { t.wait_for_jobs(ms) } -> std::convertible_to<bool>;
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
      // guarded() catches std::bad_alloc too.
      // NOLINTNEXTLINE(bugprone-unhandled-exception-at-new)
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
  static cs_status enqueue(void* inst, const cs_job_spec* specs, size_t count, int64_t now_ms,
                           cs_enqueue_result* out, cs_error* err) noexcept {
    return guarded(err, [&] {
      std::vector<EnqueueResult> results(count);
      static_cast<T*>(inst)->enqueue(from_c_array(specs, count), now_ms, results);
      for (size_t i = 0; i < count; ++i) {
        out[i] = cs_enqueue_result{results[i].id, results[i].duplicate ? 1 : 0, 0};
      }
    });
  }
  static cs_status claim(void* inst, const cs_claim_request* req, cs_job_visitor visit, void* ctx,
                         cs_error* err) noexcept {
    return guarded(err, [&] {
      ClaimRequest r{req->max_jobs, view(req->owner),    view(req->lease_token),
                     req->now_ms,   req->lease_until_ms, {}};
      for (size_t i = 0; i < req->type_count; ++i) r.types.push_back(view(req->types[i]));
      static_cast<T*>(inst)->claim(r, JobVisitor(visit, ctx));
    });
  }
  static cs_status heartbeat(void* inst, int64_t job_id, cs_str token, int64_t until,
                             int64_t now_ms, int32_t* applied, cs_error* err) noexcept {
    return guarded(err, [&] {
      *applied = static_cast<T*>(inst)->heartbeat(job_id, view(token), until, now_ms) ? 1 : 0;
    });
  }
  static cs_status transition(void* inst, const cs_transition* ts, size_t count, int32_t* outcomes,
                              cs_error* err) noexcept {
    return guarded(err, [&] {
      std::vector<bool> applied(count, false);
      static_cast<T*>(inst)->transition(from_c_array(ts, count), applied);
      for (size_t i = 0; i < count; ++i) {
        outcomes[i] = applied[i] ? CS_TRANSITION_APPLIED : CS_TRANSITION_STALE;
      }
    });
  }
  static cs_status retry_failed(void* inst, int64_t job_id, cs_str type, int64_t now_ms,
                                int64_t* requeued, int64_t* skipped, cs_error* err) noexcept {
    return guarded(err, [&] {
      auto r = static_cast<T*>(inst)->retry_failed(job_id, view(type), now_ms);
      *requeued = r.requeued;
      *skipped = r.skipped;
    });
  }
  static cs_status rescue_expired(void* inst, int64_t now_ms, int64_t* requeued, int64_t* failed,
                                  cs_error* err) noexcept {
    return guarded(err, [&] {
      auto r = static_cast<T*>(inst)->rescue_expired(now_ms);
      *requeued = r.requeued;
      *failed = r.failed;
    });
  }
  static cs_status stats(void* inst, cs_stat_visitor visit, void* ctx, cs_error* err) noexcept {
    return guarded(err, [&] { static_cast<T*>(inst)->stats(StatVisitor(visit, ctx)); });
  }
  static cs_status list_jobs(void* inst, const cs_job_query* q, cs_job_visitor visit, void* ctx,
                             cs_error* err) noexcept {
    return guarded(err, [&] {
      JobQuery query{q->state, view(q->type), q->after_id, q->limit, q->with_errors != 0};
      static_cast<T*>(inst)->list_jobs(query, JobVisitor(visit, ctx));
    });
  }
  static cs_status write_batch(void* inst, const cs_write_batch* b, cs_write_result* res,
                               cs_error* err) noexcept {
    return guarded(err, [&] {
      WriteBatch batch{b->now_ms,
                       from_c_array(b->records, b->record_count),
                       from_c_array(b->transitions, b->transition_count),
                       from_c_array(b->cursors, b->cursor_count),
                       from_c_array(b->quarantine, b->quarantine_count),
                       from_c_array(b->jobs, b->job_count)};
      WriteResult out;
      out.transition_applied.assign(b->transition_count, false);
      out.jobs.resize(b->job_count);
      static_cast<T*>(inst)->write_batch(batch, out);
      for (size_t k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
        res->inserted[k] = out.counts.inserted[k];
        res->updated[k] = out.counts.updated[k];
        res->unchanged[k] = out.counts.unchanged[k];
        res->rejected[k] = out.counts.rejected[k];
      }
      for (size_t i = 0; i < b->transition_count; ++i) {
        res->transition_outcomes[i] =
            out.transition_applied[i] ? CS_TRANSITION_APPLIED : CS_TRANSITION_STALE;
      }
      for (size_t i = 0; i < b->job_count; ++i) {
        res->job_results[i] = cs_enqueue_result{out.jobs[i].id, out.jobs[i].duplicate ? 1 : 0, 0};
      }
    });
  }
  static cs_status append_logs(void* inst, const cs_log_row* rows, size_t count,
                               cs_error* err) noexcept {
    return guarded(err, [&] { static_cast<T*>(inst)->append_logs(from_c_array(rows, count)); });
  }
  static cs_status query_logs(void* inst, const cs_log_query* q, cs_log_visitor visit, void* ctx,
                              cs_error* err) noexcept {
    return guarded(err, [&] {
      LogQuery query{static_cast<cs_log_level>(q->min_level), view(q->request_id), q->since_ms,
                     q->after_id, q->limit};
      static_cast<T*>(inst)->query_logs(query, LogVisitor(visit, ctx));
    });
  }
  static cs_status delete_logs_before(void* inst, int64_t before_ms, int64_t* deleted,
                                      cs_error* err) noexcept {
    return guarded(err, [&] { *deleted = static_cast<T*>(inst)->delete_logs_before(before_ms); });
  }
  static cs_status read_cursor(void* inst, cs_str name, cs_str_visitor visit, void* ctx,
                               int32_t* found, cs_error* err) noexcept {
    return guarded(err, [&] {
      *found = static_cast<T*>(inst)->read_cursor(view(name),
                                                  [&](std::string_view v) { visit(ctx, str(v)); })
                   ? 1
                   : 0;
    });
  }
  static cs_status read_records(void* inst, const cs_record_query* q, cs_record_visitor visit,
                                void* ctx, cs_error* err) noexcept {
    return guarded(err, [&] {
      RecordQuery query{q->kind, view(q->key), view(q->parent_key), view(q->after_key), q->limit};
      static_cast<T*>(inst)->read_records(query, RecordVisitor(visit, ctx));
    });
  }
  static cs_status query_quarantine(void* inst, const cs_quarantine_query* q,
                                    cs_quarantine_visitor visit, void* ctx,
                                    cs_error* err) noexcept {
    return guarded(err, [&] {
      QuarantineQuery query{q->newest_first != 0, view(q->source), view(q->job_type),
                            q->before_id,         q->after_id,     q->limit};
      static_cast<T*>(inst)->query_quarantine(query, QuarantineVisitor(visit, ctx));
    });
  }
  static cs_status read_cursor_entry(void* inst, cs_str name, cs_cursor_visitor visit, void* ctx,
                                     int32_t* found, cs_error* err) noexcept {
    return guarded(err, [&] {
      *found = static_cast<T*>(inst)->read_cursor_entry(
                   view(name), [&](std::string_view v, int64_t at) { visit(ctx, str(v), at); })
                   ? 1
                   : 0;
    });
  }
  static cs_status wait_for_jobs(void* inst, int64_t timeout_ms, int32_t* woken,
                                 cs_error* err) noexcept {
    if constexpr (HasWaitForJobs<T>) {
      return guarded(err,
                     [&] { *woken = static_cast<T*>(inst)->wait_for_jobs(timeout_ms) ? 1 : 0; });
    } else {
      (void)inst, (void)timeout_ms, (void)woken, (void)err;
      return CS_PERMANENT;
    }
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
      static const cs_storage_vtable v{sizeof(cs_storage_vtable),
                                       &Tr::migrate,
                                       &Tr::enqueue,
                                       &Tr::claim,
                                       &Tr::heartbeat,
                                       &Tr::transition,
                                       &Tr::retry_failed,
                                       &Tr::rescue_expired,
                                       &Tr::stats,
                                       &Tr::list_jobs,
                                       &Tr::write_batch,
                                       &Tr::append_logs,
                                       &Tr::query_logs,
                                       &Tr::delete_logs_before,
                                       &Tr::read_cursor,
                                       &Tr::read_records,
                                       &Tr::query_quarantine,
                                       &Tr::read_cursor_entry,
                                       detail::HasWaitForJobs<T> ? &Tr::wait_for_jobs : nullptr};
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
