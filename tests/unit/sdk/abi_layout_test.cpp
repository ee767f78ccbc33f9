// Pins the ABI's sizes and offsets (x86_64 / LP64). A change here is an ABI break: new
// members go at the end of a struct, with CS_ABI_MINOR bumped and a new line below.
#include <cardsync/abi.h>
#include <gtest/gtest.h>

#include <cstddef>

extern "C" int cardsync_abi_c_sizes(size_t* out, int n);

#define PIN(type, member, offset) EXPECT_EQ(offsetof(type, member), offset) << #type "." #member

TEST(AbiLayout, VersionIs1_0) {
  EXPECT_EQ(CS_ABI_MAJOR, 1);
  EXPECT_EQ(CS_ABI_MINOR, 0);
}

TEST(AbiLayout, BasicTypes) {
  EXPECT_EQ(sizeof(cs_str), 16u);
  EXPECT_EQ(sizeof(cs_field), 32u);
  EXPECT_EQ(sizeof(cs_header), 32u);
  EXPECT_EQ(CS_OK, 0);
  EXPECT_EQ(CS_RETRY, 1);
  EXPECT_EQ(CS_PERMANENT, 2);
  EXPECT_EQ(CS_FATAL, 3);
  EXPECT_EQ(CS_KIND_PROVIDER, 1);
  EXPECT_EQ(CS_KIND_STORAGE, 2);
  EXPECT_EQ(CS_RECORD_GAME, 1);
  EXPECT_EQ(CS_RECORD_CERT_IMAGE, 6);
}

TEST(AbiLayout, HostApi_1_0) {
  EXPECT_EQ(sizeof(cs_host_api), 32u);
  PIN(cs_host_api, struct_size, 0u);
  PIN(cs_host_api, abi_major, 4u);
  PIN(cs_host_api, abi_minor, 6u);
  PIN(cs_host_api, ctx, 8u);
  PIN(cs_host_api, log, 16u);
  PIN(cs_host_api, set_error, 24u);
}

TEST(AbiLayout, Descriptor_1_0) {
  EXPECT_EQ(sizeof(cs_plugin_descriptor), 80u);
  PIN(cs_plugin_descriptor, struct_size, 0u);
  PIN(cs_plugin_descriptor, abi_major, 4u);
  PIN(cs_plugin_descriptor, abi_minor, 6u);
  PIN(cs_plugin_descriptor, kind, 8u);
  PIN(cs_plugin_descriptor, name, 16u);
  PIN(cs_plugin_descriptor, version, 24u);
  PIN(cs_plugin_descriptor, description, 32u);
  PIN(cs_plugin_descriptor, config_schema, 40u);
  PIN(cs_plugin_descriptor, init, 48u);
  PIN(cs_plugin_descriptor, create, 56u);
  PIN(cs_plugin_descriptor, destroy, 64u);
  PIN(cs_plugin_descriptor, vtable, 72u);
}

TEST(AbiLayout, ProviderTypes_1_0) {
  EXPECT_EQ(sizeof(cs_request), 72u);
  PIN(cs_request, method, 8u);
  PIN(cs_request, url, 24u);
  PIN(cs_request, headers, 40u);
  PIN(cs_request, header_count, 48u);
  PIN(cs_request, body, 56u);

  EXPECT_EQ(sizeof(cs_response), 40u);
  PIN(cs_response, status, 4u);
  PIN(cs_response, headers, 8u);
  PIN(cs_response, header_count, 16u);
  PIN(cs_response, body, 24u);

  EXPECT_EQ(sizeof(cs_job), 104u);
  PIN(cs_job, id, 8u);
  PIN(cs_job, type, 16u);
  PIN(cs_job, key, 32u);
  PIN(cs_job, payload, 48u);
  PIN(cs_job, cursor, 64u);
  PIN(cs_job, request_id, 80u);
  PIN(cs_job, attempt, 96u);

  EXPECT_EQ(sizeof(cs_record), 72u);
  PIN(cs_record, kind, 4u);
  PIN(cs_record, key, 8u);
  PIN(cs_record, parent_key, 24u);
  PIN(cs_record, core_json, 40u);
  PIN(cs_record, raw_json, 56u);

  EXPECT_EQ(sizeof(cs_emit_api), 56u);
  PIN(cs_emit_api, request, 8u);
  PIN(cs_emit_api, record, 16u);
  PIN(cs_emit_api, reject, 24u);
  PIN(cs_emit_api, job, 32u);
  PIN(cs_emit_api, cursor, 40u);
  PIN(cs_emit_api, rate_limits, 48u);

  EXPECT_EQ(sizeof(cs_provider_vtable), 56u);
  PIN(cs_provider_vtable, service, 8u);
  PIN(cs_provider_vtable, job_types, 16u);
  PIN(cs_provider_vtable, item_schemas, 24u);
  PIN(cs_provider_vtable, plan, 32u);
  PIN(cs_provider_vtable, start, 40u);
  PIN(cs_provider_vtable, handle, 48u);
}

TEST(AbiLayout, StorageVtable_1_0) {
  EXPECT_EQ(sizeof(cs_storage_vtable), 16u);
  PIN(cs_storage_vtable, migrate, 8u);
}

// The same header compiled as C11 must agree with C++ on every size.
TEST(AbiLayout, CAndCppAgree) {
  size_t c_sizes[8] = {};
  ASSERT_EQ(cardsync_abi_c_sizes(c_sizes, 8), 8);
  EXPECT_EQ(c_sizes[0], sizeof(cs_plugin_descriptor));
  EXPECT_EQ(c_sizes[1], sizeof(cs_host_api));
  EXPECT_EQ(c_sizes[2], sizeof(cs_provider_vtable));
  EXPECT_EQ(c_sizes[3], sizeof(cs_storage_vtable));
  EXPECT_EQ(c_sizes[4], sizeof(cs_job));
  EXPECT_EQ(c_sizes[5], sizeof(cs_record));
  EXPECT_EQ(c_sizes[6], sizeof(cs_request));
  EXPECT_EQ(c_sizes[7], sizeof(cs_emit_api));
}
