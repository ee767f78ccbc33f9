#pragma once
// cardsync SDK, storage side: the Storage base class a storage plugin derives from, and the
// trampolines that carry the C vtable's calls to it. Header-only; plugins include sdk.hpp.

#include <cardsync/marshalling.hpp>
#include <cardsync/storage_types.hpp>

#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::sdk {

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

namespace detail {

template <class T>
concept HasWaitForJobs = requires(T& t, int64_t ms) {
  { t.wait_for_jobs(ms) } -> std::convertible_to<bool>;
};

template <class T>
struct StorageTrampolines {
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

  static const cs_storage_vtable* vtable() noexcept {
    static const cs_storage_vtable v{sizeof(cs_storage_vtable),
                                     &migrate,
                                     &enqueue,
                                     &claim,
                                     &heartbeat,
                                     &transition,
                                     &retry_failed,
                                     &rescue_expired,
                                     &stats,
                                     &list_jobs,
                                     &write_batch,
                                     &append_logs,
                                     &query_logs,
                                     &delete_logs_before,
                                     &read_cursor,
                                     &read_records,
                                     &query_quarantine,
                                     &read_cursor_entry,
                                     HasWaitForJobs<T> ? &wait_for_jobs : nullptr};
    return &v;
  }
};

}  // namespace detail
}  // namespace cardsync::sdk
