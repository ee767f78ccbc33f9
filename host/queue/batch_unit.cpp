#include "queue/batch_unit.hpp"

namespace cardsync::queue {

size_t BatchUnit::bytes() const {
  size_t n = 0;
  for (const auto& r : records) {
    n += r.key.size() + r.parent_key.size() + r.source.size() + r.core_json.size() +
         r.raw_json.size() + r.content_hash.size();
  }
  for (const auto& q : quarantine) {
    n += q.source.size() + q.job_type.size() + q.job_key.size() + q.reason.size() +
         q.json_path.size() + q.raw_item.size() + q.request_id.size();
  }
  for (const auto& c : cursors) n += c.name.size() + c.value.size();
  for (const auto& j : jobs) n += j.type.size() + j.key.size() + j.payload.size();
  if (transition) n += transition->cursor.size() + transition->error_message.size();
  return n;
}

}  // namespace cardsync::queue
