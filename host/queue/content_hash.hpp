#pragma once
// The content hash a record is stored with: equal hash means the storage may skip the write
// (unchanged). It covers everything the row stores except the key and timestamps.

#include <string>
#include <string_view>

namespace cardsync::queue {

// 16 lowercase hex digits (64-bit FNV-1a over length-prefixed fields, so moving bytes from
// one field to the next changes the hash).
std::string content_hash(std::string_view parent_key, std::string_view source,
                         std::string_view core_json, std::string_view raw_json);

}  // namespace cardsync::queue
