#pragma once
// cardsync SDK, storage vocabulary: C++ views of the storage structs of abi.h, the visitors
// that hand rows back across the boundary, and the conversions from the C structs. The host
// uses them too (through its storage client), so both sides speak one vocabulary.

#include <cardsync/marshalling.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::sdk {

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

}  // namespace cardsync::sdk
