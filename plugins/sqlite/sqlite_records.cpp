// The write batch and what it writes: catalog records, quarantine and sync cursors, with their
// follow-up jobs and transitions in the same transaction; and the reads of each.

#include <string>
#include <vector>

#include <cardsync/record_batch.hpp>

#include "sqlite_queue_writes.hpp"
#include "sqlite_sql.hpp"
#include "sqlite_storage.hpp"

namespace cardsync::sqlite {

void SqliteStorage::write_batch(const WriteBatch& batch, WriteResult& out) {
  // Collapse duplicate keys first: the last record of a (kind, key) is the one written, and
  // the counts describe rows, not submissions.
  std::vector<size_t> order = sdk::collapse_records(batch.records, sql::kUpsert.size(), out.counts);

  std::lock_guard lock(write_mu_);
  Connection& conn = *writer_;
  WriteTransaction tx(conn);
  sdk::WriteCounts counts;
  for (size_t i : order) {
    const sdk::StoredRecord& r = batch.records[i];
    auto kind = static_cast<size_t>(r.kind);
    Statement st = conn.prepare(sql::kUpsert[kind]);
    st.bind(1, r.key);
    st.bind(2, r.parent_key);
    st.bind(3, r.source);
    st.bind(4, r.core_json);
    st.bind(5, r.raw_json);
    st.bind(6, r.content_hash);
    st.bind(7, batch.now_ms);
    // Rowids start at 1, so 0 marks "no insert happened in this step".
    sqlite3_set_last_insert_rowid(conn.handle(), 0);
    if (st.run() == 0) {
      counts.unchanged[kind] += 1;
    } else if (sqlite3_last_insert_rowid(conn.handle()) != 0) {
      counts.inserted[kind] += 1;
    } else {
      counts.updated[kind] += 1;
    }
  }
  for (const sdk::QuarantineItem& q : batch.quarantine) {
    Statement st = conn.prepare(sql::kQuarantine);
    st.bind(1, q.at_ms);
    st.bind(2, q.source);
    st.bind(3, q.job_type);
    st.bind(4, q.job_key);
    st.bind(5, q.reason);
    st.bind(6, q.json_path);
    st.bind(7, q.raw_item);
    st.bind(8, q.request_id);
    st.run();
  }
  for (const sdk::CursorUpdate& c : batch.cursors) {
    if (c.name.empty()) throw sdk::Permanent("write_batch: a sync cursor has an empty name");
    Statement st = conn.prepare(sql::kCursorUpsert);
    st.bind(1, c.name);
    st.bind(2, c.value);
    st.bind(3, batch.now_ms);
    st.run();
  }
  enqueue_in(conn, batch.jobs, batch.now_ms, out.jobs);
  for (size_t i = 0; i < batch.transitions.size(); ++i) {
    out.transition_applied[i] = transition_in(conn, batch.transitions[i]);
  }
  tx.commit();
  for (size_t k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
    out.counts.inserted[k] = counts.inserted[k];
    out.counts.updated[k] = counts.updated[k];
    out.counts.unchanged[k] = counts.unchanged[k];
  }
}

bool SqliteStorage::read_cursor(std::string_view name,
                                const std::function<void(std::string_view)>& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(sql::kCursorRead);
  st.bind(1, name);
  if (!st.step()) return false;
  visit(st.text(0));
  return true;
}

bool SqliteStorage::read_cursor_entry(std::string_view name,
                                      const std::function<void(std::string_view, int64_t)>& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(sql::kCursorEntryRead);
  st.bind(1, name);
  if (!st.step()) return false;
  visit(st.text(0), st.integer(1));
  return true;
}

void SqliteStorage::read_records(const RecordQuery& query, const sdk::RecordVisitor& visit) {
  if (query.kind == 0 || query.kind >= sql::kRecordReads.size()) {
    throw sdk::Permanent("read_records: unknown record kind " + std::to_string(query.kind));
  }
  size_t selector = !query.key.empty() ? 0 : !query.parent_key.empty() ? 1 : 2;
  ReadLease conn(*this);
  Statement st = (*conn).prepare(sql::kRecordReads[query.kind][selector]);
  st.bind(1, query.key);
  st.bind(2, query.parent_key);
  st.bind(3, query.after_key);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  while (st.step()) {
    sdk::RecordRow row{query.kind, st.text(0), st.text(1),    st.text(2),    st.text(3),
                       st.text(4), st.text(5), st.integer(6), st.integer(7), st.integer(8)};
    if (!visit(row)) break;
  }
}

void SqliteStorage::query_quarantine(const QuarantineQuery& query,
                                     const sdk::QuarantineVisitor& visit) {
  ReadLease conn(*this);
  Statement st =
      (*conn).prepare(query.newest_first ? sql::kQuarantineNewestFirst : sql::kQuarantineAscending);
  st.bind(1, query.source);
  st.bind(2, query.job_type);
  st.bind(3, query.newest_first ? query.before_id : query.after_id);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  while (st.step()) {
    sdk::QuarantineRow row{st.integer(0),
                           sdk::QuarantineItem{st.integer(1), st.text(2), st.text(3), st.text(4),
                                               st.text(5), st.text(6), st.text(7), st.text(8)}};
    if (!visit(row)) break;
  }
}

}  // namespace cardsync::sqlite
