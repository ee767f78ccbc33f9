#include "sqlite_storage.hpp"

#include <array>
#include <string>

#include <cardsync/record_batch.hpp>

#include "sqlite_migrations.hpp"

namespace cardsync::sqlite {

const char* const SqliteStorage::kConfigSchema = sqlite::kConfigSchema;

namespace {

// ---- SQL ----------------------------------------------------------------------------------

constexpr const char* kEnqueue =
    "INSERT INTO sync_queue (type, key, payload, state, attempts, max_attempts, run_at_ms,"
    " request_id, created_at_ms, updated_at_ms)"
    " VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6, ?7, ?7)"
    " ON CONFLICT DO NOTHING RETURNING id";
constexpr const char* kLiveJob =
    "SELECT id FROM sync_queue WHERE type = ?1 AND key = ?2"
    " AND state IN ('queued', 'processing')";

// Oldest due first; one statement so the choice and the lease are atomic.
constexpr const char* kClaim =
    "UPDATE sync_queue SET state = 'processing', attempts = attempts + 1, lease_owner = ?1,"
    " lease_token = ?2, lease_until_ms = ?3, updated_at_ms = ?4"
    " WHERE id IN (SELECT id FROM sync_queue WHERE state = 'queued' AND run_at_ms <= ?4"
    "  AND (?6 IS NULL OR type IN (SELECT value FROM json_each(?6)))"
    "  ORDER BY run_at_ms, id LIMIT ?5)"
    " RETURNING id, type, key, payload, cursor, request_id, attempts, max_attempts, run_at_ms,"
    " created_at_ms, updated_at_ms";

constexpr const char* kHeartbeat =
    "UPDATE sync_queue SET lease_until_ms = ?3, updated_at_ms = ?4"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";

// Every transition is fenced by (state, lease_token): a rescued and re-claimed job has a new
// token, so the old holder's writes match no row.
constexpr const char* kCheckpoint =
    "UPDATE sync_queue SET cursor = ?3, updated_at_ms = ?4"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";
constexpr const char* kComplete =
    "UPDATE sync_queue SET state = 'done', cursor = ?3, updated_at_ms = ?4, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";
constexpr const char* kRequeue =
    "UPDATE sync_queue SET state = 'queued', run_at_ms = ?3, updated_at_ms = ?4,"
    " attempts = max(attempts - ?5, 0), lease_owner = NULL, lease_token = NULL,"
    " lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2"
    " RETURNING attempts, request_id";
constexpr const char* kFail =
    "UPDATE sync_queue SET state = 'failed', updated_at_ms = ?3, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2"
    " RETURNING attempts, request_id";

constexpr const char* kAppendError =
    "INSERT INTO sync_queue_errors (job_id, seq, attempt, at_ms, message, http_status,"
    " request_id) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM sync_queue_errors"
    " WHERE job_id = ?1), ?2, ?3, ?4, ?5, ?6)";
constexpr int kErrorHistory = 20;
constexpr const char* kTrimErrors =
    "DELETE FROM sync_queue_errors WHERE job_id = ?1 AND seq <= (SELECT max(seq)"
    " FROM sync_queue_errors WHERE job_id = ?1) - 20";

constexpr const char* kRescue =
    "UPDATE sync_queue SET state = CASE WHEN attempts >= max_attempts THEN 'failed'"
    " ELSE 'queued' END, run_at_ms = ?1, updated_at_ms = ?1, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE state = 'processing' AND lease_until_ms < ?1"
    " RETURNING id, attempts, state, request_id";

// A failed job goes back only while its key is free; of several failed twins only the
// newest does (the unique index would refuse a second live one).
constexpr const char* kRetryOne =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = ?2, updated_at_ms = ?2"
    " WHERE id = ?1 AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    " WHERE l.type = sync_queue.type AND l.key = sync_queue.key"
    " AND l.state IN ('queued', 'processing'))";
constexpr const char* kIsFailed = "SELECT 1 FROM sync_queue WHERE id = ?1 AND state = 'failed'";
constexpr const char* kCountFailed =
    "SELECT count(*) FROM sync_queue WHERE state = 'failed' AND (?1 = '' OR type = ?1)";
constexpr const char* kRetryAll =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = ?2, updated_at_ms = ?2"
    " WHERE id IN (SELECT max(f.id) FROM sync_queue f WHERE f.state = 'failed'"
    "  AND (?1 = '' OR f.type = ?1) AND NOT EXISTS (SELECT 1 FROM sync_queue l"
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
    " WHERE id > ?1 AND (?2 = '' OR state = ?2) AND (?3 = '' OR type = ?3)"
    " ORDER BY id LIMIT ?4";
constexpr const char* kJobErrors =
    "SELECT attempt, at_ms, http_status, message, request_id FROM sync_queue_errors"
    " WHERE job_id = ?1 ORDER BY seq";

// One statement per record whatever the outcome: no change means the hash matched
// (unchanged); otherwise an insert is told from an update by last_insert_rowid, which an
// upsert's DO UPDATE leaves alone (cheaper than RETURNING, which materialises its rows).
// `version` counts content changes, for audit.
#define CARDSYNC_UPSERT(table)                                                               \
  "INSERT INTO " table                                                                       \
  " (key, parent_key, source, core_json, raw_json, content_hash, version, created_at_ms,"    \
  " updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)"                               \
  " ON CONFLICT (key) DO UPDATE SET parent_key = excluded.parent_key,"                       \
  " source = excluded.source, core_json = excluded.core_json, raw_json = excluded.raw_json," \
  " content_hash = excluded.content_hash, version = version + 1,"                            \
  " updated_at_ms = excluded.updated_at_ms WHERE content_hash <> excluded.content_hash"

// Indexed by cs_record_kind.
constexpr std::array<const char*, 7> kUpsert = {nullptr,
                                                CARDSYNC_UPSERT("games"),
                                                CARDSYNC_UPSERT("sets"),
                                                CARDSYNC_UPSERT("cards"),
                                                CARDSYNC_UPSERT("variants"),
                                                CARDSYNC_UPSERT("graded_certs"),
                                                CARDSYNC_UPSERT("cert_images")};
#undef CARDSYNC_UPSERT

constexpr const char* kQuarantine =
    "INSERT INTO quarantine (at_ms, source, job_type, job_key, reason, json_path, raw_item,"
    " request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kCursorUpsert =
    "INSERT INTO sync_cursors (name, value, updated_at_ms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
    " updated_at_ms = excluded.updated_at_ms";
constexpr const char* kCursorRead = "SELECT value FROM sync_cursors WHERE name = ?1";
constexpr const char* kCursorEntryRead =
    "SELECT value, updated_at_ms FROM sync_cursors WHERE name = ?1";

// Three statements per record table, one per selector of cs_record_query, so each can use
// its index (an "?1 = '' OR key = ?1" predicate would scan).
#define CARDSYNC_RECORD_COLUMNS                                                 \
  "SELECT key, parent_key, source, core_json, raw_json, content_hash, version," \
  " created_at_ms, updated_at_ms FROM "
#define CARDSYNC_RECORD_READS(table)                                                               \
  std::array<const char*, 3> {                                                                     \
    CARDSYNC_RECORD_COLUMNS table " WHERE key = ?1 AND key > ?3 LIMIT ?4",                         \
        CARDSYNC_RECORD_COLUMNS table " WHERE parent_key = ?2 AND key > ?3 ORDER BY key LIMIT ?4", \
        CARDSYNC_RECORD_COLUMNS table " WHERE key > ?3 ORDER BY key LIMIT ?4"                      \
  }
// Indexed by cs_record_kind, then by selector: key, parent key, all.
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
  " FROM quarantine WHERE (?1 = '' OR source = ?1) AND (?2 = '' OR job_type = ?2) "      \
  "AND " order_filter " LIMIT ?4"
constexpr const char* kQuarantineAscending = CARDSYNC_QUARANTINE_READ("id > ?3 ORDER BY id");
constexpr const char* kQuarantineNewestFirst =
    CARDSYNC_QUARANTINE_READ("(?3 = 0 OR id < ?3) ORDER BY id DESC");
#undef CARDSYNC_QUARANTINE_READ

constexpr const char* kAppendLog =
    "INSERT INTO logs (ts_ms, level, request_id, message, fields_json)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kQueryLogs =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE id > ?1 AND level >= ?2 AND ts_ms >= ?3 ORDER BY id LIMIT ?4";
constexpr const char* kQueryLogsByRequest =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE request_id = ?5 AND id > ?1 AND level >= ?2 AND ts_ms >= ?3 ORDER BY id LIMIT ?4";
constexpr const char* kDeleteLogs = "DELETE FROM logs WHERE ts_ms < ?1";

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

// A claimed job copied out of the statement, so the host is visited only after COMMIT.
struct OwnedJob {
  int64_t id = 0;
  std::string type, key, payload, cursor, request_id;
  int attempts = 0, max_attempts = 0;
  int64_t run_at_ms = 0, created_at_ms = 0, updated_at_ms = 0;
};

std::string json_string_array(const std::vector<std::string_view>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static const char* hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[(c >> 4) & 0xf];
        out += hex[c & 0xf];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

void append_error(Connection& conn, int64_t job_id, int64_t attempt, int64_t at_ms,
                  std::string_view message, int64_t http_status, std::string_view request_id) {
  {
    Statement st = conn.prepare(kAppendError);
    st.bind(1, job_id);
    st.bind(2, attempt);
    st.bind(3, at_ms);
    st.bind(4, message);
    st.bind(5, http_status);
    st.bind(6, request_id);
    st.run();
  }
  static_assert(kErrorHistory == 20, "kTrimErrors spells the history length");
  Statement st = conn.prepare(kTrimErrors);
  st.bind(1, job_id);
  st.run();
}

void enqueue_in(Connection& conn, const std::vector<sdk::JobSpec>& specs, int64_t now_ms,
                std::vector<sdk::EnqueueResult>& out) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const sdk::JobSpec& s = specs[i];
    if (s.max_attempts < 1) {
      throw sdk::Permanent("job " + std::string(s.type) + "/" + std::string(s.key) +
                           ": max_attempts must be at least 1");
    }
    // The partial unique index decides, inside the write lock: never check-then-insert.
    Statement ins = conn.prepare(kEnqueue);
    ins.bind(1, s.type);
    ins.bind(2, s.key);
    ins.bind(3, s.payload);
    ins.bind(4, static_cast<int64_t>(s.max_attempts));
    ins.bind(5, s.run_at_ms);
    ins.bind(6, s.request_id);
    ins.bind(7, now_ms);
    if (ins.step()) {
      out[i] = sdk::EnqueueResult{ins.integer(0), false};
      ins.run();
      continue;
    }
    Statement live = conn.prepare(kLiveJob);
    live.bind(1, s.type);
    live.bind(2, s.key);
    if (!live.step()) {
      throw sdk::Retry("enqueue of " + std::string(s.type) + "/" + std::string(s.key) +
                       " conflicted but no live job holds the key");
    }
    out[i] = sdk::EnqueueResult{live.integer(0), true};
  }
}

bool transition_in(Connection& conn, const sdk::Transition& t) {
  using sdk::Action;
  switch (t.action) {
    case Action::checkpoint:
    case Action::complete: {
      Statement st = conn.prepare(t.action == Action::checkpoint ? kCheckpoint : kComplete);
      st.bind(1, t.job_id);
      st.bind(2, t.lease_token);
      st.bind(3, t.cursor);
      st.bind(4, t.now_ms);
      return st.run() == 1;
    }
    case Action::retry:
    case Action::snooze:
    case Action::fail: {
      int64_t attempts = 0;
      std::string job_request_id;
      {
        Statement st = conn.prepare(t.action == Action::fail ? kFail : kRequeue);
        st.bind(1, t.job_id);
        st.bind(2, t.lease_token);
        if (t.action == Action::fail) {
          st.bind(3, t.now_ms);
        } else {
          st.bind(3, t.run_at_ms);
          st.bind(4, t.now_ms);
          st.bind(5, static_cast<int64_t>(t.action == Action::snooze ? 1 : 0));
        }
        if (!st.step()) return false;
        attempts = st.integer(0);
        job_request_id = st.text(1);
        st.run();
      }
      if (!t.error_message.empty()) {
        // A snooze refunded the attempt it interrupted; the history still names it.
        int64_t attempt = t.action == Action::snooze ? attempts + 1 : attempts;
        append_error(conn, t.job_id, attempt, t.now_ms, t.error_message, t.http_status,
                     t.request_id.empty() ? std::string_view(job_request_id) : t.request_id);
      }
      return true;
    }
  }
  throw sdk::Permanent("unknown transition action " +
                       std::to_string(static_cast<uint32_t>(t.action)));
}

}  // namespace

// ---- pool -----------------------------------------------------------------------------------

SqliteStorage::ReadLease::ReadLease(SqliteStorage& owner) : owner_(owner) {
  {
    std::lock_guard lock(owner_.pool_mu_);
    if (!owner_.idle_.empty()) {
      conn_ = std::move(owner_.idle_.back());
      owner_.idle_.pop_back();
      return;
    }
  }
  // Open outside the lock; the pool never blocks, so a visitor that calls back into the
  // storage cannot deadlock it.
  conn_ = std::make_unique<Connection>(owner_.options_.connection);
}

SqliteStorage::ReadLease::~ReadLease() {
  std::lock_guard lock(owner_.pool_mu_);
  if (owner_.idle_.size() < static_cast<size_t>(owner_.options_.read_connections)) {
    owner_.idle_.push_back(std::move(conn_));
  }
}

// ---- operations -----------------------------------------------------------------------------

SqliteStorage::SqliteStorage(const rapidjson::Value& config)
    : options_(parse_options(config)), writer_(std::make_unique<Connection>(options_.connection)) {}

void SqliteStorage::migrate() {
  std::lock_guard lock(write_mu_);
  sqlite::migrate(*writer_, options_.connection.path);
}

void SqliteStorage::enqueue(const std::vector<JobSpec>& specs, int64_t now_ms,
                            std::vector<EnqueueResult>& out) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  enqueue_in(*writer_, specs, now_ms, out);
  tx.commit();
}

void SqliteStorage::claim(const ClaimRequest& request, const sdk::JobVisitor& visit) {
  if (request.max_jobs < 1) throw sdk::Permanent("claim: max_jobs must be at least 1");
  if (request.lease_token.empty()) throw sdk::Permanent("claim: the lease token is empty");
  std::vector<OwnedJob> jobs;
  {
    std::lock_guard lock(write_mu_);
    WriteTransaction tx(*writer_);
    std::string types = request.types.empty() ? std::string() : json_string_array(request.types);
    Statement st = writer_->prepare(kClaim);
    st.bind(1, request.owner);
    st.bind(2, request.lease_token);
    st.bind(3, request.lease_until_ms);
    st.bind(4, request.now_ms);
    st.bind(5, static_cast<int64_t>(request.max_jobs));
    if (request.types.empty()) {
      st.bind_null(6);
    } else {
      st.bind(6, types);
    }
    while (st.step()) {
      OwnedJob j;
      j.id = st.integer(0);
      j.type = st.text(1);
      j.key = st.text(2);
      j.payload = st.text(3);
      j.cursor = st.text(4);
      j.request_id = st.text(5);
      j.attempts = static_cast<int>(st.integer(6));
      j.max_attempts = static_cast<int>(st.integer(7));
      j.run_at_ms = st.integer(8);
      j.created_at_ms = st.integer(9);
      j.updated_at_ms = st.integer(10);
      jobs.push_back(std::move(j));
    }
    tx.commit();
  }
  for (const OwnedJob& j : jobs) {
    sdk::JobRow row;
    row.id = j.id;
    row.state = sdk::JobState::processing;
    row.type = j.type;
    row.key = j.key;
    row.payload = j.payload;
    row.cursor = j.cursor;
    row.request_id = j.request_id;
    row.attempts = j.attempts;
    row.max_attempts = j.max_attempts;
    row.run_at_ms = j.run_at_ms;
    row.created_at_ms = j.created_at_ms;
    row.updated_at_ms = j.updated_at_ms;
    row.lease_owner = request.owner;
    row.lease_token = request.lease_token;
    row.lease_until_ms = request.lease_until_ms;
    // Every claimed job is visited: the leases are taken whether or not the host stops.
    visit(row);
  }
}

bool SqliteStorage::heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                              int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  bool applied = false;
  {
    Statement st = writer_->prepare(kHeartbeat);
    st.bind(1, job_id);
    st.bind(2, lease_token);
    st.bind(3, lease_until_ms);
    st.bind(4, now_ms);
    applied = st.run() == 1;
  }
  tx.commit();
  return applied;
}

void SqliteStorage::transition(const std::vector<Transition>& transitions,
                               std::vector<bool>& applied) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  for (size_t i = 0; i < transitions.size(); ++i) {
    applied[i] = transition_in(*writer_, transitions[i]);
  }
  tx.commit();
}

SqliteStorage::RetryFailedResult SqliteStorage::retry_failed(int64_t job_id, std::string_view type,
                                                             int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  RetryFailedResult result;
  if (job_id != 0) {
    bool failed = false;
    {
      Statement st = writer_->prepare(kIsFailed);
      st.bind(1, job_id);
      failed = st.step();
    }
    if (failed) {
      Statement st = writer_->prepare(kRetryOne);
      st.bind(1, job_id);
      st.bind(2, now_ms);
      result.requeued = st.run();
      result.skipped = 1 - result.requeued;
    }
  } else {
    int64_t failed = 0;
    {
      Statement st = writer_->prepare(kCountFailed);
      st.bind(1, type);
      if (st.step()) failed = st.integer(0);
    }
    Statement st = writer_->prepare(kRetryAll);
    st.bind(1, type);
    st.bind(2, now_ms);
    result.requeued = st.run();
    result.skipped = failed - result.requeued;
  }
  tx.commit();
  return result;
}

SqliteStorage::RescueResult SqliteStorage::rescue_expired(int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  struct Rescued {
    int64_t id, attempts;
    std::string request_id;
    bool failed;
  };
  std::vector<Rescued> rescued;
  {
    Statement st = writer_->prepare(kRescue);
    st.bind(1, now_ms);
    while (st.step()) {
      rescued.push_back(
          Rescued{st.integer(0), st.integer(1), std::string(st.text(3)), st.text(2) == "failed"});
    }
  }
  RescueResult result;
  for (const Rescued& r : rescued) {
    append_error(*writer_, r.id, r.attempts, now_ms, "lease expired", 0, r.request_id);
    (r.failed ? result.failed : result.requeued) += 1;
  }
  tx.commit();
  return result;
}

void SqliteStorage::stats(const sdk::StatVisitor& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(kStats);
  while (st.step()) {
    sdk::StatRow row{st.text(0), parse_state(st.text(1)), st.integer(2), st.integer(3)};
    if (!visit(row)) break;
  }
}

void SqliteStorage::list_jobs(const JobQuery& query, const sdk::JobVisitor& visit) {
  std::string_view state = state_name(query.state);
  if (query.state != 0 && state.empty()) {
    throw sdk::Permanent("list_jobs: unknown state " + std::to_string(query.state));
  }
  ReadLease lease(*this);
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);
  Statement st = conn.prepare(kListJobs);
  st.bind(1, query.after_id);
  st.bind(2, state);
  st.bind(3, query.type);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  while (st.step()) {
    sdk::JobRow row;
    row.id = st.integer(0);
    row.state = parse_state(st.text(1));
    row.type = st.text(2);
    row.key = st.text(3);
    row.payload = st.text(4);
    row.cursor = st.text(5);
    row.request_id = st.text(6);
    row.attempts = static_cast<int>(st.integer(7));
    row.max_attempts = static_cast<int>(st.integer(8));
    row.run_at_ms = st.integer(9);
    row.created_at_ms = st.integer(10);
    row.updated_at_ms = st.integer(11);
    row.lease_owner = st.text(12);
    row.lease_token = st.text(13);
    row.lease_until_ms = st.integer(14);
    // Column text dies at the next step, so the history's strings are copied.
    std::vector<std::string> texts;
    if (query.with_errors) {
      Statement errors = conn.prepare(kJobErrors);
      errors.bind(1, row.id);
      while (errors.step()) {
        row.errors.push_back(sdk::JobError{static_cast<int>(errors.integer(0)),
                                           errors.integer(1),
                                           static_cast<int>(errors.integer(2)),
                                           {},
                                           {}});
        texts.emplace_back(errors.text(3));
        texts.emplace_back(errors.text(4));
      }
      for (size_t e = 0; e < row.errors.size(); ++e) {
        row.errors[e].message = texts[2 * e];
        row.errors[e].request_id = texts[2 * e + 1];
      }
    }
    if (!visit(row)) break;
  }
}

void SqliteStorage::write_batch(const WriteBatch& batch, WriteResult& out) {
  // Collapse duplicate keys first: the last record of a (kind, key) is the one written, and
  // the counts describe rows, not submissions.
  std::vector<size_t> order = sdk::collapse_records(batch.records, kUpsert.size(), out.counts);

  std::lock_guard lock(write_mu_);
  Connection& conn = *writer_;
  WriteTransaction tx(conn);
  sdk::WriteCounts counts;
  for (size_t i : order) {
    const sdk::StoredRecord& r = batch.records[i];
    auto kind = static_cast<size_t>(r.kind);
    Statement st = conn.prepare(kUpsert[kind]);
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
    Statement st = conn.prepare(kQuarantine);
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
    Statement st = conn.prepare(kCursorUpsert);
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

void SqliteStorage::append_logs(const std::vector<LogRow>& rows) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  for (const LogRow& r : rows) {
    Statement st = writer_->prepare(kAppendLog);
    st.bind(1, r.ts_ms);
    st.bind(2, static_cast<int64_t>(r.level));
    st.bind(3, r.request_id);
    st.bind(4, r.message);
    st.bind(5, r.fields_json.empty() ? std::string_view("{}") : r.fields_json);
    st.run();
  }
  tx.commit();
}

void SqliteStorage::query_logs(const LogQuery& query, const sdk::LogVisitor& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(query.request_id.empty() ? kQueryLogs : kQueryLogsByRequest);
  st.bind(1, query.after_id);
  st.bind(2, static_cast<int64_t>(query.min_level));
  st.bind(3, query.since_ms);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  if (!query.request_id.empty()) st.bind(5, query.request_id);
  while (st.step()) {
    sdk::LogRow row{st.integer(0), static_cast<cs_log_level>(st.integer(2)),
                    st.integer(1), st.text(3),
                    st.text(4),    st.text(5)};
    if (!visit(row)) break;
  }
}

int64_t SqliteStorage::delete_logs_before(int64_t before_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  int64_t deleted = 0;
  {
    Statement st = writer_->prepare(kDeleteLogs);
    st.bind(1, before_ms);
    deleted = st.run();
  }
  tx.commit();
  return deleted;
}

bool SqliteStorage::read_cursor(std::string_view name,
                                const std::function<void(std::string_view)>& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(kCursorRead);
  st.bind(1, name);
  if (!st.step()) return false;
  visit(st.text(0));
  return true;
}

bool SqliteStorage::read_cursor_entry(std::string_view name,
                                      const std::function<void(std::string_view, int64_t)>& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(kCursorEntryRead);
  st.bind(1, name);
  if (!st.step()) return false;
  visit(st.text(0), st.integer(1));
  return true;
}

void SqliteStorage::read_records(const RecordQuery& query, const sdk::RecordVisitor& visit) {
  if (query.kind == 0 || query.kind >= kRecordReads.size()) {
    throw sdk::Permanent("read_records: unknown record kind " + std::to_string(query.kind));
  }
  size_t selector = !query.key.empty() ? 0 : !query.parent_key.empty() ? 1 : 2;
  ReadLease conn(*this);
  Statement st = (*conn).prepare(kRecordReads[query.kind][selector]);
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
      (*conn).prepare(query.newest_first ? kQuarantineNewestFirst : kQuarantineAscending);
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
