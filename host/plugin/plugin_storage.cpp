#include "plugin/plugin_storage.hpp"

#include <cstddef>
#include <exception>

#include "plugin/call_error.hpp"

namespace cardsync::plugin {
namespace {

using sdk::str;
using sdk::view;

cs_job_spec to_c(const sdk::JobSpec& s) {
  return cs_job_spec{sizeof(cs_job_spec), s.max_attempts,    str(s.type), str(s.key),
                     str(s.payload),      str(s.request_id), s.run_at_ms};
}
cs_transition to_c(const sdk::Transition& t) {
  return cs_transition{sizeof(cs_transition),
                       static_cast<uint32_t>(t.action),
                       t.job_id,
                       str(t.lease_token),
                       str(t.cursor),
                       t.run_at_ms,
                       str(t.error_message),
                       t.http_status,
                       0,
                       str(t.request_id),
                       t.now_ms};
}
cs_stored_record to_c(const sdk::StoredRecord& r) {
  return cs_stored_record{sizeof(cs_stored_record),
                          r.kind,
                          str(r.key),
                          str(r.parent_key),
                          str(r.source),
                          str(r.core_json),
                          str(r.raw_json),
                          str(r.content_hash)};
}
cs_cursor_update to_c(const sdk::CursorUpdate& c) {
  return cs_cursor_update{sizeof(cs_cursor_update), 0, str(c.name), str(c.value)};
}
cs_quarantine_item to_c(const sdk::QuarantineItem& q) {
  return cs_quarantine_item{sizeof(cs_quarantine_item),
                            q.at_ms,
                            str(q.source),
                            str(q.job_type),
                            str(q.job_key),
                            str(q.reason),
                            str(q.json_path),
                            str(q.raw_item),
                            str(q.request_id)};
}
template <class T>
auto to_c_array(const std::vector<T>& items) {
  std::vector<decltype(to_c(items.front()))> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(to_c(item));
  return out;
}

// Reads the members a plugin's struct_size says it filled; the rest keep their defaults.
template <class C>
bool has(const C* row, size_t offset_end) {
  return row->struct_size >= offset_end;
}

sdk::JobRow from_c(const cs_job_row* r) {
  sdk::JobRow row;
  row.id = r->id;
  row.state = static_cast<sdk::JobState>(r->state);
  row.type = view(r->type);
  row.key = view(r->key);
  row.payload = view(r->payload);
  row.cursor = view(r->cursor);
  row.request_id = view(r->request_id);
  row.attempts = r->attempts;
  row.max_attempts = r->max_attempts;
  row.run_at_ms = r->run_at_ms;
  row.created_at_ms = r->created_at_ms;
  row.updated_at_ms = r->updated_at_ms;
  row.lease_owner = view(r->lease_owner);
  row.lease_token = view(r->lease_token);
  row.lease_until_ms = r->lease_until_ms;
  if (has(r, offsetof(cs_job_row, error_count) + sizeof(size_t))) {
    for (size_t i = 0; i < r->error_count; ++i) {
      const cs_job_error& e = sdk::element(r->errors, i);
      row.errors.push_back(
          sdk::JobError{e.attempt, e.at_ms, e.http_status, view(e.message), view(e.request_id)});
    }
  }
  return row;
}

// Carries a host callback through a C visitor and parks its exception.
template <class Fn>
struct VisitContext {
  Fn& fn;
  std::exception_ptr error;
};

template <class Fn, class CRow>
int visit_trampoline(void* ctx, const CRow* row) {
  auto* c = static_cast<VisitContext<Fn>*>(ctx);
  try {
    return c->fn(row) ? 0 : 1;
  } catch (...) {
    c->error = std::current_exception();
    return 1;
  }
}

}  // namespace

PluginStorage::PluginStorage(std::shared_ptr<Instance> instance)
    : instance_(std::move(instance)), vt_(instance_->library().storage()) {
  const auto& lib = instance_->library();
  if (vt_ == nullptr) {
    throw PluginError(std::string(lib.name()) + " (" + lib.path().string() +
                      ") is not a storage plugin");
  }
  constexpr size_t kNeeded = offsetof(cs_storage_vtable, read_cursor) + sizeof(void*);
  if (vt_->struct_size < kNeeded) {
    throw PluginError("storage plugin '" + std::string(lib.name()) + "' (" + lib.path().string() +
                      ") offers " + std::to_string(vt_->struct_size) +
                      " bytes of storage vtable, " + "this host needs " + std::to_string(kNeeded) +
                      "; rebuild the plugin against this cardsync-sdk");
  }
}

void PluginStorage::check(cs_status status, const cs_error& err, std::string_view op) const {
  if (status == CS_OK) return;
  std::string message = "storage '" + std::string(instance_->library().name()) + "' " +
                        std::string(op) + ": " + describe_failure(status, err);
  if (status == CS_FATAL) {
    std::lock_guard lock(unusable_mu_);
    if (!unusable_) unusable_ = message;
  }
  throw queue::StorageError(status, message);
}

std::optional<std::string> PluginStorage::unusable() const {
  std::lock_guard lock(unusable_mu_);
  return unusable_;
}

void PluginStorage::migrate() {
  cs_error err;
  check(vt_->migrate(instance_->handle(), &err), err, "migrate");
}

std::vector<sdk::EnqueueResult> PluginStorage::enqueue(const std::vector<sdk::JobSpec>& specs,
                                                       int64_t now_ms) {
  auto c = to_c_array(specs);
  std::vector<cs_enqueue_result> results(specs.size());
  cs_error err;
  check(vt_->enqueue(instance_->handle(), c.data(), c.size(), now_ms, results.data(), &err), err,
        "enqueue");
  std::vector<sdk::EnqueueResult> out;
  out.reserve(results.size());
  for (const auto& r : results) out.push_back(sdk::EnqueueResult{r.id, r.duplicate != 0});
  return out;
}

std::vector<queue::StoredJob> PluginStorage::claim(const sdk::ClaimRequest& request) {
  std::vector<cs_str> types;
  types.reserve(request.types.size());
  for (auto t : request.types) types.push_back(str(t));
  cs_claim_request req{sizeof(cs_claim_request),
                       request.max_jobs,
                       str(request.owner),
                       str(request.lease_token),
                       request.now_ms,
                       request.lease_until_ms,
                       types.empty() ? nullptr : types.data(),
                       types.size()};
  std::vector<queue::StoredJob> out;
  auto fn = [&](const cs_job_row* row) {
    out.push_back(queue::StoredJob::from(from_c(row)));
    return true;
  };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  cs_status st = vt_->claim(instance_->handle(), &req, &visit_trampoline<decltype(fn), cs_job_row>,
                            &ctx, &err);
  check(st, err, "claim");
  if (ctx.error) std::rethrow_exception(ctx.error);
  return out;
}

bool PluginStorage::heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                              int64_t now_ms) {
  int32_t applied = 0;
  cs_error err;
  check(vt_->heartbeat(instance_->handle(), job_id, str(lease_token), lease_until_ms, now_ms,
                       &applied, &err),
        err, "heartbeat");
  return applied != 0;
}

std::vector<bool> PluginStorage::transition(const std::vector<sdk::Transition>& transitions) {
  auto c = to_c_array(transitions);
  std::vector<int32_t> outcomes(c.size(), CS_TRANSITION_STALE);
  cs_error err;
  check(vt_->transition(instance_->handle(), c.data(), c.size(), outcomes.data(), &err), err,
        "transition");
  std::vector<bool> out;
  out.reserve(outcomes.size());
  for (int32_t o : outcomes) out.push_back(o == CS_TRANSITION_APPLIED);
  return out;
}

sdk::Storage::RetryFailedResult PluginStorage::retry_failed(int64_t job_id, std::string_view type,
                                                            int64_t now_ms) {
  sdk::Storage::RetryFailedResult r;
  cs_error err;
  check(vt_->retry_failed(instance_->handle(), job_id, str(type), now_ms, &r.requeued, &r.skipped,
                          &err),
        err, "retry_failed");
  return r;
}

sdk::Storage::RescueResult PluginStorage::rescue_expired(int64_t now_ms) {
  sdk::Storage::RescueResult r;
  cs_error err;
  check(vt_->rescue_expired(instance_->handle(), now_ms, &r.requeued, &r.failed, &err), err,
        "rescue_expired");
  return r;
}

std::vector<queue::StatCount> PluginStorage::stats() {
  std::vector<queue::StatCount> out;
  auto fn = [&](const cs_stat_row* row) {
    out.push_back(queue::StatCount{std::string(view(row->type)),
                                   static_cast<sdk::JobState>(row->state), row->count,
                                   row->next_run_at_ms});
    return true;
  };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  check(vt_->stats(instance_->handle(), &visit_trampoline<decltype(fn), cs_stat_row>, &ctx, &err),
        err, "stats");
  if (ctx.error) std::rethrow_exception(ctx.error);
  return out;
}

void PluginStorage::list_jobs(const sdk::JobQuery& query,
                              const std::function<bool(const sdk::JobRow&)>& visit) {
  cs_job_query q{sizeof(cs_job_query),
                 query.state,
                 str(query.type),
                 query.after_id,
                 query.limit,
                 query.with_errors ? 1 : 0,
                 0};
  auto fn = [&](const cs_job_row* row) { return visit(from_c(row)); };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  check(vt_->list_jobs(instance_->handle(), &q, &visit_trampoline<decltype(fn), cs_job_row>, &ctx,
                       &err),
        err, "list_jobs");
  if (ctx.error) std::rethrow_exception(ctx.error);
}

sdk::WriteResult PluginStorage::write_batch(const sdk::WriteBatch& batch) {
  auto records = to_c_array(batch.records);
  auto transitions = to_c_array(batch.transitions);
  auto cursors = to_c_array(batch.cursors);
  auto quarantine = to_c_array(batch.quarantine);
  auto jobs = to_c_array(batch.jobs);
  cs_write_batch b{sizeof(cs_write_batch), batch.now_ms,       records.data(), records.size(),
                   transitions.data(),     transitions.size(), cursors.data(), cursors.size(),
                   quarantine.data(),      quarantine.size(),  jobs.data(),    jobs.size()};
  std::vector<int32_t> outcomes(transitions.size(), CS_TRANSITION_STALE);
  std::vector<cs_enqueue_result> job_results(jobs.size());
  cs_write_result res{};
  res.struct_size = sizeof(cs_write_result);
  res.transition_outcomes = outcomes.data();
  res.job_results = job_results.data();
  cs_error err;
  check(vt_->write_batch(instance_->handle(), &b, &res, &err), err, "write_batch");
  sdk::WriteResult out;
  for (size_t k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
    out.counts.inserted[k] = res.inserted[k];
    out.counts.updated[k] = res.updated[k];
    out.counts.unchanged[k] = res.unchanged[k];
    out.counts.rejected[k] = res.rejected[k];
  }
  out.transition_applied.reserve(outcomes.size());
  for (int32_t o : outcomes) out.transition_applied.push_back(o == CS_TRANSITION_APPLIED);
  out.jobs.reserve(job_results.size());
  for (const auto& r : job_results) out.jobs.push_back(sdk::EnqueueResult{r.id, r.duplicate != 0});
  return out;
}

void PluginStorage::append_logs(const std::vector<sdk::LogRow>& rows) {
  std::vector<cs_log_row> c;
  c.reserve(rows.size());
  for (const auto& r : rows) {
    c.push_back(cs_log_row{sizeof(cs_log_row), static_cast<uint32_t>(r.level), 0, r.ts_ms,
                           str(r.request_id), str(r.message), str(r.fields_json)});
  }
  cs_error err;
  check(vt_->append_logs(instance_->handle(), c.data(), c.size(), &err), err, "append_logs");
}

std::vector<queue::StoredLog> PluginStorage::query_logs(const sdk::LogQuery& query) {
  cs_log_query q{sizeof(cs_log_query),  static_cast<uint32_t>(query.min_level),
                 str(query.request_id), query.since_ms,
                 query.after_id,        query.limit};
  std::vector<queue::StoredLog> out;
  auto fn = [&](const cs_log_row* row) {
    out.push_back(queue::StoredLog{row->id, static_cast<cs_log_level>(row->level), row->ts_ms,
                                   std::string(view(row->request_id)),
                                   std::string(view(row->message)),
                                   std::string(view(row->fields_json))});
    return true;
  };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  check(vt_->query_logs(instance_->handle(), &q, &visit_trampoline<decltype(fn), cs_log_row>, &ctx,
                        &err),
        err, "query_logs");
  if (ctx.error) std::rethrow_exception(ctx.error);
  return out;
}

int64_t PluginStorage::delete_logs_before(int64_t before_ms) {
  int64_t deleted = 0;
  cs_error err;
  check(vt_->delete_logs_before(instance_->handle(), before_ms, &deleted, &err), err,
        "delete_logs_before");
  return deleted;
}

std::optional<std::string> PluginStorage::read_cursor(std::string_view name) {
  std::string value;
  int32_t found = 0;
  cs_error err;
  check(vt_->read_cursor(
            instance_->handle(), str(name),
            [](void* ctx, cs_str v) {
              try {
                static_cast<std::string*>(ctx)->assign(view(v));
              } catch (...) {  // NOLINT(bugprone-empty-catch): never unwind into the plugin
              }
            },
            &value, &found, &err),
        err, "read_cursor");
  if (found == 0) return std::nullopt;
  return value;
}

void PluginStorage::require(size_t member_end, const void* fn, std::string_view op) const {
  if (vt_->struct_size >= member_end && fn != nullptr) return;
  const auto& lib = instance_->library();
  throw queue::StorageError(CS_PERMANENT,
                            "storage '" + std::string(lib.name()) + "' " + std::string(op) +
                                ": not supported by this plugin (built against an SDK "
                                "before ABI 1.1; rebuild it against this cardsync-sdk)");
}

#define CARDSYNC_VT_END(member) (offsetof(cs_storage_vtable, member) + sizeof(void*))

std::vector<queue::StoredRecordRow> PluginStorage::read_records(const sdk::RecordQuery& query) {
  require(CARDSYNC_VT_END(read_records), reinterpret_cast<const void*>(vt_->read_records),
          "read_records");
  cs_record_query q{sizeof(cs_record_query), query.kind,           str(query.key),
                    str(query.parent_key),   str(query.after_key), query.limit};
  std::vector<queue::StoredRecordRow> out;
  auto fn = [&](const cs_record_row* r) {
    out.push_back(
        queue::StoredRecordRow{r->kind, std::string(view(r->key)), std::string(view(r->parent_key)),
                               std::string(view(r->source)), std::string(view(r->core_json)),
                               std::string(view(r->raw_json)), std::string(view(r->content_hash)),
                               r->version, r->created_at_ms, r->updated_at_ms});
    return true;
  };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  check(vt_->read_records(instance_->handle(), &q, &visit_trampoline<decltype(fn), cs_record_row>,
                          &ctx, &err),
        err, "read_records");
  if (ctx.error) std::rethrow_exception(ctx.error);
  return out;
}

std::vector<queue::StoredQuarantine> PluginStorage::query_quarantine(
    const sdk::QuarantineQuery& query) {
  require(CARDSYNC_VT_END(query_quarantine), reinterpret_cast<const void*>(vt_->query_quarantine),
          "query_quarantine");
  cs_quarantine_query q{sizeof(cs_quarantine_query),
                        query.newest_first ? 1 : 0,
                        str(query.source),
                        str(query.job_type),
                        query.before_id,
                        query.after_id,
                        query.limit};
  std::vector<queue::StoredQuarantine> out;
  auto fn = [&](const cs_quarantine_row* r) {
    const cs_quarantine_item& i = r->item;
    out.push_back(queue::StoredQuarantine{
        r->id, i.at_ms, std::string(view(i.source)), std::string(view(i.job_type)),
        std::string(view(i.job_key)), std::string(view(i.reason)), std::string(view(i.json_path)),
        std::string(view(i.raw_item)), std::string(view(i.request_id))});
    return true;
  };
  VisitContext<decltype(fn)> ctx{fn, nullptr};
  cs_error err;
  check(vt_->query_quarantine(instance_->handle(), &q,
                              &visit_trampoline<decltype(fn), cs_quarantine_row>, &ctx, &err),
        err, "query_quarantine");
  if (ctx.error) std::rethrow_exception(ctx.error);
  return out;
}

std::optional<queue::StoredCursor> PluginStorage::read_cursor_entry(std::string_view name) {
  require(CARDSYNC_VT_END(read_cursor_entry), reinterpret_cast<const void*>(vt_->read_cursor_entry),
          "read_cursor_entry");
  queue::StoredCursor entry;
  int32_t found = 0;
  cs_error err;
  check(vt_->read_cursor_entry(
            instance_->handle(), str(name),
            [](void* ctx, cs_str v, int64_t at) {
              try {
                auto* e = static_cast<queue::StoredCursor*>(ctx);
                e->value.assign(view(v));
                e->updated_at_ms = at;
              } catch (...) {  // NOLINT(bugprone-empty-catch): never unwind into the plugin
              }
            },
            &entry, &found, &err),
        err, "read_cursor_entry");
  if (found == 0) return std::nullopt;
  return entry;
}

bool PluginStorage::notifies_jobs() const {
  return vt_->struct_size >= CARDSYNC_VT_END(wait_for_jobs) && vt_->wait_for_jobs != nullptr;
}

bool PluginStorage::wait_for_jobs(int64_t timeout_ms) {
  if (!notifies_jobs()) return false;
  int32_t woken = 0;
  cs_error err;
  check(vt_->wait_for_jobs(instance_->handle(), timeout_ms, &woken, &err), err, "wait_for_jobs");
  return woken != 0;
}

#undef CARDSYNC_VT_END

}  // namespace cardsync::plugin
