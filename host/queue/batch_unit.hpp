#pragma once
// What one provider response produces, as the batch sink receives it: records, quarantined
// items, cursors, follow-up jobs and the job's transition (checkpoint or completion). A unit
// is committed whole, in one storage transaction with the rest of its batch, so a job is
// never marked done without its records.

#include <cardsync/abi.h>

#include <optional>
#include <string>
#include <vector>

#include "queue/new_job.hpp"
#include "queue/transition_spec.hpp"

namespace cardsync::queue {

struct RecordItem {
  uint32_t kind = CS_RECORD_GAME;  // cs_record_kind
  std::string key, parent_key, source, core_json, raw_json;
  std::string content_hash;  // computed by the sink when empty
};

struct QuarantineEntry {
  int64_t at_ms = 0;
  std::string source, job_type, job_key, reason, json_path, raw_item, request_id;
};

struct CursorEntry {
  std::string name, value;
};

struct BatchUnit {
  std::vector<RecordItem> records;
  std::vector<QuarantineEntry> quarantine;
  std::vector<CursorEntry> cursors;
  std::vector<NewJob> jobs;
  std::optional<TransitionSpec> transition;

  // Approximate payload size, for the sink's byte threshold.
  size_t bytes() const;
};

}  // namespace cardsync::queue
