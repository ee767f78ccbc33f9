// Pins the ABI's sizes and offsets (x86_64 / LP64). A change here is an ABI break: new
// members go at the end of a struct, with CS_ABI_MINOR bumped and a new line below.
#include <cardsync/abi.h>
#include <gtest/gtest.h>

#include <cstddef>

extern "C" int cardsync_abi_c_sizes(size_t* out, int n);

#define PIN(type, member, offset) EXPECT_EQ(offsetof(type, member), offset) << #type "." #member

TEST(AbiLayout, VersionIs1_3) {
  EXPECT_EQ(CS_ABI_MAJOR, 1);
  EXPECT_EQ(CS_ABI_MINOR, 3);
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
  EXPECT_GE(sizeof(cs_plugin_descriptor), 80u);
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

TEST(AbiLayout, Documents_1_3) {
  EXPECT_EQ(sizeof(cs_plugin_descriptor), 104u);
  PIN(cs_plugin_descriptor, document_key, 80u);
  PIN(cs_plugin_descriptor, document_schema, 88u);
  PIN(cs_plugin_descriptor, inspect_document, 96u);

  EXPECT_EQ(sizeof(cs_provider_vtable), 88u);
  PIN(cs_provider_vtable, describe, 80u);
  EXPECT_EQ(sizeof(cs_instance_description), 40u);
  PIN(cs_instance_description, job_types, 8u);
  PIN(cs_instance_description, item_schemas, 16u);
  PIN(cs_instance_description, lookups, 24u);
  PIN(cs_instance_description, lookup_count, 32u);
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

  PIN(cs_provider_vtable, service, 8u);
  PIN(cs_provider_vtable, job_types, 16u);
  PIN(cs_provider_vtable, item_schemas, 24u);
  PIN(cs_provider_vtable, plan, 32u);
  PIN(cs_provider_vtable, start, 40u);
  PIN(cs_provider_vtable, handle, 48u);
}

TEST(AbiLayout, ProviderLookups_1_2) {
  EXPECT_GE(sizeof(cs_provider_vtable), 80u);
  PIN(cs_provider_vtable, lookups, 56u);
  PIN(cs_provider_vtable, lookup_count, 64u);
  PIN(cs_provider_vtable, normalise_key, 72u);

  EXPECT_EQ(sizeof(cs_lookup_kind), 72u);
  PIN(cs_lookup_kind, struct_size, 0u);
  PIN(cs_lookup_kind, record_kind, 4u);
  PIN(cs_lookup_kind, name, 8u);
  PIN(cs_lookup_kind, job_type, 16u);
  PIN(cs_lookup_kind, description, 24u);
  PIN(cs_lookup_kind, key_example, 32u);
  PIN(cs_lookup_kind, child_kind, 40u);
  PIN(cs_lookup_kind, reserved, 44u);
  PIN(cs_lookup_kind, child_field, 48u);
  PIN(cs_lookup_kind, ttl_seconds, 56u);
  PIN(cs_lookup_kind, not_found_ttl_seconds, 64u);

  EXPECT_STREQ(CS_LOOKUP_FOUND, "found");
  EXPECT_STREQ(CS_LOOKUP_FOUND_AS_PREFIX, "found:");
  EXPECT_STREQ(CS_LOOKUP_NOT_FOUND, "not_found");
  EXPECT_STREQ(CS_LOOKUP_INVALID, "invalid");
}

TEST(AbiLayout, StorageVtable_1_0) {
  PIN(cs_storage_vtable, migrate, 8u);
  PIN(cs_storage_vtable, enqueue, 16u);
  PIN(cs_storage_vtable, claim, 24u);
  PIN(cs_storage_vtable, heartbeat, 32u);
  PIN(cs_storage_vtable, transition, 40u);
  PIN(cs_storage_vtable, retry_failed, 48u);
  PIN(cs_storage_vtable, rescue_expired, 56u);
  PIN(cs_storage_vtable, stats, 64u);
  PIN(cs_storage_vtable, list_jobs, 72u);
  PIN(cs_storage_vtable, write_batch, 80u);
  PIN(cs_storage_vtable, append_logs, 88u);
  PIN(cs_storage_vtable, query_logs, 96u);
  PIN(cs_storage_vtable, delete_logs_before, 104u);
  PIN(cs_storage_vtable, read_cursor, 112u);
}

TEST(AbiLayout, StorageVtable_1_1) {
  EXPECT_EQ(sizeof(cs_storage_vtable), 152u);
  PIN(cs_storage_vtable, read_records, 120u);
  PIN(cs_storage_vtable, query_quarantine, 128u);
  PIN(cs_storage_vtable, read_cursor_entry, 136u);
  PIN(cs_storage_vtable, wait_for_jobs, 144u);
}

TEST(AbiLayout, StorageReadTypes_1_1) {
  EXPECT_EQ(sizeof(cs_record_query), 64u);
  PIN(cs_record_query, kind, 4u);
  PIN(cs_record_query, key, 8u);
  PIN(cs_record_query, parent_key, 24u);
  PIN(cs_record_query, after_key, 40u);
  PIN(cs_record_query, limit, 56u);
  EXPECT_EQ(sizeof(cs_record_row), 128u);
  PIN(cs_record_row, key, 8u);
  PIN(cs_record_row, content_hash, 88u);
  PIN(cs_record_row, version, 104u);
  PIN(cs_record_row, created_at_ms, 112u);
  PIN(cs_record_row, updated_at_ms, 120u);
  EXPECT_EQ(sizeof(cs_quarantine_query), 64u);
  PIN(cs_quarantine_query, newest_first, 4u);
  PIN(cs_quarantine_query, source, 8u);
  PIN(cs_quarantine_query, job_type, 24u);
  PIN(cs_quarantine_query, before_id, 40u);
  PIN(cs_quarantine_query, after_id, 48u);
  PIN(cs_quarantine_query, limit, 56u);
  EXPECT_EQ(sizeof(cs_quarantine_row), 144u);
  PIN(cs_quarantine_row, id, 8u);
  PIN(cs_quarantine_row, item, 16u);
}

TEST(AbiLayout, StorageQueueTypes_1_0) {
  EXPECT_EQ(CS_JOB_QUEUED, 1);
  EXPECT_EQ(CS_JOB_PROCESSING, 2);
  EXPECT_EQ(CS_JOB_DONE, 3);
  EXPECT_EQ(CS_JOB_FAILED, 4);
  EXPECT_EQ(CS_ACTION_CHECKPOINT, 1);
  EXPECT_EQ(CS_ACTION_COMPLETE, 2);
  EXPECT_EQ(CS_ACTION_RETRY, 3);
  EXPECT_EQ(CS_ACTION_SNOOZE, 4);
  EXPECT_EQ(CS_ACTION_FAIL, 5);
  EXPECT_EQ(CS_TRANSITION_APPLIED, 0);
  EXPECT_EQ(CS_TRANSITION_STALE, 1);

  EXPECT_EQ(sizeof(cs_job_spec), 80u);
  PIN(cs_job_spec, max_attempts, 4u);
  PIN(cs_job_spec, type, 8u);
  PIN(cs_job_spec, key, 24u);
  PIN(cs_job_spec, payload, 40u);
  PIN(cs_job_spec, request_id, 56u);
  PIN(cs_job_spec, run_at_ms, 72u);

  EXPECT_EQ(sizeof(cs_enqueue_result), 16u);
  PIN(cs_enqueue_result, id, 0u);
  PIN(cs_enqueue_result, duplicate, 8u);
  PIN(cs_enqueue_result, reserved, 12u);

  EXPECT_EQ(sizeof(cs_job_error), 56u);
  PIN(cs_job_error, attempt, 4u);
  PIN(cs_job_error, at_ms, 8u);
  PIN(cs_job_error, http_status, 16u);
  PIN(cs_job_error, reserved, 20u);
  PIN(cs_job_error, message, 24u);
  PIN(cs_job_error, request_id, 40u);

  EXPECT_EQ(sizeof(cs_job_row), 184u);
  PIN(cs_job_row, state, 4u);
  PIN(cs_job_row, id, 8u);
  PIN(cs_job_row, type, 16u);
  PIN(cs_job_row, key, 32u);
  PIN(cs_job_row, payload, 48u);
  PIN(cs_job_row, cursor, 64u);
  PIN(cs_job_row, request_id, 80u);
  PIN(cs_job_row, attempts, 96u);
  PIN(cs_job_row, max_attempts, 100u);
  PIN(cs_job_row, run_at_ms, 104u);
  PIN(cs_job_row, created_at_ms, 112u);
  PIN(cs_job_row, updated_at_ms, 120u);
  PIN(cs_job_row, lease_owner, 128u);
  PIN(cs_job_row, lease_token, 144u);
  PIN(cs_job_row, lease_until_ms, 160u);
  PIN(cs_job_row, errors, 168u);
  PIN(cs_job_row, error_count, 176u);

  EXPECT_EQ(sizeof(cs_claim_request), 72u);
  PIN(cs_claim_request, max_jobs, 4u);
  PIN(cs_claim_request, owner, 8u);
  PIN(cs_claim_request, lease_token, 24u);
  PIN(cs_claim_request, now_ms, 40u);
  PIN(cs_claim_request, lease_until_ms, 48u);
  PIN(cs_claim_request, types, 56u);
  PIN(cs_claim_request, type_count, 64u);

  EXPECT_EQ(sizeof(cs_transition), 104u);
  PIN(cs_transition, action, 4u);
  PIN(cs_transition, job_id, 8u);
  PIN(cs_transition, lease_token, 16u);
  PIN(cs_transition, cursor, 32u);
  PIN(cs_transition, run_at_ms, 48u);
  PIN(cs_transition, error_message, 56u);
  PIN(cs_transition, http_status, 72u);
  PIN(cs_transition, reserved, 76u);
  PIN(cs_transition, request_id, 80u);
  PIN(cs_transition, now_ms, 96u);

  EXPECT_EQ(sizeof(cs_stat_row), 40u);
  PIN(cs_stat_row, state, 4u);
  PIN(cs_stat_row, type, 8u);
  PIN(cs_stat_row, count, 24u);
  PIN(cs_stat_row, next_run_at_ms, 32u);

  EXPECT_EQ(sizeof(cs_job_query), 48u);
  PIN(cs_job_query, state, 4u);
  PIN(cs_job_query, type, 8u);
  PIN(cs_job_query, after_id, 24u);
  PIN(cs_job_query, limit, 32u);
  PIN(cs_job_query, with_errors, 40u);
  PIN(cs_job_query, reserved, 44u);
}

TEST(AbiLayout, StorageWriteTypes_1_0) {
  EXPECT_EQ(CS_RECORD_KIND_SLOTS, 16);

  EXPECT_EQ(sizeof(cs_stored_record), 104u);
  PIN(cs_stored_record, kind, 4u);
  PIN(cs_stored_record, key, 8u);
  PIN(cs_stored_record, parent_key, 24u);
  PIN(cs_stored_record, source, 40u);
  PIN(cs_stored_record, core_json, 56u);
  PIN(cs_stored_record, raw_json, 72u);
  PIN(cs_stored_record, content_hash, 88u);

  EXPECT_EQ(sizeof(cs_cursor_update), 40u);
  PIN(cs_cursor_update, reserved, 4u);
  PIN(cs_cursor_update, name, 8u);
  PIN(cs_cursor_update, value, 24u);

  EXPECT_EQ(sizeof(cs_quarantine_item), 128u);
  PIN(cs_quarantine_item, at_ms, 8u);
  PIN(cs_quarantine_item, source, 16u);
  PIN(cs_quarantine_item, job_type, 32u);
  PIN(cs_quarantine_item, job_key, 48u);
  PIN(cs_quarantine_item, reason, 64u);
  PIN(cs_quarantine_item, json_path, 80u);
  PIN(cs_quarantine_item, raw_item, 96u);
  PIN(cs_quarantine_item, request_id, 112u);

  EXPECT_EQ(sizeof(cs_write_batch), 96u);
  PIN(cs_write_batch, now_ms, 8u);
  PIN(cs_write_batch, records, 16u);
  PIN(cs_write_batch, record_count, 24u);
  PIN(cs_write_batch, transitions, 32u);
  PIN(cs_write_batch, transition_count, 40u);
  PIN(cs_write_batch, cursors, 48u);
  PIN(cs_write_batch, cursor_count, 56u);
  PIN(cs_write_batch, quarantine, 64u);
  PIN(cs_write_batch, quarantine_count, 72u);
  PIN(cs_write_batch, jobs, 80u);
  PIN(cs_write_batch, job_count, 88u);

  EXPECT_EQ(sizeof(cs_write_result), 536u);
  PIN(cs_write_result, reserved, 4u);
  PIN(cs_write_result, inserted, 8u);
  PIN(cs_write_result, updated, 136u);
  PIN(cs_write_result, unchanged, 264u);
  PIN(cs_write_result, rejected, 392u);
  PIN(cs_write_result, transition_outcomes, 520u);
  PIN(cs_write_result, job_results, 528u);

  EXPECT_EQ(sizeof(cs_log_row), 72u);
  PIN(cs_log_row, level, 4u);
  PIN(cs_log_row, id, 8u);
  PIN(cs_log_row, ts_ms, 16u);
  PIN(cs_log_row, request_id, 24u);
  PIN(cs_log_row, message, 40u);
  PIN(cs_log_row, fields_json, 56u);

  EXPECT_EQ(sizeof(cs_log_query), 48u);
  PIN(cs_log_query, min_level, 4u);
  PIN(cs_log_query, request_id, 8u);
  PIN(cs_log_query, since_ms, 24u);
  PIN(cs_log_query, after_id, 32u);
  PIN(cs_log_query, limit, 40u);
}

// Arrays of struct_size-led structs are strided by the first element's struct_size, so a
// plugin built against a smaller struct still finds every element a newer host sends.
TEST(AbiLayout, ArrayAtStridesByStructSize) {
  struct Bigger {
    cs_cursor_update known;
    int64_t added_later;
  };
  Bigger items[3] = {};
  for (int i = 0; i < 3; ++i) {
    items[i].known.struct_size = sizeof(Bigger);
    items[i].known.name = cs_str{"n", static_cast<size_t>(i)};
  }
  const auto* first = &items[0].known;
  EXPECT_EQ(static_cast<const cs_cursor_update*>(cs_array_at(first, 2))->name.len, 2u);
  EXPECT_EQ(cs_array_at(first, 1), static_cast<const void*>(&items[1]));
}

// The same header compiled as C11 must agree with C++ on every size.
TEST(AbiLayout, CAndCppAgree) {
  size_t c_sizes[29] = {};
  ASSERT_EQ(cardsync_abi_c_sizes(c_sizes, 29), 28);
  EXPECT_EQ(c_sizes[0], sizeof(cs_plugin_descriptor));
  EXPECT_EQ(c_sizes[1], sizeof(cs_host_api));
  EXPECT_EQ(c_sizes[2], sizeof(cs_provider_vtable));
  EXPECT_EQ(c_sizes[3], sizeof(cs_storage_vtable));
  EXPECT_EQ(c_sizes[4], sizeof(cs_job));
  EXPECT_EQ(c_sizes[5], sizeof(cs_record));
  EXPECT_EQ(c_sizes[6], sizeof(cs_request));
  EXPECT_EQ(c_sizes[7], sizeof(cs_emit_api));
  EXPECT_EQ(c_sizes[8], sizeof(cs_job_spec));
  EXPECT_EQ(c_sizes[9], sizeof(cs_enqueue_result));
  EXPECT_EQ(c_sizes[10], sizeof(cs_job_error));
  EXPECT_EQ(c_sizes[11], sizeof(cs_job_row));
  EXPECT_EQ(c_sizes[12], sizeof(cs_claim_request));
  EXPECT_EQ(c_sizes[13], sizeof(cs_transition));
  EXPECT_EQ(c_sizes[14], sizeof(cs_stat_row));
  EXPECT_EQ(c_sizes[15], sizeof(cs_job_query));
  EXPECT_EQ(c_sizes[16], sizeof(cs_stored_record));
  EXPECT_EQ(c_sizes[17], sizeof(cs_cursor_update));
  EXPECT_EQ(c_sizes[18], sizeof(cs_quarantine_item));
  EXPECT_EQ(c_sizes[19], sizeof(cs_write_batch));
  EXPECT_EQ(c_sizes[20], sizeof(cs_write_result));
  EXPECT_EQ(c_sizes[21], sizeof(cs_log_row));
  EXPECT_EQ(c_sizes[22], sizeof(cs_log_query));
  EXPECT_EQ(c_sizes[23], sizeof(cs_record_query));
  EXPECT_EQ(c_sizes[24], sizeof(cs_record_row));
  EXPECT_EQ(c_sizes[25], sizeof(cs_quarantine_query));
  EXPECT_EQ(c_sizes[26], sizeof(cs_quarantine_row));
  EXPECT_EQ(c_sizes[27], sizeof(cs_lookup_kind));
}
