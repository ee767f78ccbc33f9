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

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CS_ABI_MAJOR 1
#define CS_ABI_MINOR 0

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
  cs_str type;       /* e.g. "justtcg.cards" */
  cs_str key;        /* unique with type among live jobs, e.g. a set id */
  cs_str payload;    /* JSON text, may be empty */
  cs_str cursor;     /* checkpoint stored with the last committed page; empty at first */
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
} cs_provider_vtable;

/* ---------------------------------------------------------------------------------------- */
/* Storage plugins: the SQL for one engine. Operations are added by the storage contract;  */
/* every operation receives the instance and an error slot.                                  */
/* ---------------------------------------------------------------------------------------- */

typedef struct cs_storage_vtable {
  uint32_t struct_size;
  /* Brings the schema to the plugin's current version; idempotent. Refuses a database
   * written by a newer version with a message naming both versions. Thread-safe. */
  cs_status (*migrate)(void* instance, cs_error* err);
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
} cs_plugin_descriptor;

/* Signature of the exported query function. It must do nothing but return a pointer to a
 * static descriptor: the host calls it before it has checked the ABI. */
typedef const cs_plugin_descriptor* (*cs_query_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARDSYNC_ABI_H */
