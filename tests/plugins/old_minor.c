/* A provider built against the ABI 1.1 header (tests/plugins/abi_1_1, kept as it was released)
 * so a newer host is shown to load and run a plugin of an older minor: its provider vtable
 * ends before the 1.2 lookup members, which the host must then not read.
 *
 *   old_minor.item <key>  GET <payload, a URL> -> one card record <key> whose core_json is
 *                         {"name": <the response body>}; then done. */
#include <cardsync/abi.h>
#include <string.h>

#if CS_ABI_MINOR != 1
#error "old_minor.c must be compiled against the ABI 1.1 header"
#endif

static const cs_host_api* g_host;

static cs_status om_init(const cs_host_api* host, cs_error* err) {
  (void)err;
  g_host = host;
  return CS_OK;
}
static cs_status om_create(cs_str config, void** out, cs_error* err) {
  (void)config;
  (void)err;
  *out = (void*)&g_host;
  return CS_OK;
}
static void om_destroy(void* instance) {
  (void)instance;
}

static cs_str lit(const char* s) {
  cs_str out = {s, strlen(s)};
  return out;
}

static cs_status om_plan(void* instance, cs_str spec, const cs_emit_api* api, cs_emit* e,
                         cs_error* err) {
  (void)instance;
  (void)err;
  api->job(e, lit("old_minor.item"), lit("one"), spec);
  return CS_OK;
}

static cs_status om_start(void* instance, const cs_job* job, const cs_emit_api* api, cs_emit* e,
                          cs_error* err) {
  cs_request request;
  (void)instance;
  if (job->payload.len == 0) {
    g_host->set_error(err, lit("old_minor.item needs a URL as its payload"));
    return CS_PERMANENT;
  }
  memset(&request, 0, sizeof request);
  request.struct_size = sizeof request;
  request.method = lit("GET");
  request.url = job->payload;
  api->request(e, &request);
  return CS_OK;
}

static cs_status om_handle(void* instance, const cs_job* job, const cs_request* request,
                           const cs_response* response, const cs_emit_api* api, cs_emit* e,
                           cs_error* err) {
  char core[256];
  size_t n;
  cs_record record;
  (void)instance;
  (void)request;
  if (response->status != 200 || response->body.len > 200) {
    g_host->set_error(err, lit("old_minor: unexpected answer"));
    return CS_PERMANENT;
  }
  memcpy(core, "{\"name\":\"", 9);
  memcpy(core + 9, response->body.data, response->body.len);
  n = 9 + response->body.len;
  memcpy(core + n, "\"}", 2);
  n += 2;
  memset(&record, 0, sizeof record);
  record.struct_size = sizeof record;
  record.kind = CS_RECORD_CARD;
  record.key = job->key;
  record.core_json.data = core;
  record.core_json.len = n;
  record.raw_json = response->body;
  api->record(e, &record);
  api->cursor(e, lit("done"));
  return CS_OK;
}

static const char* const om_job_types[] = {"old_minor.item", NULL};
static const cs_provider_vtable om_vtable = {
    sizeof(cs_provider_vtable), "old_minor", om_job_types, "{}", om_plan, om_start, om_handle};
static const cs_plugin_descriptor om_descriptor = {sizeof(cs_plugin_descriptor),
                                                   CS_ABI_MAJOR,
                                                   CS_ABI_MINOR,
                                                   CS_KIND_PROVIDER,
                                                   "old_minor",
                                                   "1.1.0",
                                                   "a provider built against ABI 1.1",
                                                   "{}",
                                                   om_init,
                                                   om_create,
                                                   om_destroy,
                                                   &om_vtable};

__attribute__((visibility("default"))) const cs_plugin_descriptor* cardsync_plugin_query(void) {
  return &om_descriptor;
}
