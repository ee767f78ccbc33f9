/* A provider descriptor written by hand in plain C, so the loader can be shown descriptors
 * that the C++ SDK would never produce (other ABI versions) and abi.h is compiled as C. */
#ifndef CARDSYNC_TEST_C_DESCRIPTOR_H
#define CARDSYNC_TEST_C_DESCRIPTOR_H

#include <cardsync/abi.h>

static cs_status c_init(const cs_host_api* host, cs_error* err) {
  (void)host;
  (void)err;
  return CS_OK;
}
static cs_status c_create(cs_str config, void** out, cs_error* err) {
  (void)config;
  (void)err;
  *out = (void*)1;
  return CS_OK;
}
static void c_destroy(void* instance) {
  (void)instance;
}

static const char* const c_job_types[] = {NULL};
static const cs_provider_vtable c_vtable = {
    sizeof(cs_provider_vtable), "c", c_job_types, "{}", NULL, NULL, NULL, NULL, 0, NULL, NULL};

#define C_DESCRIPTOR(var, name, major, minor)                            \
  static const cs_plugin_descriptor var = {sizeof(cs_plugin_descriptor), \
                                           major,                        \
                                           minor,                        \
                                           CS_KIND_PROVIDER,             \
                                           name,                         \
                                           "0.0.1",                      \
                                           "test plugin",                \
                                           "{}",                         \
                                           c_init,                       \
                                           c_create,                     \
                                           c_destroy,                    \
                                           &c_vtable,                    \
                                           NULL,                         \
                                           NULL,                         \
                                           NULL}

#endif
