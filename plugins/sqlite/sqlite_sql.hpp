#pragma once
// The SQLite storage's statements. Numbered parameters (?1 ...) let a statement use one value
// twice. Each is a string with static storage, as Connection::prepare requires.

#include <array>

namespace cardsync::sqlite::sql {

inline constexpr const char* kEnqueue =
    "INSERT INTO sync_queue (type, key, payload, state, attempts, max_attempts, run_at_ms,"
    " request_id, created_at_ms, updated_at_ms)"
    " VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6, ?7, ?7)"
    " ON CONFLICT DO NOTHING RETURNING id";
inline constexpr const char* kLiveJob =
    "SELECT id FROM sync_queue WHERE type = ?1 AND key = ?2"
    " AND state IN ('queued', 'processing')";

// Oldest due first; one statement so the choice and the lease are atomic.
inline constexpr const char* kClaim =
    "UPDATE sync_queue SET state = 'processing', attempts = attempts + 1, lease_owner = ?1,"
    " lease_token = ?2, lease_until_ms = ?3, updated_at_ms = ?4"
    " WHERE id IN (SELECT id FROM sync_queue WHERE state = 'queued' AND run_at_ms <= ?4"
    "  AND (?6 IS NULL OR type IN (SELECT value FROM json_each(?6)))"
    "  ORDER BY run_at_ms, id LIMIT ?5)"
    " RETURNING id, type, key, payload, cursor, request_id, attempts, max_attempts, run_at_ms,"
    " created_at_ms, updated_at_ms";

inline constexpr const char* kHeartbeat =
    "UPDATE sync_queue SET lease_until_ms = ?3, updated_at_ms = ?4"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";

// Every transition is fenced by (state, lease_token): a rescued and re-claimed job has a new
// token, so the old holder's writes match no row.
inline constexpr const char* kCheckpoint =
    "UPDATE sync_queue SET cursor = ?3, updated_at_ms = ?4"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";
inline constexpr const char* kComplete =
    "UPDATE sync_queue SET state = 'done', cursor = ?3, updated_at_ms = ?4, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2";
inline constexpr const char* kRequeue =
    "UPDATE sync_queue SET state = 'queued', run_at_ms = ?3, updated_at_ms = ?4,"
    " attempts = max(attempts - ?5, 0), lease_owner = NULL, lease_token = NULL,"
    " lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2"
    " RETURNING attempts, request_id";
inline constexpr const char* kFail =
    "UPDATE sync_queue SET state = 'failed', updated_at_ms = ?3, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 'processing' AND lease_token = ?2"
    " RETURNING attempts, request_id";

inline constexpr const char* kAppendError =
    "INSERT INTO sync_queue_errors (job_id, seq, attempt, at_ms, message, http_status,"
    " request_id) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM sync_queue_errors"
    " WHERE job_id = ?1), ?2, ?3, ?4, ?5, ?6)";
inline constexpr int kErrorHistory = 20;
inline constexpr const char* kTrimErrors =
    "DELETE FROM sync_queue_errors WHERE job_id = ?1 AND seq <= (SELECT max(seq)"
    " FROM sync_queue_errors WHERE job_id = ?1) - 20";

inline constexpr const char* kRescue =
    "UPDATE sync_queue SET state = CASE WHEN attempts >= max_attempts THEN 'failed'"
    " ELSE 'queued' END, run_at_ms = ?1, updated_at_ms = ?1, lease_owner = NULL,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE state = 'processing' AND lease_until_ms < ?1"
    " RETURNING id, attempts, state, request_id";

// A failed job goes back only while its key is free; of several failed twins only the
// newest does (the unique index would refuse a second live one).
inline constexpr const char* kRetryOne =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = ?2, updated_at_ms = ?2"
    " WHERE id = ?1 AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM sync_queue l"
    " WHERE l.type = sync_queue.type AND l.key = sync_queue.key"
    " AND l.state IN ('queued', 'processing'))";
inline constexpr const char* kIsFailed =
    "SELECT 1 FROM sync_queue WHERE id = ?1 AND state = 'failed'";
inline constexpr const char* kCountFailed =
    "SELECT count(*) FROM sync_queue WHERE state = 'failed' AND (?1 = '' OR type = ?1)";
inline constexpr const char* kRetryAll =
    "UPDATE sync_queue SET state = 'queued', attempts = 0, run_at_ms = ?2, updated_at_ms = ?2"
    " WHERE id IN (SELECT max(f.id) FROM sync_queue f WHERE f.state = 'failed'"
    "  AND (?1 = '' OR f.type = ?1) AND NOT EXISTS (SELECT 1 FROM sync_queue l"
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
    " WHERE id > ?1 AND (?2 = '' OR state = ?2) AND (?3 = '' OR type = ?3)"
    " ORDER BY id LIMIT ?4";
inline constexpr const char* kJobErrors =
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
inline constexpr std::array<const char*, 7> kUpsert = {nullptr,
                                                       CARDSYNC_UPSERT("games"),
                                                       CARDSYNC_UPSERT("sets"),
                                                       CARDSYNC_UPSERT("cards"),
                                                       CARDSYNC_UPSERT("variants"),
                                                       CARDSYNC_UPSERT("graded_certs"),
                                                       CARDSYNC_UPSERT("cert_images")};
#undef CARDSYNC_UPSERT

inline constexpr const char* kQuarantine =
    "INSERT INTO quarantine (at_ms, source, job_type, job_key, reason, json_path, raw_item,"
    " request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kCursorUpsert =
    "INSERT INTO sync_cursors (name, value, updated_at_ms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
    " updated_at_ms = excluded.updated_at_ms";
inline constexpr const char* kCursorRead = "SELECT value FROM sync_cursors WHERE name = ?1";
inline constexpr const char* kCursorEntryRead =
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
  " FROM quarantine WHERE (?1 = '' OR source = ?1) AND (?2 = '' OR job_type = ?2) "      \
  "AND " order_filter " LIMIT ?4"
inline constexpr const char* kQuarantineAscending = CARDSYNC_QUARANTINE_READ("id > ?3 ORDER BY id");
inline constexpr const char* kQuarantineNewestFirst =
    CARDSYNC_QUARANTINE_READ("(?3 = 0 OR id < ?3) ORDER BY id DESC");
#undef CARDSYNC_QUARANTINE_READ

inline constexpr const char* kAppendLog =
    "INSERT INTO logs (ts_ms, level, request_id, message, fields_json)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* kQueryLogs =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE id > ?1 AND level >= ?2 AND ts_ms >= ?3 ORDER BY id LIMIT ?4";
inline constexpr const char* kQueryLogsByRequest =
    "SELECT id, ts_ms, level, request_id, message, fields_json FROM logs"
    " WHERE request_id = ?5 AND id > ?1 AND level >= ?2 AND ts_ms >= ?3 ORDER BY id LIMIT ?4";
inline constexpr const char* kDeleteLogs = "DELETE FROM logs WHERE ts_ms < ?1";

}  // namespace cardsync::sqlite::sql
