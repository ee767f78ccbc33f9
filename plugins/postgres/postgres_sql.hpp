#pragma once
// The PostgreSQL storage's statements. Parameters are typed by the client (text, bigint,
// text[]), so no statement needs casts. Each is a string with static storage, as
// Connection::exec requires.

#include <array>

namespace cardsync::postgres::sql {

inline constexpr const char* kEnqueue =
    "INSERT INTO sync_queue (type, key, payload, state, attempts, max_attempts, run_at_ms,"
    " request_id, created_at_ms, updated_at_ms)"
    " VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $7)"
    " ON CONFLICT (type, key) WHERE state IN ('queued', 'processing') DO NOTHING RETURNING id";
inline constexpr const char* kLiveJob =
    "SELECT id FROM sync_queue WHERE type = $1 AND key = $2"
    " AND state IN ('queued', 'processing')";

// Oldest due first. SKIP LOCKED lets concurrent claimers (threads or processes) pass over
// each other's rows instead of queueing on them; the UPDATE is the same statement, so the
// choice and the lease are atomic.
inline constexpr const char* kClaim =
    "WITH picked AS (SELECT id FROM sync_queue WHERE state = 'queued' AND run_at_ms <= $4"
    "  AND ($6::text[] IS NULL OR type = ANY ($6)) ORDER BY run_at_ms, id LIMIT $5"
    "  FOR UPDATE SKIP LOCKED)"
    " UPDATE sync_queue q SET state = 'processing', attempts = q.attempts + 1,"
    " lease_owner = $1, lease_token = $2, lease_until_ms = $3, updated_at_ms = $4"
    " FROM picked WHERE q.id = picked.id"
    " RETURNING q.id, q.type, q.key, q.payload, q.cursor, q.request_id, q.attempts,"
    " q.max_attempts, q.run_at_ms, q.created_at_ms, q.updated_at_ms";

inline constexpr const char* kHeartbeat =
    "UPDATE sync_queue SET lease_until_ms = $3, updated_at_ms = $4"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";

// Every transition is fenced by (state, lease_token): a rescued and re-claimed job has a new
// token, so the old holder's writes match no row.
inline constexpr const char* kCheckpoint =
    "UPDATE sync_queue SET cursor = $3, updated_at_ms = $4"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";
inline constexpr const char* kComplete =
    "UPDATE sync_queue SET state = 'done', cursor = $3, updated_at_ms = $4, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2";
inline constexpr const char* kRequeue =
    "UPDATE sync_queue SET state = 'queued', run_at_ms = $3, updated_at_ms = $4,"
    " attempts = greatest(attempts - $5, 0), lease_owner = NULL, lease_token = NULL,"
    " lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2"
    " RETURNING attempts, request_id";
inline constexpr const char* kFail =
    "UPDATE sync_queue SET state = 'failed', updated_at_ms = $3, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 'processing' AND lease_token = $2"
    " RETURNING attempts, request_id";

// Appends one error and trims the history to the last 20 in one round trip. The job's row
// is locked by the transition in the same transaction, so seq cannot race.
inline constexpr const char* kAppendError =
    "WITH ins AS (INSERT INTO sync_queue_errors (job_id, seq, attempt, at_ms, message,"
    "  http_status, request_id) VALUES ($1, (SELECT coalesce(max(seq), 0) + 1"
    "  FROM sync_queue_errors WHERE job_id = $1), $2, $3, $4, $5, $6) RETURNING seq)"
    " DELETE FROM sync_queue_errors WHERE job_id = $1 AND seq <= (SELECT seq FROM ins) - 20";

inline constexpr const char* kRescue =
    "UPDATE sync_queue SET state = CASE WHEN attempts >= max_attempts THEN 'failed'"
    " ELSE 'queued' END, run_at_ms = $1, updated_at_ms = $1, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE state = 'processing' AND lease_until_ms < $1"
    " RETURNING id, attempts, state, request_id";

// A failed job goes back only while its key is free; of several failed twins only the
// newest does (the unique index would refuse a second live one).
inline constexpr const char* kRetryOne =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = $2, updated_at_ms = $2"
    " WHERE id = $1 AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    " WHERE l.type = sync_queue.type AND l.key = sync_queue.key"
    " AND l.state IN ('queued', 'processing'))";
inline constexpr const char* kIsFailed =
    "SELECT 1 FROM sync_queue WHERE id = $1 AND state = 'failed'";
inline constexpr const char* kCountFailed =
    "SELECT count(*) FROM sync_queue WHERE state = 'failed' AND ($1 = '' OR type = $1)";
inline constexpr const char* kRetryAll =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = $2, updated_at_ms = $2"
    " WHERE id IN (SELECT max(f.id) FROM sync_queue f WHERE f.state = 'failed'"
    "  AND ($1 = '' OR f.type = $1) AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    "  WHERE l.type = f.type AND l.key = f.key AND l.state IN ('queued', 'processing'))"
    "  GROUP BY f.type, f.key)";

inline constexpr const char* kStats =
    "SELECT type, state, count(*), min(run_at_ms) FROM sync_queue GROUP BY type, state"
    " ORDER BY type, CASE state WHEN 'queued' THEN 1 WHEN 'processing' THEN 2"
    " WHEN 'done' THEN 3 ELSE 4 END";

inline constexpr const char* kListJobs =
    "SELECT id, state, type, key, payload, cursor, request_id, attempts, max_attempts,"
    " run_at_ms, created_at_ms, updated_at_ms, coalesce(lease_owner, ''),"
    " coalesce(lease_token, ''), coalesce(lease_until_ms, 0) FROM sync_queue"
    " WHERE id > $1 AND ($2 = '' OR state = $2) AND ($3 = '' OR type = $3)"
    " ORDER BY id LIMIT $4";
inline constexpr const char* kJobErrors =
    "SELECT job_id, attempt, at_ms, http_status, message, request_id FROM sync_queue_errors"
    " WHERE job_id = ANY ($1) ORDER BY job_id, seq";

inline constexpr const char* kNotify = "SELECT pg_notify($1, '')";

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
inline constexpr std::array<const char*, 7> kStored = CARDSYNC_PER_KIND(CARDSYNC_STORED);
inline constexpr std::array<const char*, 7> kCopyNew = CARDSYNC_PER_KIND(CARDSYNC_COPY_NEW);
inline constexpr std::array<const char*, 7> kUpdate = CARDSYNC_PER_KIND(CARDSYNC_UPDATE);
#undef CARDSYNC_STORED
#undef CARDSYNC_COPY_NEW
#undef CARDSYNC_UPDATE
#undef CARDSYNC_PER_KIND

inline constexpr const char* kQuarantine =
    "INSERT INTO quarantine (at_ms, source, job_type, job_key, reason, json_path, raw_item,"
    " request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
inline constexpr const char* kCursorUpsert =
    "INSERT INTO sync_cursors (name, value, updated_at_ms) VALUES ($1, $2, $3)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
    " updated_at_ms = excluded.updated_at_ms";
inline constexpr const char* kCursorRead =
    "SELECT value, updated_at_ms FROM sync_cursors WHERE name = $1";

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
inline const std::array<std::array<const char*, 3>, 7> kRecordReads = {
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
inline constexpr const char* kQuarantineAscending = CARDSYNC_QUARANTINE_READ("id > $3 ORDER BY id");
inline constexpr const char* kQuarantineNewestFirst =
    CARDSYNC_QUARANTINE_READ("($3 = 0 OR id < $3) ORDER BY id DESC");
#undef CARDSYNC_QUARANTINE_READ

// One round trip for any number of log rows; unnest keeps the array order, so ids ascend in
// the order the rows were given.
inline constexpr const char* kAppendLogs =
    "INSERT INTO logs (ts_ms, level, request_id, message, fields_json)"
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])";
inline constexpr const char* kQueryLogs =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE id > $1 AND level >= $2 AND ts_ms >= $3 ORDER BY id LIMIT $4";
inline constexpr const char* kQueryLogsByRequest =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE request_id = $5 AND id > $1 AND level >= $2 AND ts_ms >= $3 ORDER BY id LIMIT $4";
inline constexpr const char* kDeleteLogs = "DELETE FROM logs WHERE ts_ms < $1";

}  // namespace cardsync::postgres::sql
