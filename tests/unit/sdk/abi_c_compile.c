/* abi.h must be plain C: this file is compiled as C11 with -pedantic. */
#include <cardsync/abi.h>

int cardsync_abi_c_sizes(size_t* out, int n) {
  const size_t sizes[] = {
      sizeof(cs_plugin_descriptor), sizeof(cs_host_api), sizeof(cs_provider_vtable),
      sizeof(cs_storage_vtable),    sizeof(cs_job),      sizeof(cs_record),
      sizeof(cs_request),           sizeof(cs_emit_api)};
  int count = (int)(sizeof(sizes) / sizeof(sizes[0]));
  int i;
  if (n < count) return -1;
  for (i = 0; i < count; ++i) out[i] = sizes[i];
  return count;
}
