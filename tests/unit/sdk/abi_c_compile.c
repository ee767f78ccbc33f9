/* abi.h must be plain C: this file is compiled as C11 with -pedantic. */
#include <cardsync/abi.h>

int cardsync_abi_c_sizes(size_t* out, int n) {
  const size_t sizes[] = {sizeof(cs_plugin_descriptor),
                          sizeof(cs_host_api),
                          sizeof(cs_provider_vtable),
                          sizeof(cs_storage_vtable),
                          sizeof(cs_job),
                          sizeof(cs_record),
                          sizeof(cs_request),
                          sizeof(cs_emit_api),
                          sizeof(cs_job_spec),
                          sizeof(cs_enqueue_result),
                          sizeof(cs_job_error),
                          sizeof(cs_job_row),
                          sizeof(cs_claim_request),
                          sizeof(cs_transition),
                          sizeof(cs_stat_row),
                          sizeof(cs_job_query),
                          sizeof(cs_stored_record),
                          sizeof(cs_cursor_update),
                          sizeof(cs_quarantine_item),
                          sizeof(cs_write_batch),
                          sizeof(cs_write_result),
                          sizeof(cs_log_row),
                          sizeof(cs_log_query),
                          sizeof(cs_record_query),
                          sizeof(cs_record_row),
                          sizeof(cs_quarantine_query),
                          sizeof(cs_quarantine_row),
                          sizeof(cs_lookup_kind)};
  int count = (int)(sizeof(sizes) / sizeof(sizes[0]));
  int i;
  if (n < count) return -1;
  for (i = 0; i < count; ++i) out[i] = sizes[i];
  return count;
}
