// The write batch and what it writes: catalog records, quarantine and sync cursors, with their
// follow-up jobs and transitions in the same transaction; and the reads of each.

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <cardsync/record_batch.hpp>

#include "postgres_copy.hpp"
#include "postgres_queue_writes.hpp"
#include "postgres_sql.hpp"
#include "postgres_storage.hpp"

namespace cardsync::postgres {

namespace {

// Bytes of record data per key-check or UPDATE statement: bounds what one statement makes the
// server hold in memory, and large enough that per-statement costs do not show.
constexpr size_t kStatementBytes = size_t{8} << 20;

// The next run of `rows` from `begin` whose data (as `size` counts it) stays within
// kStatementBytes; at least one row.
template <class Size>
size_t chunk_end(const std::vector<size_t>& rows, size_t begin, Size size) {
  size_t bytes = 0;
  size_t end = begin;
  while (end < rows.size() && (end == begin || bytes + size(rows[end]) <= kStatementBytes)) {
    bytes += size(rows[end]);
    ++end;
  }
  return end;
}

// Copies new records of one kind straight into its table.
void copy_new(Connection& conn, size_t kind, const std::vector<sdk::StoredRecord>& records,
              const std::vector<size_t>& rows, int64_t now_ms) {
  conn.copy_in(sql::kCopyNew[kind], [&](Connection::CopySink& sink) {
    BinaryCopyWriter w(sink);
    for (size_t i : rows) {
      const sdk::StoredRecord& r = records[i];
      w.begin_row(9);
      w.text(r.key);
      w.text(r.parent_key);
      w.text(r.source);
      w.text(r.core_json);
      w.text(r.raw_json);
      w.text(r.content_hash);
      w.int8(1);
      w.int8(now_ms);
      w.int8(now_ms);
    }
    w.finish();
  });
}

// Writes the records at `rows` (all of kind `kind`, collapsed) and counts them; see the
// comment above sql::kStored in postgres_sql.hpp.
void write_kind(Connection& conn, size_t kind, const sdk::WriteBatch& batch,
                const std::vector<size_t>& rows, sdk::WriteCounts& counts) {
  const std::vector<sdk::StoredRecord>& records = batch.records;
  std::vector<size_t> fresh;
  std::vector<size_t> changed;
  std::vector<std::string_view> keys;
  std::unordered_map<std::string_view, size_t> position;  // key -> index in `rows`
  std::vector<char> stored;                               // per row of the chunk
  auto key_size = [&](size_t i) { return records[i].key.size(); };
  for (size_t begin = 0, end = 0; begin < rows.size(); begin = end) {
    end = chunk_end(rows, begin, key_size);
    keys.clear();
    position.clear();
    position.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      keys.push_back(records[rows[i]].key);
      position.emplace(records[rows[i]].key, i);
    }
    stored.assign(end - begin, 0);
    const Result r = conn.exec(sql::kStored[kind], Params().text_array(keys));
    for (int row = 0; row < r.rows(); ++row) {
      auto it = position.find(r.text(row, 0));
      if (it == position.end()) continue;
      const size_t record = rows[it->second];
      stored[it->second - begin] = 1;
      if (r.text(row, 1) != records[record].content_hash) changed.push_back(record);
    }
    for (size_t i = begin; i < end; ++i) {
      if (stored[i - begin] == 0) fresh.push_back(rows[i]);
    }
  }
  if (!fresh.empty()) {
    try {
      copy_new(conn, kind, records, fresh, batch.now_ms);
    } catch (const DatabaseError& e) {
      // Another process inserted one of these keys after the join looked: the whole batch is
      // retried, and then finds that key stored.
      if (e.sqlstate() == "23505") throw sdk::Retry(e.what());
      throw;
    }
    counts.inserted[kind] = static_cast<int64_t>(fresh.size());
  }
  std::array<std::vector<std::string_view>, 6> columns;
  auto record_size = [&](size_t i) {
    const sdk::StoredRecord& r = records[i];
    return r.key.size() + r.parent_key.size() + r.source.size() + r.core_json.size() +
           r.raw_json.size() + r.content_hash.size();
  };
  for (size_t begin = 0, end = 0; begin < changed.size(); begin = end) {
    end = chunk_end(changed, begin, record_size);
    for (auto& column : columns) column.clear();
    for (size_t i = begin; i < end; ++i) {
      const sdk::StoredRecord& r = records[changed[i]];
      columns[0].push_back(r.key);
      columns[1].push_back(r.parent_key);
      columns[2].push_back(r.source);
      columns[3].push_back(r.core_json);
      columns[4].push_back(r.raw_json);
      columns[5].push_back(r.content_hash);
    }
    // Params point into their own storage: built in place, never copied.
    counts.updated[kind] += conn.exec(sql::kUpdate[kind], Params()
                                                              .int8(batch.now_ms)
                                                              .text_array(columns[0])
                                                              .text_array(columns[1])
                                                              .text_array(columns[2])
                                                              .text_array(columns[3])
                                                              .text_array(columns[4])
                                                              .text_array(columns[5]))
                                .affected();
  }
  counts.unchanged[kind] =
      static_cast<int64_t>(rows.size()) - counts.inserted[kind] - counts.updated[kind];
}

}  // namespace

void PostgresStorage::write_batch(const WriteBatch& batch, WriteResult& out) {
  // Collapse duplicate keys first: the last record of a (kind, key) is the one written, and
  // the counts describe rows, not submissions.
  std::vector<size_t> order = sdk::collapse_records(batch.records, sql::kStored.size(), out.counts);
  std::array<std::vector<size_t>, CS_RECORD_KIND_SLOTS> by_kind;
  for (size_t i : order) by_kind[batch.records[i].kind].push_back(i);
  sdk::WriteCounts counts;
  {
    auto conn = pool_.acquire();
    Transaction tx(*conn);
    for (size_t kind = 1; kind < sql::kStored.size(); ++kind) {
      if (!by_kind[kind].empty()) write_kind(*conn, kind, batch, by_kind[kind], counts);
    }
    for (const sdk::QuarantineItem& q : batch.quarantine) {
      conn->exec(sql::kQuarantine, Params()
                                       .int8(q.at_ms)
                                       .text(q.source)
                                       .text(q.job_type)
                                       .text(q.job_key)
                                       .text(q.reason)
                                       .text(q.json_path)
                                       .text(q.raw_item)
                                       .text(q.request_id));
    }
    for (const sdk::CursorUpdate& c : batch.cursors) {
      if (c.name.empty()) throw sdk::Permanent("write_batch: a sync cursor has an empty name");
      conn->exec(sql::kCursorUpsert, Params().text(c.name).text(c.value).int8(batch.now_ms));
    }
    bool wake = enqueue_in(*conn, batch.jobs, batch.now_ms, out.jobs);
    for (size_t i = 0; i < batch.transitions.size(); ++i) {
      TransitionOutcome o = transition_in(*conn, batch.transitions[i]);
      out.transition_applied[i] = o.applied;
      wake = wake || o.requeued;
    }
    if (wake) notify(*conn);
    tx.commit();
  }
  for (size_t k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
    out.counts.inserted[k] = counts.inserted[k];
    out.counts.updated[k] = counts.updated[k];
    out.counts.unchanged[k] = counts.unchanged[k];
  }
}

bool PostgresStorage::read_cursor(std::string_view name,
                                  const std::function<void(std::string_view)>& visit) {
  return read_cursor_entry(name, [&](std::string_view value, int64_t) { visit(value); });
}

bool PostgresStorage::read_cursor_entry(
    std::string_view name, const std::function<void(std::string_view, int64_t)>& visit) {
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(sql::kCursorRead, Params().text(name));
  }
  if (r.rows() == 0) return false;
  visit(r.text(0, 0), r.integer(0, 1));
  return true;
}

void PostgresStorage::read_records(const RecordQuery& query, const sdk::RecordVisitor& visit) {
  if (query.kind == 0 || query.kind >= sql::kRecordReads.size()) {
    throw sdk::Permanent("read_records: unknown record kind " + std::to_string(query.kind));
  }
  const size_t selector = !query.key.empty() ? 0 : !query.parent_key.empty() ? 1 : 2;
  Params p;
  p.text(query.key).text(query.parent_key).text(query.after_key).limit(query.limit);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(sql::kRecordReads[query.kind][selector], p);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::RecordRow row{query.kind,      r.text(i, 0),   r.text(i, 1), r.text(i, 2),
                       r.text(i, 3),    r.text(i, 4),   r.text(i, 5), r.integer(i, 6),
                       r.integer(i, 7), r.integer(i, 8)};
    if (!visit(row)) break;
  }
}

void PostgresStorage::query_quarantine(const QuarantineQuery& query,
                                       const sdk::QuarantineVisitor& visit) {
  Params p;
  p.text(query.source)
      .text(query.job_type)
      .int8(query.newest_first ? query.before_id : query.after_id)
      .limit(query.limit);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(query.newest_first ? sql::kQuarantineNewestFirst : sql::kQuarantineAscending, p);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::QuarantineRow row{
        r.integer(i, 0),
        sdk::QuarantineItem{r.integer(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                            r.text(i, 6), r.text(i, 7), r.text(i, 8)}};
    if (!visit(row)) break;
  }
}

}  // namespace cardsync::postgres
