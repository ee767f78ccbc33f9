/*
 * cardsync plugin ABI — the stable C boundary between the cardsync host and its plugins.
 *
 * Rules of the boundary (read these before adding anything):
 *  - Only C types cross: UTF-8 strings as (pointer, length), fixed-width numbers, opaque
 *    handles and function pointers. No C++ types, no exceptions, no RTTI.
 *  - Whoever allocates frees. Strings passed into a call are borrowed for that call only;
 *    copy what you keep. Descriptor and vtable memory is static for the library's lifetime.
 *  - Append-only: a struct grows only at its end, each new member marked with the minor
 *    version that added it, and the minor version is bumped. Removing or reordering is a
 *    major bump. Every struct starts with `struct_size` so each side can tell which members
 *    the other knows. tests/unit/sdk/abi_layout_test pins sizes and offsets.
 *  - Every plugin function is noexcept from the host's point of view: it reports failure by
 *    returning a status and calling `host->set_error` (the C++ wrapper in sdk.hpp does this).
 *
 * Compatibility: the host loads a plugin when its major equals the host's and its minor is
 * <= the host's (a newer host serves older plugins; an older host refuses newer ones).
 */
#ifndef CARDSYNC_ABI_H
#define CARDSYNC_ABI_H

#include <stddef.h>  // NOLINT(modernize-deprecated-headers): this header is C
#include <stdint.h>  // NOLINT(modernize-deprecated-headers)

#ifdef __cplusplus
extern "C" {
#endif

#define CS_ABI_MAJOR 1
#define CS_ABI_MINOR 3

/* The one symbol a plugin library exports. */
#define CS_QUERY_SYMBOL "cardsync_plugin_query"

/* ---------------------------------------------------------------------------------------- */
/* Basic types                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* A UTF-8 string that is not necessarily NUL-terminated. */
typedef struct cs_str {
  const char* data;
  size_t len;
} cs_str;

/* Outcome of every plugin call. */
typedef enum cs_status {
  CS_OK = 0,
  CS_RETRY = 1,     /* transient: try again later (the host applies backoff) */
  CS_PERMANENT = 2, /* this item or job is bad: do not retry it */
  CS_FATAL = 3      /* config or credentials: stop this plugin's work and say why once */
} cs_status;

typedef enum cs_plugin_kind { CS_KIND_PROVIDER = 1, CS_KIND_STORAGE = 2 } cs_plugin_kind;

typedef enum cs_log_level {
  CS_LOG_TRACE = 0,
  CS_LOG_DEBUG = 1,
  CS_LOG_INFO = 2,
  CS_LOG_WARN = 3,
  CS_LOG_ERROR = 4
} cs_log_level;

/* A structured log field; the value is text (numbers formatted by the caller). */
typedef struct cs_field {
  cs_str key;
  cs_str value;
} cs_field;

/* Host-owned error slot handed to each plugin call; fill it with host->set_error. */
typedef struct cs_error cs_error;

/* Receives one string; it is borrowed for the call only. */
typedef void (*cs_str_visitor)(void* ctx, cs_str value);

/* ---------------------------------------------------------------------------------------- */
/* Host services, passed to the plugin at init and valid until the library is unloaded.     */
/* ---------------------------------------------------------------------------------------- */

typedef struct cs_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  /* Opaque host context; pass it back to `log`. */
  void* ctx;

  /* Writes one structured log line. `request_id` may be empty. The host copies everything
   * before returning and redacts secret-named fields. Thread-safe. */
  void (*log)(void* ctx, cs_log_level level, cs_str request_id, cs_str message,
              const cs_field* fields, size_t field_count);

  /* Records why the current call failed; the host copies `message`. Calling it again in the
   * same call replaces the message. Only valid on the `err` passed to that call. */
  void (*set_error)(cs_error* err, cs_str message);
} cs_host_api;

/* ---------------------------------------------------------------------------------------- */
/* Provider plugins: turn jobs into HTTP requests and responses into canonical records.      */
/* A provider never performs I/O, sleeps, retries or touches storage: the host does.          */
/* ---------------------------------------------------------------------------------------- */

typedef struct cs_header {
  cs_str name;
  cs_str value;
} cs_header;

/* An HTTP request the provider wants sent. Borrowed: the host copies it. */
typedef struct cs_request {
  uint32_t struct_size;
  cs_str method; /* "GET", "POST" … */
  cs_str url;    /* absolute URL */
  const cs_header* headers;
  size_t header_count;
  cs_str body;
} cs_request;

/* A response, as received after the host's pacing, breaker and retry. Borrowed. */
typedef struct cs_response {
  uint32_t struct_size;
  int32_t status; /* HTTP status */
  const cs_header* headers;
  size_t header_count;
  cs_str body;
} cs_response;

/* A job as stored in the queue. Borrowed for the call. */
typedef struct cs_job {
  uint32_t struct_size;
  int64_t id;
  cs_str type;    /* e.g. "justtcg.cards" */
  cs_str key;     /* unique with type among live jobs, e.g. a set id */
  cs_str payload; /* JSON text, may be empty */
  /* Where to resume: the checkpoint stored with this job's last committed page, or, for a
   * job that has none yet, the final cursor of the last completed job with the same type
   * and key (so an incremental sync starts where the previous one ended); empty at first.
   * In `handle`, the cursor emitted with the previous response. */
  cs_str cursor;
  cs_str request_id; /* the run that enqueued the job; put it on log lines */
  int32_t attempt;   /* 1 for the first attempt */
} cs_job;

/* Canonical record kinds every provider maps onto. */
typedef enum cs_record_kind {
  CS_RECORD_GAME = 1,
  CS_RECORD_SET = 2,
  CS_RECORD_CARD = 3,
  CS_RECORD_VARIANT = 4, /* one price point: condition x printing x language */
  CS_RECORD_GRADED_CERT = 5,
  CS_RECORD_CERT_IMAGE = 6
} cs_record_kind;

/* A canonical record. `core_json` holds the typed core fields of the kind as a JSON object
 * (see docs/architecture.md for each kind's fields); `raw_json` is the upstream item as
 * received, kept for audit. The host adds the source provider and the content hash. */
typedef struct cs_record {
  uint32_t struct_size;
  uint32_t kind; /* cs_record_kind */
  cs_str key;
  cs_str parent_key; /* game of a set, set of a card, card of a variant, cert of an image */
  cs_str core_json;
  cs_str raw_json;
} cs_record;

/* Host-owned sink for what a provider call produces. Valid only during that call. */
typedef struct cs_emit cs_emit;

/* Functions the host offers to providers for emitting results. All copy their arguments.
 * Not thread-safe with respect to one cs_emit; a provider call runs on one thread. */
typedef struct cs_emit_api {
  uint32_t struct_size;
  /* The next HTTP request of this job (first page, next page, or a second endpoint). */
  void (*request)(cs_emit* e, const cs_request* request);
  /* A canonical record produced from the response. */
  void (*record)(cs_emit* e, const cs_record* record);
  /* An upstream item that failed validation: `reason` says which rule, `path` is the JSON
   * pointer inside the item; the host quarantines it with the raw item. */
  void (*reject)(cs_emit* e, cs_str reason, cs_str path, cs_str raw_item);
  /* A follow-up job (deduplicated by the queue on type + key). */
  void (*job)(cs_emit* e, cs_str type, cs_str key, cs_str payload);
  /* The checkpoint to store in the same transaction as this response's records. */
  void (*cursor)(cs_emit* e, cs_str cursor);
  /* What the upstream reports about its own limits; the host tightens pacing with it.
   * Pass -1 for unknown. */
  void (*rate_limits)(cs_emit* e, int64_t per_minute, int64_t remaining_today);
} cs_emit_api;

/* ---- Added in 1.2: lookups ("fetch this one item now") as a provider capability. -------- */
/* The host owns the behaviour (a fetch-through cache with freshness, stale-while-revalidate,
 * negative caching, single-flight, a deadline, queued answers when the upstream cannot be
 * called); the provider owns the knowledge: what a key looks like and what the upstream's
 * answers mean. A lookup is an ordinary job of `job_type` whose key is the canonical key; it
 * completes with exactly one of the cursors below, which the host keeps with its time as the
 * item's sync cursor "<job type>/<key>". A job that fails instead is answered "unavailable"
 * with its error, so a provider turns every answer meaning "no such item" or "not a valid
 * key" into a completion with the matching cursor rather than a failure. */
#define CS_LOOKUP_FOUND "found" /* the item's records are in this job's last batch */
/* "found:<record key>": the same, for an item stored under the provider's own key rather than
 * the lookup's (a card looked up by a marketplace id, kept under the catalog's card id). */
#define CS_LOOKUP_FOUND_AS_PREFIX "found:"
#define CS_LOOKUP_NOT_FOUND "not_found" /* the upstream has no item with this key */
#define CS_LOOKUP_INVALID "invalid"     /* the upstream calls the key invalid */

/* One kind of item a provider can look up by key. Static. */
typedef struct cs_lookup_kind {
  uint32_t struct_size;
  uint32_t record_kind;    /* cs_record_kind stored under the canonical key when found */
  const char* name;        /* [a-z0-9_]+, unique within the provider: "cert", "card" */
  const char* job_type;    /* one of the provider's job_types (see above) */
  const char* description; /* one line for help texts and the monitor page */
  const char* key_example; /* a key as a person types it, for usage lines: "0123-4567" */
  /* Records stored with the item whose parent_key is the canonical key (e.g. a cert's
   * images), answered under `child_field`; 0 and NULL when there are none. */
  uint32_t child_kind;
  uint32_t reserved;
  const char* child_field;
  /* Defaults for how long a found item is fresh and how long not_found / invalid are
   * remembered; a provider section's ttl_seconds / not_found_ttl_seconds override them. */
  int64_t ttl_seconds;
  int64_t not_found_ttl_seconds;
} cs_lookup_kind;

/* ---- Added in 1.3: instances whose streams come from their config (a manifest). --------- */

/* What one provider instance serves, for a plugin whose job types, item schemas and lookups
 * depend on its config. Every member is instance-owned and valid until `destroy`. Job types
 * follow the static rule: "<service>.<stream>". */
typedef struct cs_instance_description {
  uint32_t struct_size;
  const char* const* job_types; /* NULL-terminated */
  const char* item_schemas;     /* JSON object: schema name -> JSON Schema */
  const cs_lookup_kind* lookups;
  size_t lookup_count;
} cs_instance_description;

typedef struct cs_provider_vtable {
  uint32_t struct_size;
  /* Service name for pacing and circuit breaking, e.g. "justtcg". Static. */
  const char* service;
  /* NULL-terminated list of job types this provider serves. Static. */
  const char* const* job_types;
  /* JSON object mapping item schema names to JSON Schemas for upstream items. Static. */
  const char* item_schemas;

  /* Jobs to enqueue for a configured sync (`cardsync run`): emit them with e->job.
   * `spec` is the sync's JSON (may be empty for "everything configured"). Thread-safe. */
  cs_status (*plan)(void* instance, cs_str spec, const cs_emit_api* api, cs_emit* e, cs_error* err);
  /* The first request for a job (or the request resuming from job->cursor). Thread-safe. */
  cs_status (*start)(void* instance, const cs_job* job, const cs_emit_api* api, cs_emit* e,
                     cs_error* err);
  /* Turns one response into records, rejects, follow-up jobs, a cursor, and either the next
   * request (the job continues) or nothing (the job is done). A non-OK status classifies the
   * response: RETRY, PERMANENT (the job fails), FATAL (stop the provider). Thread-safe. */
  cs_status (*handle)(void* instance, const cs_job* job, const cs_request* request,
                      const cs_response* response, const cs_emit_api* api, cs_emit* e,
                      cs_error* err);

  /* Added in 1.2. The host reads these only when struct_size covers them. */

  /* The lookups this provider offers, `lookup_count` of them (stride with cs_array_at);
   * NULL and 0 when it offers none. Static. */
  const cs_lookup_kind* lookups;
  size_t lookup_count;
  /* Checks `input`, a key as a person typed it, for the lookup named `kind`: CS_OK after
   * visiting the canonical key exactly once, or CS_PERMANENT with an error saying what a key
   * looks like. No I/O. Thread-safe. NULL when lookup_count is 0. */
  cs_status (*normalise_key)(void* instance, cs_str kind, cs_str input, cs_str_visitor visit,
                             void* ctx, cs_error* err);

  /* Added in 1.3. */

  /* Fills the members of `out` it knows (the host sets out->struct_size first); they replace
   * job_types, item_schemas and lookups above for this instance. NULL when the static members
   * describe every instance. Thread-safe. */
  void (*describe)(void* instance, cs_instance_description* out);
} cs_provider_vtable;

/* ---------------------------------------------------------------------------------------- */
/* Storage plugins: the SQL for one engine. The host owns every policy (retry schedule,
 * when a job fails, what is a duplicate record); the plugin stores and reads atomically.
 *
 * Conventions of every storage operation:
 *  - It receives the instance and an error slot and returns CS_OK, CS_RETRY (busy, locked,
 *    connection trouble: the host retries with backoff), CS_PERMANENT (bad input: the whole
 *    call changed nothing) or CS_FATAL (the database cannot be used, e.g. a newer schema).
 *  - Every write is one transaction: on any non-OK status nothing of the call is kept.
 *  - Times are milliseconds since the Unix epoch passed in by the host (`now_ms`): storage
 *    never reads its own clock, so every process agrees and tests run in virtual time.
 *  - Variable-sized results come back through host-provided visitors; the strings a row
 *    points to are plugin-owned and valid only during that visitor call. Fixed-size results
 *    go into host-provided out arrays.
 *  - Arrays of structs that start with `struct_size` are strided by that size (the host may
 *    know more members than the plugin): use cs_array_at. Structs marked "frozen" never
 *    grow; a later need adds a new struct instead.
 *  - Every function is thread-safe on one instance.
 * The types and members below were added in 1.0, before its release.
 */
/* ---------------------------------------------------------------------------------------- */

/* Element `index` of an array whose elements start with `struct_size`. */
static inline const void* cs_array_at(const void* first, size_t index) {
  return (const void*)((const char*)first + index * (size_t)(*(const uint32_t*)first));
}

typedef enum cs_job_state {
  CS_JOB_QUEUED = 1,     /* waiting, including a retry scheduled for later (run_at) */
  CS_JOB_PROCESSING = 2, /* claimed under a lease */
  CS_JOB_DONE = 3,
  CS_JOB_FAILED = 4 /* attempts exhausted or a permanent error; a person can retry it */
} cs_job_state;

/* A job to enqueue. At most one job per (type, key) is queued or processing. */
typedef struct cs_job_spec {
  uint32_t struct_size;
  int32_t max_attempts; /* >= 1 */
  cs_str type;          /* non-empty */
  cs_str key;           /* non-empty */
  cs_str payload;       /* JSON text or empty */
  cs_str request_id;    /* the request that caused it; may be empty */
  int64_t run_at_ms;    /* not claimed before this time */
} cs_job_spec;

/* Frozen. Outcome of one enqueued spec: the new job, or the live job already holding the
 * (type, key) with `duplicate` = 1 (also within one call: the second spec of a pair). */
typedef struct cs_enqueue_result {
  int64_t id;
  int32_t duplicate;
  int32_t reserved;
} cs_enqueue_result;

/* One entry of a job's error history (the storage keeps the last 20). */
typedef struct cs_job_error {
  uint32_t struct_size;
  int32_t attempt;
  int64_t at_ms;
  int32_t http_status; /* 0 when there was no response */
  int32_t reserved;
  cs_str message;
  cs_str request_id;
} cs_job_error;

/* A job as read back (claim, list). Plugin-owned, valid during the visitor call only. */
typedef struct cs_job_row {
  uint32_t struct_size;
  uint32_t state; /* cs_job_state */
  int64_t id;
  cs_str type;
  cs_str key;
  cs_str payload;
  cs_str cursor;
  cs_str request_id;
  int32_t attempts; /* claims so far, including the current one; snoozes refund theirs */
  int32_t max_attempts;
  int64_t run_at_ms;
  int64_t created_at_ms;
  int64_t updated_at_ms;
  cs_str lease_owner; /* empty unless processing */
  cs_str lease_token;
  int64_t lease_until_ms;
  const cs_job_error* errors; /* oldest first; stride with cs_array_at. Empty on claim. */
  size_t error_count;
} cs_job_row;

/* Return 0 to continue, anything else to stop the iteration early (not an error). */
typedef int (*cs_job_visitor)(void* ctx, const cs_job_row* row);

typedef struct cs_claim_request {
  uint32_t struct_size;
  int32_t max_jobs;       /* >= 1 */
  cs_str owner;           /* who holds the lease, for operators: "host:pid:worker" */
  cs_str lease_token;     /* generated by the host, unique per claim; fences later transitions */
  int64_t now_ms;         /* due jobs have run_at_ms <= now_ms */
  int64_t lease_until_ms; /* the lease expires then unless heartbeated */
  const cs_str* types;    /* claim only these job types; none = any type */
  size_t type_count;
} cs_claim_request;

typedef enum cs_transition_action {
  CS_ACTION_CHECKPOINT = 1, /* store `cursor`; the job stays processing */
  CS_ACTION_COMPLETE = 2,   /* done; stores `cursor` */
  CS_ACTION_RETRY = 3,      /* queued again at run_at_ms; the attempt stays counted */
  CS_ACTION_SNOOZE = 4,     /* queued again at run_at_ms; the attempt is refunded */
  CS_ACTION_FAIL = 5        /* failed; frees the (type, key) */
} cs_transition_action;

/* A state change of a claimed job, applied only while `lease_token` still holds its lease
 * (otherwise it is reported stale and changes nothing). RETRY, SNOOZE and FAIL keep the
 * last checkpoint's cursor and append `error_message` (when non-empty) to the history. */
typedef struct cs_transition {
  uint32_t struct_size;
  uint32_t action; /* cs_transition_action */
  int64_t job_id;
  cs_str lease_token;
  cs_str cursor;
  int64_t run_at_ms;
  cs_str error_message;
  int32_t http_status;
  int32_t reserved;
  cs_str request_id;
  int64_t now_ms;
} cs_transition;

/* Values of the per-transition outcome arrays. */
typedef enum cs_transition_outcome {
  CS_TRANSITION_APPLIED = 0,
  CS_TRANSITION_STALE = 1 /* the lease token no longer holds the job: nothing changed */
} cs_transition_outcome;

/* Job counts of one (type, state) pair. */
typedef struct cs_stat_row {
  uint32_t struct_size;
  uint32_t state; /* cs_job_state */
  cs_str type;
  int64_t count;
  int64_t next_run_at_ms; /* earliest run_at_ms among these jobs */
} cs_stat_row;
typedef int (*cs_stat_visitor)(void* ctx, const cs_stat_row* row);

typedef struct cs_job_query {
  uint32_t struct_size;
  uint32_t state;      /* cs_job_state, 0 = any */
  cs_str type;         /* empty = any */
  int64_t after_id;    /* keyset paging: only ids > after_id, ascending */
  int64_t limit;       /* <= 0: no limit */
  int32_t with_errors; /* non-zero: fill cs_job_row.errors */
  int32_t reserved;
} cs_job_query;

/* A canonical record as the host stores it: the provider's record plus the source provider
 * and the host-computed content hash (equal hash = unchanged row). */
typedef struct cs_stored_record {
  uint32_t struct_size;
  uint32_t kind; /* cs_record_kind */
  cs_str key;
  cs_str parent_key;
  cs_str source;
  cs_str core_json;
  cs_str raw_json;
  cs_str content_hash;
} cs_stored_record;

/* A named sync cursor (an incremental sync's high-water mark), upserted. */
typedef struct cs_cursor_update {
  uint32_t struct_size;
  uint32_t reserved;
  cs_str name;
  cs_str value;
} cs_cursor_update;

/* An upstream item that failed validation, kept with its raw text. */
typedef struct cs_quarantine_item {
  uint32_t struct_size;
  int64_t at_ms;
  cs_str source;
  cs_str job_type;
  cs_str job_key;
  cs_str reason;
  cs_str json_path;
  cs_str raw_item;
  cs_str request_id;
} cs_quarantine_item;

/* Everything one write_batch commits in ONE transaction, applied in this order: records,
 * quarantine, cursors, follow-up jobs, transitions. Records with the same (kind, key)
 * collapse to the last one. */
typedef struct cs_write_batch {
  uint32_t struct_size;
  int64_t now_ms;
  const cs_stored_record* records;
  size_t record_count;
  const cs_transition* transitions;
  size_t transition_count;
  const cs_cursor_update* cursors;
  size_t cursor_count;
  const cs_quarantine_item* quarantine;
  size_t quarantine_count;
  const cs_job_spec* jobs;
  size_t job_count;
} cs_write_batch;

/* Counts are indexed by cs_record_kind; slot 0 counts records of a kind the plugin does not
 * know (rejected). A rejected record is skipped, not an error. */
#define CS_RECORD_KIND_SLOTS 16

typedef struct cs_write_result {
  uint32_t struct_size;
  uint32_t reserved;
  int64_t inserted[CS_RECORD_KIND_SLOTS];
  int64_t updated[CS_RECORD_KIND_SLOTS];
  int64_t unchanged[CS_RECORD_KIND_SLOTS];
  int64_t rejected[CS_RECORD_KIND_SLOTS];
  /* Host-provided out arrays: transition_count cs_transition_outcome values and job_count
   * enqueue results. */
  int32_t* transition_outcomes;
  cs_enqueue_result* job_results;
} cs_write_result;

/* One stored log line. `id` is assigned by the storage and ignored on append. */
typedef struct cs_log_row {
  uint32_t struct_size;
  uint32_t level; /* cs_log_level */
  int64_t id;
  int64_t ts_ms;
  cs_str request_id;
  cs_str message;
  cs_str fields_json; /* JSON object, may be empty */
} cs_log_row;
typedef int (*cs_log_visitor)(void* ctx, const cs_log_row* row);

typedef struct cs_log_query {
  uint32_t struct_size;
  uint32_t min_level; /* cs_log_level */
  cs_str request_id;  /* empty = any */
  int64_t since_ms;   /* ts_ms >= since_ms */
  int64_t after_id;   /* keyset paging: ids > after_id, ascending */
  int64_t limit;      /* <= 0: no limit */
} cs_log_query;

/* ---- Added in 1.1: reading stored records, quarantine and cursor times; job wake-ups. ---- */

/* Which stored records of one kind to read. Exactly one selector applies: `key` when
 * non-empty (at most one row), else `parent_key` when non-empty, else every row of the kind.
 * Rows come ascending by key; keyset paging: only keys > after_key. */
typedef struct cs_record_query {
  uint32_t struct_size;
  uint32_t kind; /* cs_record_kind */
  cs_str key;
  cs_str parent_key;
  cs_str after_key;
  int64_t limit; /* <= 0: no limit */
} cs_record_query;

/* A stored record as read back. Plugin-owned, valid during the visitor call only. */
typedef struct cs_record_row {
  uint32_t struct_size;
  uint32_t kind; /* cs_record_kind */
  cs_str key;
  cs_str parent_key;
  cs_str source;
  cs_str core_json;
  cs_str raw_json;
  cs_str content_hash;
  int64_t version;       /* 1 on insert, +1 on every content change */
  int64_t created_at_ms; /* batch now_ms of the insert */
  int64_t updated_at_ms; /* batch now_ms of the last content change */
} cs_record_row;
typedef int (*cs_record_visitor)(void* ctx, const cs_record_row* row);

/* Quarantined items: newest first when `newest_first`, else ascending by id. */
typedef struct cs_quarantine_query {
  uint32_t struct_size;
  int32_t newest_first;
  cs_str source;     /* empty = any */
  cs_str job_type;   /* empty = any */
  int64_t before_id; /* newest_first paging: ids < before_id; 0 = no bound */
  int64_t after_id;  /* ascending paging: ids > after_id */
  int64_t limit;     /* <= 0: no limit */
} cs_quarantine_query;

typedef struct cs_quarantine_row {
  uint32_t struct_size;
  uint32_t reserved;
  int64_t id;
  cs_quarantine_item item;
} cs_quarantine_row;
typedef int (*cs_quarantine_visitor)(void* ctx, const cs_quarantine_row* row);

/* A sync cursor's value with the batch now_ms that last wrote it. */
typedef void (*cs_cursor_visitor)(void* ctx, cs_str value, int64_t updated_at_ms);

typedef struct cs_storage_vtable {
  uint32_t struct_size;
  /* Brings the schema to the plugin's current version; idempotent. Refuses a database
   * written by a newer version with a message naming both versions. Thread-safe. */
  cs_status (*migrate)(void* instance, cs_error* err);

  /* Enqueues `count` specs in one transaction; `out` has `count` entries. A spec whose
   * (type, key) is live returns the live job's id with duplicate = 1. */
  cs_status (*enqueue)(void* instance, const cs_job_spec* specs, size_t count, int64_t now_ms,
                       cs_enqueue_result* out, cs_error* err);
  /* Atomically moves up to max_jobs due queued jobs (oldest run_at first) to processing
   * under the request's lease, incrementing their attempts, and visits each. */
  cs_status (*claim)(void* instance, const cs_claim_request* request, cs_job_visitor visit,
                     void* ctx, cs_error* err);
  /* Extends a lease still held by `lease_token`; *out_applied = 0 when it is not. */
  cs_status (*heartbeat)(void* instance, int64_t job_id, cs_str lease_token, int64_t lease_until_ms,
                         int64_t now_ms, int32_t* out_applied, cs_error* err);
  /* Applies `count` transitions in one transaction; `outcomes` gets one
   * cs_transition_outcome each. */
  cs_status (*transition)(void* instance, const cs_transition* transitions, size_t count,
                          int32_t* outcomes, cs_error* err);
  /* Requeues failed job `job_id` (0 = every failed job, optionally only of `type`) with its
   * attempts reset and run_at = now_ms. A failed job whose (type, key) is live again, or an
   * older failed twin of a requeued one, stays failed and is counted in out_skipped. */
  cs_status (*retry_failed)(void* instance, int64_t job_id, cs_str type, int64_t now_ms,
                            int64_t* out_requeued, int64_t* out_skipped, cs_error* err);
  /* Every processing job whose lease_until_ms < now_ms: back to queued (run_at = now_ms)
   * with "lease expired" appended to its errors, or failed when its attempts are used up. */
  cs_status (*rescue_expired)(void* instance, int64_t now_ms, int64_t* out_requeued,
                              int64_t* out_failed, cs_error* err);
  /* Visits job counts grouped by (type, state), ordered by type then state. */
  cs_status (*stats)(void* instance, cs_stat_visitor visit, void* ctx, cs_error* err);
  /* Visits jobs matching the query, ascending by id. */
  cs_status (*list_jobs)(void* instance, const cs_job_query* query, cs_job_visitor visit, void* ctx,
                         cs_error* err);
  /* Commits the batch in one transaction (see cs_write_batch) and fills `result`. */
  cs_status (*write_batch)(void* instance, const cs_write_batch* batch, cs_write_result* result,
                           cs_error* err);
  /* Appends `count` log rows (stride with cs_array_at) in one transaction. */
  cs_status (*append_logs)(void* instance, const cs_log_row* rows, size_t count, cs_error* err);
  /* Visits stored log rows matching the query, ascending by id. */
  cs_status (*query_logs)(void* instance, const cs_log_query* query, cs_log_visitor visit,
                          void* ctx, cs_error* err);
  /* Deletes log rows with ts_ms < before_ms (retention). */
  cs_status (*delete_logs_before)(void* instance, int64_t before_ms, int64_t* out_deleted,
                                  cs_error* err);
  /* Visits the value of sync cursor `name` once when it exists; *out_found says whether. */
  cs_status (*read_cursor)(void* instance, cs_str name, cs_str_visitor visit, void* ctx,
                           int32_t* out_found, cs_error* err);

  /* Added in 1.1. The host calls these only when struct_size covers them. */

  /* Visits the records matching the query (see cs_record_query). */
  cs_status (*read_records)(void* instance, const cs_record_query* query, cs_record_visitor visit,
                            void* ctx, cs_error* err);
  /* Visits the quarantined items matching the query. */
  cs_status (*query_quarantine)(void* instance, const cs_quarantine_query* query,
                                cs_quarantine_visitor visit, void* ctx, cs_error* err);
  /* Like read_cursor, also giving the batch now_ms that last wrote the cursor. */
  cs_status (*read_cursor_entry)(void* instance, cs_str name, cs_cursor_visitor visit, void* ctx,
                                 int32_t* out_found, cs_error* err);
  /* May be NULL: the storage cannot notify and the host polls. Otherwise blocks the calling
   * thread up to timeout_ms of real time until jobs may have become claimable because some
   * process (this one included) enqueued, retried or requeued them: *out_woken = 1, or 0 on
   * timeout. Spurious wake-ups are allowed. Thread-safe; meant for one waiting thread. */
  cs_status (*wait_for_jobs)(void* instance, int64_t timeout_ms, int32_t* out_woken, cs_error* err);
} cs_storage_vtable;

/* ---------------------------------------------------------------------------------------- */
/* The descriptor returned by the query function.                                           */
/* ---------------------------------------------------------------------------------------- */

typedef struct cs_plugin_descriptor {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t kind; /* cs_plugin_kind */
  /* Static NUL-terminated UTF-8 metadata. `name` is [a-z0-9_]+ and unique per kind. */
  const char* name;
  const char* version;
  const char* description;
  /* JSON Schema (draft-04) of the plugin's config section (providers.<name> or
   * storage.<name>). Static. */
  const char* config_schema;

  /* Called once after the ABI check, before any other function. `host` stays valid until
   * the library is unloaded. Returns CS_OK or fails with an error. */
  cs_status (*init)(const cs_host_api* host, cs_error* err);
  /* Creates an instance from its validated config section (JSON text). The host owns the
   * instance and releases it with `destroy`. */
  cs_status (*create)(cs_str config_json, void** out_instance, cs_error* err);
  /* Releases an instance made by `create`. Never fails. */
  void (*destroy)(void* instance);

  /* Kind-specific vtable: cs_provider_vtable or cs_storage_vtable. Static. */
  const void* vtable;

  /* Added in 1.3: a plugin driven by a document of its own (the REST provider's manifest).
   * All three are NULL for a plugin that reads none. */

  /* The key of the plugin's config section that names the document's file. The host reads
   * that file (JSON with comments; a relative path is relative to the config file), checks
   * it against `document_schema` and `inspect_document`, and passes `create` the section with
   * this key's value replaced by the parsed document. Static. */
  const char* document_key;
  /* JSON Schema (draft-04) of the document. Static. */
  const char* document_schema;
  /* Checks a document that passed `document_schema` for what a schema cannot say, and says
   * which options it reads: visits once a JSON object {"problems": [{"pointer": "/streams/0",
   * "message": "..."}], "config_schema": {...}}, where config_schema is the JSON Schema of
   * the section's other keys. CS_OK even with problems; an error status only when the call
   * itself failed. No I/O. Thread-safe. */
  cs_status (*inspect_document)(cs_str document_json, cs_str_visitor visit, void* ctx,
                                cs_error* err);
} cs_plugin_descriptor;

/* Signature of the exported query function. It must do nothing but return a pointer to a
 * static descriptor: the host calls it before it has checked the ABI. */
typedef const cs_plugin_descriptor* (*cs_query_fn)(void);  // NOLINT(modernize-redundant-void-arg)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARDSYNC_ABI_H */
