#pragma once
// Writing the admin API's JSON bodies with RapidJSON's SAX writer: string_view keys and
// values, times as ISO 8601 (null when unset), and one page of a list with its cursor.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "queue/failed_jobs_csv.hpp"

namespace cardsync::admin {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_key(JsonWriter& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
inline void write_string(JsonWriter& w, std::string_view v) {
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}
// Epoch milliseconds as an ISO 8601 string; 0 or less (never set) as null.
inline void write_time_or_null(JsonWriter& w, int64_t ms) {
  if (ms > 0) {
    w.String(queue::iso8601_utc(ms));
  } else {
    w.Null();
  }
}

inline std::string json_text(const rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

// One page of a list read with one row more than `page` (which says whether there is more):
// {"<list>": [rows], "<next>": the last row's id to page on from, or null at the end}.
template <class Row, class WriteRow>
std::string page_json(std::vector<Row>& rows, int64_t page, std::string_view list,
                      std::string_view next, WriteRow write_row) {
  const bool more = static_cast<int64_t>(rows.size()) > page;
  if (more) rows.pop_back();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, list);
  w.StartArray();
  for (const Row& row : rows) write_row(w, row);
  w.EndArray();
  write_key(w, next);
  if (more && !rows.empty()) {
    w.Int64(rows.back().id);
  } else {
    w.Null();
  }
  w.EndObject();
  return json_text(buf);
}

}  // namespace cardsync::admin
