#include "postgres_storage.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include <cardsync/record_batch.hpp>

#include "postgres_copy.hpp"
#include "postgres_migrations.hpp"

namespace cardsync::postgres {

const char* const PostgresStorage::kConfigSchema = postgres::kConfigSchema;

namespace {

// ---- SQL ----------------------------------------------------------------------------------
// Parameters are typed by the client (text, bigint, text[]), so no statement needs casts.

constexpr const char* kEnqueue =
    "INSERT INTO sync_queue (type, key, payload, state, attempts, max_attempts, run_at_ms,"
    " request_id, created_at_ms, updated_at_ms)"
    " VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $7)"
    " ON CONFLICT (type, key) WHERE state IN ('queued', 'processing') DO NOTHING RETURNING id";
constexpr const char* kLiveJob =
    "SELECT id FROM sync_queue WHERE type = $1 AND key = $2"
    " AND state IN ('queued', 'processing')";

// Oldest due first. SKIP LOCKED lets concurrent claimers (threads or processes) pass over
// each other's rows instead of queueing on them; the UPDATE is the same statement, so the
// choice and the lease are atomic.
constexpr const char* kClaim =
    "WITH picked AS (SELECT id FROM sync_queue WHERE state = 'queued' AND run_at_ms <= $4"
    "  AND ($6::text[] IS NULL OR type = ANY ($6)) ORDER BY run_at_ms, id LIMIT $5"
    "  FOR UPDATE SKIP LOCKED)"
    " UPDATE sync_queue q SET state = 'processing', attempts = q.attempts + 1,"
    " lease_owner = $1, lease_token = $2, lease_until_ms = $3, updated_at_ms = $4"
    " FROM picked WHERE q.id = picked.id"
    " RETURNING q.id, q.type, q.key, q.payload, q.cursor, q.request_id, q.attempts,"
    " q.max_attempts, q.run_at_ms, q.created_at_ms, q.updated_at_ms";

constexpr const char* kHeartbeat =
    "UPDATE sync_queue SET lease_until_ms = $3, updated_at_ms = $4"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";

// Every transition is fenced by (state, lease_token): a rescued and re-claimed job has a new
// token, so the old holder's writes match no row.
constexpr const char* kCheckpoint =
    "UPDATE sync_queue SET cursor = $3, updated_at_ms = $4"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";
constexpr const char* kComplete =
    "UPDATE sync_queue SET state = 'done', cursor = $3, updated_at_ms = $4, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";
constexpr const char* kRequeue =
    "UPDATE sync_queue SET state = 'queued', run_at_ms = $3, updated_at_ms = $4,"
    " attempts = greatest(attempts - $5, 0), lease_owner = NULL, lease_token = NULL,"
    " lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2"
    " RETURNING attempts, request_id";
constexpr const char* kFail =
    "UPDATE sync_queue SET state = 'failed', updated_at_ms = $3, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2"
    " RETURNING attempts, request_id";

// Appends one error and trims the history to the last 20 in one round trip. The job's row
// is locked by the transition in the same transaction, so seq cannot race.
constexpr const char* kAppendError =
    "WITH ins AS (INSERT INTO sync_queue_errors (job_id, seq, attempt, at_ms, message,"
    "  http_status, request_id) VALUES ($1, (SELECT coalesce(max(seq), 0) + 1"
    "  FROM sync_queue_errors WHERE job_id = $1), $2, $3, $4, $5, $6) RETURNING seq)"
    " DELETE FROM sync_queue_errors WHERE job_id = $1 AND seq <= (SELECT seq FROM ins) - 20";

constexpr const char* kRescue =
    "UPDATE sync_queue SET state = CASE WHEN attempts >= max_attempts THEN 'failed'"
    " ELSE 'queued' END, run_at_ms = $1, updated_at_ms = $1, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE state = 'processing' AND lease_until_ms < $1"
    " RETURNING id, attempts, state, request_id";

// A failed job goes back only while its key is free; of several failed twins only the
// newest does (the unique index would refuse a second live one).
constexpr const char* kRetryOne =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = $2, updated_at_ms = $2"
    " WHERE id = $1 AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    " WHERE l.type = sync_queue.type AND l.key = sync_queue.key"
    " AND l.state IN ('queued', 'processing'))";
constexpr const char* kIsFailed = "SELECT 1 FROM sync_queue WHERE id = $1 AND state = 'failed'";
constexpr const char* kCountFailed =
    "SELECT count(*) FROM sync_queue WHERE state = 'failed' AND ($1 = '' OR type = $1)";
constexpr const char* kRetryAll =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = $2, updated_at_ms = $2"
    " WHERE id IN (SELECT max(f.id) FROM sync_queue f WHERE f.state = 'failed'"
    "  AND ($1 = '' OR f.type = $1) AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    "  WHERE l.type = f.type AND l.key = f.key AND l.state IN ('queued', 'processing'))"
    "  GROUP BY f.type, f.key)";

constexpr const char* kStats =
    "SELECT type, state, count(*), min(run_at_ms) FROM sync_queue GROUP BY type, state"
    " ORDER BY type, CASE state WHEN 'queued' THEN 1 WHEN 'processing' THEN 2"
    " WHEN 'done' THEN 3 ELSE 4 END";

constexpr const char* kListJobs =
    "SELECT id, state, type, key, payload, cursor, request_id, attempts, max_attempts,"
    " run_at_ms, created_at_ms, updated_at_ms, coalesce(lease_owner, ''),"
    " coalesce(lease_token, ''), coalesce(lease_until_ms, 0) FROM sync_queue"
    " WHERE id > $1 AND ($2 = '' OR state = $2) AND ($3 = '' OR type = $3)"
    " ORDER BY id LIMIT $4";
constexpr const char* kJobErrors =
    "SELECT job_id, attempt, at_ms, http_status, message, request_id FROM sync_queue_errors"
    " WHERE job_id = ANY ($1) ORDER BY job_id, seq";

constexpr const char* kNotify = "SELECT pg_notify($1, '')";

// Records, per kind, in three steps: (1) the stored hashes of the batch's keys are read by
// one index lookup per key, which says for each record whether it is new, changed or
// unchanged; (2) the new records are copied straight into their table, so inserts take
// COPY's batched path rather than INSERT ... SELECT's row-at-a-time one; (3) the changed
// records are sent as column arrays to one UPDATE that re-checks the hash, so a row another
// writer already brought up to date is not counted twice. Unchanged rows are only read:
// never locked, never rewritten, and their documents are never sent. No temporary staging
// table: truncating one at every commit (ON COMMIT DELETE ROWS rebuilds its TOAST index)
// cost 7 ms per batch. Both statements find rows by `key = ANY (keys)`, never by a join with
// the arrays: a join's plan depends on the table's size when it was planned (a plan cached
// while the table was empty scans all of it for every batch later), an indexed ANY does
// not. Counts: inserted = rows copied in (2), updated = rows the UPDATE changed,
// unchanged = the rest. A concurrent writer inserting the same new key makes the COPY fail
// with a unique violation, reported as transient: the host retries the batch, and the retry
// sees that key as stored. Measurements: README.md.
#define CARDSYNC_STORED(table) \
  "SELECT key, content_hash FROM " table " WHERE key = ANY ($1::text[])"
#define CARDSYNC_COPY_NEW(table)                                           \
  "COPY " table                                                            \
  " (key, parent_key, source, core_json, raw_json, content_hash, version," \
  " created_at_ms, updated_at_ms) FROM STDIN (FORMAT binary)"
#define CARDSYNC_UPDATE(table)                                                                  \
  "UPDATE " table                                                                               \
  " AS t SET parent_key = s.parent_key, source = s.source, core_json = s.core_json::json,"      \
  " raw_json = s.raw_json, content_hash = s.content_hash, version = t.version + 1,"             \
  " updated_at_ms = $1 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]," \
  " $7::text[]) AS s(key, parent_key, source, core_json, raw_json, content_hash)"               \
  " WHERE t.key = ANY ($2::text[]) AND t.key = s.key COLLATE \"C\""                             \
  " AND t.content_hash <> s.content_hash"
#define CARDSYNC_PER_KIND(statement)                                                           \
  {                                                                                            \
    nullptr, statement("games"), statement("sets"), statement("cards"), statement("variants"), \
        statement("graded_certs"), statement("cert_images")                                    \
  }

// Indexed by cs_record_kind.
constexpr std::array<const char*, 7> kStored = CARDSYNC_PER_KIND(CARDSYNC_STORED);
constexpr std::array<const char*, 7> kCopyNew = CARDSYNC_PER_KIND(CARDSYNC_COPY_NEW);
constexpr std::array<const char*, 7> kUpdate = CARDSYNC_PER_KIND(CARDSYNC_UPDATE);
#undef CARDSYNC_STORED
#undef CARDSYNC_COPY_NEW
#undef CARDSYNC_UPDATE
#undef CARDSYNC_PER_KIND

// Bytes of record data per key-check or UPDATE statement: bounds what one statement makes the
// server hold in memory, and large enough that per-statement costs do not show.
constexpr size_t kStatementBytes = size_t{8} << 20;

constexpr const char* kQuarantine =
    "INSERT INTO quarantine (at_ms, source, job_type, job_key, reason, json_path, raw_item,"
    " request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr const char* kCursorUpsert =
    "INSERT INTO sync_cursors (name, value, updated_at_ms) VALUES ($1, $2, $3)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
    " updated_at_ms = excluded.updated_at_ms";
constexpr const char* kCursorRead = "SELECT value, updated_at_ms FROM sync_cursors WHERE name = $1";

// Three statements per record table, one per selector of cs_record_query, so each uses its
// index.
#define CARDSYNC_RECORD_COLUMNS                                                 \
  "SELECT key, parent_key, source, core_json, raw_json, content_hash, version," \
  " created_at_ms, updated_at_ms FROM "
#define CARDSYNC_RECORD_READS(table)                                                               \
  std::array<const char*, 3> {                                                                     \
    CARDSYNC_RECORD_COLUMNS table " WHERE key = $1 AND key > $3 LIMIT $4",                         \
        CARDSYNC_RECORD_COLUMNS table " WHERE parent_key = $2 AND key > $3 ORDER BY key LIMIT $4", \
        CARDSYNC_RECORD_COLUMNS table " WHERE key > $3 ORDER BY key LIMIT $4"                      \
  }
const std::array<std::array<const char*, 3>, 7> kRecordReads = {
    std::array<const char*, 3>{nullptr, nullptr, nullptr},
    CARDSYNC_RECORD_READS("games"),
    CARDSYNC_RECORD_READS("sets"),
    CARDSYNC_RECORD_READS("cards"),
    CARDSYNC_RECORD_READS("variants"),
    CARDSYNC_RECORD_READS("graded_certs"),
    CARDSYNC_RECORD_READS("cert_images")};
#undef CARDSYNC_RECORD_READS
#undef CARDSYNC_RECORD_COLUMNS

#define CARDSYNC_QUARANTINE_READ(order_filter)                                           \
  "SELECT id, at_ms, source, job_type, job_key, reason, json_path, raw_item, request_id" \
  " FROM quarantine WHERE ($1 = '' OR source = $1) AND ($2 = '' OR job_type = $2) "      \
  "AND " order_filter " LIMIT $4"
constexpr const char* kQuarantineAscending = CARDSYNC_QUARANTINE_READ("id > $3 ORDER BY id");
constexpr const char* kQuarantineNewestFirst =
    CARDSYNC_QUARANTINE_READ("($3 = 0 OR id < $3) ORDER BY id DESC");
#undef CARDSYNC_QUARANTINE_READ

// One round trip for any number of log rows; unnest keeps the array order, so ids ascend in
// the order the rows were given.
constexpr const char* kAppendLogs =
    "INSERT INTO logs (ts_ms, level, request_id, message, fields_json)"
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])";
constexpr const char* kQueryLogs =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE id > $1 AND level >= $2 AND ts_ms >= $3 ORDER BY id LIMIT $4";
constexpr const char* kQueryLogsByRequest =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE request_id = $5 AND id > $1 AND level >= $2 AND ts_ms >= $3 ORDER BY id LIMIT $4";
constexpr const char* kDeleteLogs = "DELETE FROM logs WHERE ts_ms < $1";

// ---- helpers --------------------------------------------------------------------------------

std::string_view state_name(uint32_t state) {
  switch (state) {
    case CS_JOB_QUEUED:
      return "queued";
    case CS_JOB_PROCESSING:
      return "processing";
    case CS_JOB_DONE:
      return "done";
    case CS_JOB_FAILED:
      return "failed";
    default:
      return {};
  }
}

sdk::JobState parse_state(std::string_view s) {
  if (s == "queued") return sdk::JobState::queued;
  if (s == "processing") return sdk::JobState::processing;
  if (s == "done") return sdk::JobState::done;
  return sdk::JobState::failed;
}

// LIMIT NULL is LIMIT ALL.
Params& limit(Params& p, int64_t n) {
  return n > 0 ? p.int8(n) : p.null_int8();
}

void append_error(Connection& conn, int64_t job_id, int64_t attempt, int64_t at_ms,
                  std::string_view message, int64_t http_status, std::string_view request_id) {
  conn.exec(kAppendError, Params()
                              .int8(job_id)
                              .int8(attempt)
                              .int8(at_ms)
                              .text(message)
                              .int8(http_status)
                              .text(request_id));
}

// Returns whether any new job was queued (a reason to notify).
bool enqueue_in(Connection& conn, const std::vector<sdk::JobSpec>& specs, int64_t now_ms,
                std::vector<sdk::EnqueueResult>& out) {
  bool queued = false;
  for (size_t i = 0; i < specs.size(); ++i) {
    const sdk::JobSpec& s = specs[i];
    if (s.max_attempts < 1) {
      throw sdk::Permanent("job " + std::string(s.type) + "/" + std::string(s.key) +
                           ": max_attempts must be at least 1");
    }
    // The partial unique index decides: never check-then-insert. A conflicting insert of
    // another transaction in flight makes this one wait for its outcome.
    Result ins = conn.exec(kEnqueue, Params()
                                         .text(s.type)
                                         .text(s.key)
                                         .text(s.payload)
                                         .int8(s.max_attempts)
                                         .int8(s.run_at_ms)
                                         .text(s.request_id)
                                         .int8(now_ms));
    if (ins.rows() == 1) {
      out[i] = sdk::EnqueueResult{ins.integer(0, 0), false};
      queued = true;
      continue;
    }
    Result live = conn.exec(kLiveJob, Params().text(s.type).text(s.key));
    if (live.rows() == 0) {
      // The holder finished between the two statements: the host retries the call.
      throw sdk::Retry("enqueue of " + std::string(s.type) + "/" + std::string(s.key) +
                       " conflicted but no live job holds the key");
    }
    out[i] = sdk::EnqueueResult{live.integer(0, 0), true};
  }
  return queued;
}

struct TransitionOutcome {
  bool applied = false;
  bool requeued = false;
};

TransitionOutcome transition_in(Connection& conn, const sdk::Transition& t) {
  using sdk::Action;
  switch (t.action) {
    case Action::checkpoint:
    case Action::complete: {
      Result r =
          conn.exec(t.action == Action::checkpoint ? kCheckpoint : kComplete,
                    Params().int8(t.job_id).text(t.lease_token).text(t.cursor).int8(t.now_ms));
      return {r.affected() == 1, false};
    }
    case Action::retry:
    case Action::snooze:
    case Action::fail: {
      Params p;
      p.int8(t.job_id).text(t.lease_token);
      if (t.action == Action::fail) {
        p.int8(t.now_ms);
      } else {
        p.int8(t.run_at_ms).int8(t.now_ms).int8(t.action == Action::snooze ? 1 : 0);
      }
      Result r = conn.exec(t.action == Action::fail ? kFail : kRequeue, p);
      if (r.rows() == 0) return {};
      const int64_t attempts = r.integer(0, 0);
      if (!t.error_message.empty()) {
        // A snooze refunded the attempt it interrupted; the history still names it.
        const int64_t attempt = t.action == Action::snooze ? attempts + 1 : attempts;
        append_error(conn, t.job_id, attempt, t.now_ms, t.error_message, t.http_status,
                     t.request_id.empty() ? r.text(0, 1) : t.request_id);
      }
      return {true, t.action != Action::fail};
    }
  }
  throw sdk::Permanent("unknown transition action " +
                       std::to_string(static_cast<uint32_t>(t.action)));
}

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
  conn.copy_in(kCopyNew[kind], [&](Connection::CopySink& sink) {
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
// comment above kStored.
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
    const Result r = conn.exec(kStored[kind], Params().text_array(keys));
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
    counts.updated[kind] += conn.exec(kUpdate[kind], Params()
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

// ---- operations -----------------------------------------------------------------------------

PostgresStorage::PostgresStorage(const rapidjson::Value& config)
    : options_(parse_options(config)),
      channel_(job_channel(options_.connection.schema)),
      pool_(options_.connection, options_.pool_size),
      listener_(options_.connection, channel_) {}

void PostgresStorage::notify(Connection& conn) const {
  conn.exec(kNotify, Params().text(channel_));
}

void PostgresStorage::migrate() {
  auto conn = pool_.acquire();
  postgres::migrate(*conn, options_.connection.schema);
}

void PostgresStorage::enqueue(const std::vector<JobSpec>& specs, int64_t now_ms,
                              std::vector<EnqueueResult>& out) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  if (enqueue_in(*conn, specs, now_ms, out)) notify(*conn);
  tx.commit();
}

void PostgresStorage::claim(const ClaimRequest& request, const sdk::JobVisitor& visit) {
  if (request.max_jobs < 1) throw sdk::Permanent("claim: max_jobs must be at least 1");
  if (request.lease_token.empty()) throw sdk::Permanent("claim: the lease token is empty");
  Params p;
  p.text(request.owner)
      .text(request.lease_token)
      .int8(request.lease_until_ms)
      .int8(request.now_ms)
      .int8(request.max_jobs);
  if (request.types.empty()) {
    p.null_text_array();
  } else {
    p.text_array(request.types);
  }
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(kClaim, p);
  }
  // RETURNING follows no order: hand the jobs over oldest due first, as they were chosen.
  std::vector<int> rows(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows[static_cast<size_t>(i)] = i;
  std::sort(rows.begin(), rows.end(), [&](int a, int b) {
    return std::pair(r.integer(a, 8), r.integer(a, 0)) <
           std::pair(r.integer(b, 8), r.integer(b, 0));
  });
  for (int i : rows) {
    sdk::JobRow row;
    row.id = r.integer(i, 0);
    row.state = sdk::JobState::processing;
    row.type = r.text(i, 1);
    row.key = r.text(i, 2);
    row.payload = r.text(i, 3);
    row.cursor = r.text(i, 4);
    row.request_id = r.text(i, 5);
    row.attempts = static_cast<int>(r.integer(i, 6));
    row.max_attempts = static_cast<int>(r.integer(i, 7));
    row.run_at_ms = r.integer(i, 8);
    row.created_at_ms = r.integer(i, 9);
    row.updated_at_ms = r.integer(i, 10);
    row.lease_owner = request.owner;
    row.lease_token = request.lease_token;
    row.lease_until_ms = request.lease_until_ms;
    // Every claimed job is visited: the leases are taken whether or not the host stops.
    visit(row);
  }
}

bool PostgresStorage::heartbeat(int64_t job_id, std::string_view lease_token,
                                int64_t lease_until_ms, int64_t now_ms) {
  auto conn = pool_.acquire();
  return conn->exec(kHeartbeat,
                    Params().int8(job_id).text(lease_token).int8(lease_until_ms).int8(now_ms))
             .affected() == 1;
}

void PostgresStorage::transition(const std::vector<Transition>& transitions,
                                 std::vector<bool>& applied) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  bool requeued = false;
  for (size_t i = 0; i < transitions.size(); ++i) {
    TransitionOutcome o = transition_in(*conn, transitions[i]);
    applied[i] = o.applied;
    requeued = requeued || o.requeued;
  }
  if (requeued) notify(*conn);
  tx.commit();
}

PostgresStorage::RetryFailedResult PostgresStorage::retry_failed(int64_t job_id,
                                                                 std::string_view type,
                                                                 int64_t now_ms) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  RetryFailedResult result;
  try {
    if (job_id != 0) {
      if (conn->exec(kIsFailed, Params().int8(job_id)).rows() > 0) {
        result.requeued = conn->exec(kRetryOne, Params().int8(job_id).int8(now_ms)).affected();
        result.skipped = 1 - result.requeued;
      }
    } else {
      const int64_t failed = conn->exec(kCountFailed, Params().text(type)).integer(0, 0);
      result.requeued = conn->exec(kRetryAll, Params().text(type).int8(now_ms)).affected();
      result.skipped = failed - result.requeued;
    }
  } catch (const DatabaseError& e) {
    // A job of the same key was enqueued between the NOT EXISTS check and the update: the
    // retried call will count it as skipped.
    if (e.sqlstate() == "23505") throw sdk::Retry(e.what());
    throw;
  }
  if (result.requeued > 0) notify(*conn);
  tx.commit();
  return result;
}

PostgresStorage::RescueResult PostgresStorage::rescue_expired(int64_t now_ms) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  Result r = conn->exec(kRescue, Params().int8(now_ms));
  RescueResult result;
  for (int i = 0; i < r.rows(); ++i) {
    append_error(*conn, r.integer(i, 0), r.integer(i, 1), now_ms, "lease expired", 0, r.text(i, 3));
    (r.text(i, 2) == "failed" ? result.failed : result.requeued) += 1;
  }
  if (result.requeued > 0) notify(*conn);
  tx.commit();
  return result;
}

void PostgresStorage::stats(const sdk::StatVisitor& visit) {
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(kStats);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::StatRow row{r.text(i, 0), parse_state(r.text(i, 1)), r.integer(i, 2), r.integer(i, 3)};
    if (!visit(row)) break;
  }
}

void PostgresStorage::list_jobs(const JobQuery& query, const sdk::JobVisitor& visit) {
  std::string_view state = state_name(query.state);
  if (query.state != 0 && state.empty()) {
    throw sdk::Permanent("list_jobs: unknown state " + std::to_string(query.state));
  }
  Params p;
  p.int8(query.after_id).text(state).text(query.type);
  limit(p, query.limit);
  Result jobs;
  Result errors;
  {
    auto conn = pool_.acquire();
    // One snapshot for the jobs and their histories.
    Transaction tx(*conn);
    conn->run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    jobs = conn->exec(kListJobs, p);
    if (query.with_errors && jobs.rows() > 0) {
      std::vector<int64_t> ids;
      ids.reserve(static_cast<size_t>(jobs.rows()));
      for (int i = 0; i < jobs.rows(); ++i) ids.push_back(jobs.integer(i, 0));
      errors = conn->exec(kJobErrors, Params().int8_array(ids));
    }
    tx.commit();
  }
  int e = 0;  // errors come ordered by job id, like the jobs
  for (int i = 0; i < jobs.rows(); ++i) {
    sdk::JobRow row;
    row.id = jobs.integer(i, 0);
    row.state = parse_state(jobs.text(i, 1));
    row.type = jobs.text(i, 2);
    row.key = jobs.text(i, 3);
    row.payload = jobs.text(i, 4);
    row.cursor = jobs.text(i, 5);
    row.request_id = jobs.text(i, 6);
    row.attempts = static_cast<int>(jobs.integer(i, 7));
    row.max_attempts = static_cast<int>(jobs.integer(i, 8));
    row.run_at_ms = jobs.integer(i, 9);
    row.created_at_ms = jobs.integer(i, 10);
    row.updated_at_ms = jobs.integer(i, 11);
    row.lease_owner = jobs.text(i, 12);
    row.lease_token = jobs.text(i, 13);
    row.lease_until_ms = jobs.integer(i, 14);
    while (e < errors.rows() && errors.integer(e, 0) < row.id) ++e;
    for (; e < errors.rows() && errors.integer(e, 0) == row.id; ++e) {
      row.errors.push_back(sdk::JobError{
          static_cast<int>(errors.integer(e, 1)), errors.integer(e, 2),
          static_cast<int>(errors.integer(e, 3)), errors.text(e, 4), errors.text(e, 5)});
    }
    if (!visit(row)) break;
  }
}

void PostgresStorage::write_batch(const WriteBatch& batch, WriteResult& out) {
  // Collapse duplicate keys first: the last record of a (kind, key) is the one written, and
  // the counts describe rows, not submissions.
  std::vector<size_t> order = sdk::collapse_records(batch.records, kStored.size(), out.counts);
  std::array<std::vector<size_t>, CS_RECORD_KIND_SLOTS> by_kind;
  for (size_t i : order) by_kind[batch.records[i].kind].push_back(i);
  sdk::WriteCounts counts;
  {
    auto conn = pool_.acquire();
    Transaction tx(*conn);
    for (size_t kind = 1; kind < kStored.size(); ++kind) {
      if (!by_kind[kind].empty()) write_kind(*conn, kind, batch, by_kind[kind], counts);
    }
    for (const sdk::QuarantineItem& q : batch.quarantine) {
      conn->exec(kQuarantine, Params()
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
      conn->exec(kCursorUpsert, Params().text(c.name).text(c.value).int8(batch.now_ms));
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

void PostgresStorage::append_logs(const std::vector<LogRow>& rows) {
  if (rows.empty()) return;
  std::vector<int64_t> ts;
  std::vector<int64_t> levels;
  std::vector<std::string_view> request_ids;
  std::vector<std::string_view> messages;
  std::vector<std::string_view> fields;
  for (const LogRow& r : rows) {
    ts.push_back(r.ts_ms);
    levels.push_back(static_cast<int64_t>(r.level));
    request_ids.push_back(r.request_id);
    messages.push_back(r.message);
    fields.push_back(r.fields_json.empty() ? std::string_view("{}") : r.fields_json);
  }
  auto conn = pool_.acquire();
  conn->exec(kAppendLogs, Params()
                              .int8_array(ts)
                              .int8_array(levels)
                              .text_array(request_ids)
                              .text_array(messages)
                              .text_array(fields));
}

void PostgresStorage::query_logs(const LogQuery& query, const sdk::LogVisitor& visit) {
  Params p;
  p.int8(query.after_id).int8(static_cast<int64_t>(query.min_level)).int8(query.since_ms);
  limit(p, query.limit);
  if (!query.request_id.empty()) p.text(query.request_id);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(query.request_id.empty() ? kQueryLogs : kQueryLogsByRequest, p);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::LogRow row{r.integer(i, 0), static_cast<cs_log_level>(r.integer(i, 2)),
                    r.integer(i, 1), r.text(i, 3),
                    r.text(i, 4),    r.text(i, 5)};
    if (!visit(row)) break;
  }
}

int64_t PostgresStorage::delete_logs_before(int64_t before_ms) {
  auto conn = pool_.acquire();
  return conn->exec(kDeleteLogs, Params().int8(before_ms)).affected();
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
    r = conn->exec(kCursorRead, Params().text(name));
  }
  if (r.rows() == 0) return false;
  visit(r.text(0, 0), r.integer(0, 1));
  return true;
}

void PostgresStorage::read_records(const RecordQuery& query, const sdk::RecordVisitor& visit) {
  if (query.kind == 0 || query.kind >= kRecordReads.size()) {
    throw sdk::Permanent("read_records: unknown record kind " + std::to_string(query.kind));
  }
  const size_t selector = !query.key.empty() ? 0 : !query.parent_key.empty() ? 1 : 2;
  Params p;
  p.text(query.key).text(query.parent_key).text(query.after_key);
  limit(p, query.limit);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(kRecordReads[query.kind][selector], p);
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
      .int8(query.newest_first ? query.before_id : query.after_id);
  limit(p, query.limit);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(query.newest_first ? kQuarantineNewestFirst : kQuarantineAscending, p);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::QuarantineRow row{
        r.integer(i, 0),
        sdk::QuarantineItem{r.integer(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                            r.text(i, 6), r.text(i, 7), r.text(i, 8)}};
    if (!visit(row)) break;
  }
}

bool PostgresStorage::wait_for_jobs(int64_t timeout_ms) {
  return listener_.wait(timeout_ms);
}

}  // namespace cardsync::postgres
