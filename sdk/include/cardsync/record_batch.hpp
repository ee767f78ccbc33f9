#pragma once
// Helpers for storage plugins' write_batch, header-only (no ABI surface):
//
//   WriteCounts counts;
//   std::vector<size_t> order = sdk::collapse_records(batch.records, kKinds, counts);
//   for (size_t i : order) write(batch.records[i]);   // one record per (kind, key)
//
// Pure functions of their arguments: thread-safe, nothing retained.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "cardsync/sdk.hpp"

namespace cardsync::sdk {

// 64-bit hash of a record key, 8 bytes per step: collapsing a 200,000-record batch costs
// little next to the SQL (std::hash over std::string_view showed up in profiles).
inline uint64_t record_key_hash(uint32_t kind, std::string_view key) noexcept {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (key.size() * 0x100000001b3ULL) ^ kind;
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t v = 0;
    std::memcpy(&v, key.data() + i, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  if (i < key.size()) std::memcpy(&tail, key.data() + i, key.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

// Positions in `records` of the records to write: one per (kind, key), in the order each
// (kind, key) first appears, each pointing at its last occurrence (the newest wins; an
// engine may also refuse to write one key twice in a statement). Records whose kind is 0 or
// not below `kinds`, or whose key is empty, are counted in `counts.rejected` and left out.
// Open addressing over one array: no allocation per record.
inline std::vector<size_t> collapse_records(const std::vector<StoredRecord>& records, size_t kinds,
                                            WriteCounts& counts) {
  std::vector<size_t> order;
  order.reserve(records.size());
  size_t capacity = 16;
  while (capacity < records.size() * 2) capacity <<= 1;
  std::vector<uint32_t> slots(capacity, 0);  // 1 + position in `order`, 0 = empty
  const size_t mask = capacity - 1;
  for (size_t i = 0; i < records.size(); ++i) {
    const StoredRecord& r = records[i];
    const auto kind = static_cast<uint32_t>(r.kind);
    if (kind == 0 || kind >= kinds || r.key.empty()) {
      counts.rejected[kind < CS_RECORD_KIND_SLOTS ? kind : 0] += 1;
      continue;
    }
    for (size_t s = record_key_hash(kind, r.key) & mask;; s = (s + 1) & mask) {
      if (slots[s] == 0) {
        slots[s] = static_cast<uint32_t>(order.size() + 1);
        order.push_back(i);
        break;
      }
      const StoredRecord& seen = records[order[slots[s] - 1]];
      if (seen.kind == r.kind && seen.key == r.key) {
        order[slots[s] - 1] = i;
        break;
      }
    }
  }
  return order;
}

}  // namespace cardsync::sdk
