// sdk::collapse_records: what every storage plugin relies on to write one row per key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <cardsync/record_batch.hpp>

namespace cardsync::sdk {
namespace {

StoredRecord rec(uint32_t kind, std::string_view key, std::string_view hash) {
  return StoredRecord{kind, key, "parent", "test", "{}", "{}", hash};
}

TEST(CollapseRecords, KeepsFirstAppearanceOrderAndTheNewestOfEachKey) {
  const std::vector<StoredRecord> records = {
      rec(CS_RECORD_CARD, "a", "a1"), rec(CS_RECORD_CARD, "b", "b1"),
      rec(CS_RECORD_VARIANT, "a", "va"),  // same key, other kind: its own row
      rec(CS_RECORD_CARD, "a", "a2"), rec(CS_RECORD_CARD, "a", "a3")};
  WriteCounts counts;
  const std::vector<size_t> order = collapse_records(records, 7, counts);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(records[order[0]].content_hash, "a3");
  EXPECT_EQ(records[order[1]].content_hash, "b1");
  EXPECT_EQ(records[order[2]].content_hash, "va");
  for (int64_t r : counts.rejected) EXPECT_EQ(r, 0);
}

TEST(CollapseRecords, CountsUnknownKindsAndEmptyKeysAsRejected) {
  const std::vector<StoredRecord> records = {
      rec(0, "x", "h"), rec(7, "x", "h"), rec(CS_RECORD_KIND_SLOTS + 3, "x", "h"),
      rec(CS_RECORD_SET, "", "h"), rec(CS_RECORD_SET, "s", "h")};
  WriteCounts counts;
  const std::vector<size_t> order = collapse_records(records, 7, counts);
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0], 4u);
  EXPECT_EQ(counts.rejected[0], 2);  // kind 0, and a kind beyond the slots
  EXPECT_EQ(counts.rejected[7], 1);
  EXPECT_EQ(counts.rejected[CS_RECORD_SET], 1);
}

TEST(CollapseRecords, ManyKeysWithCollidingPrefixesStayDistinct) {
  // Keys that share their first 8-byte words and differ only in the tail, in lengths 1..40.
  std::vector<std::string> keys;
  keys.reserve(40 * 26);
  for (int len = 1; len <= 40; ++len) {
    for (char c = 'a'; c <= 'z'; ++c) {
      keys.push_back(std::string(static_cast<size_t>(len - 1), 'k') + c);
    }
  }
  std::vector<StoredRecord> records;
  records.reserve(2 * keys.size());
  for (const auto& k : keys) records.push_back(rec(CS_RECORD_VARIANT, k, "old"));
  for (const auto& k : keys) records.push_back(rec(CS_RECORD_VARIANT, k, "new"));
  WriteCounts counts;
  const std::vector<size_t> order = collapse_records(records, 7, counts);
  ASSERT_EQ(order.size(), keys.size());
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(records[order[i]].key, keys[i]);
    EXPECT_EQ(records[order[i]].content_hash, "new");
  }
}

TEST(RecordKeyHash, DependsOnKindAndEveryByte) {
  EXPECT_NE(record_key_hash(CS_RECORD_CARD, "abc"), record_key_hash(CS_RECORD_SET, "abc"));
  EXPECT_NE(record_key_hash(CS_RECORD_CARD, "abcdefgh1"),
            record_key_hash(CS_RECORD_CARD, "abcdefgh2"));
  EXPECT_NE(record_key_hash(CS_RECORD_CARD, "a"),
            record_key_hash(CS_RECORD_CARD, std::string_view("a\0", 2)));
  EXPECT_EQ(record_key_hash(CS_RECORD_CARD, ""), record_key_hash(CS_RECORD_CARD, ""));
}

}  // namespace
}  // namespace cardsync::sdk
