#pragma once
// The checkpoint of a paginated JustTCG job, stored by the host with each page's records:
//
//   {"offset":40,"updated_after":1735689600,"high_water":1735700000}   mid-pass
//   {"high_water":1735700000}                                           pass finished
//
// `offset` is the next page to fetch; `updated_after` the filter of the pass in progress
// (absent: everything); `high_water` the newest variant lastUpdated seen so far. A cursor
// without `offset` means "start at the beginning", which is what a finished pass leaves, so
// the host may hand a finished job's cursor to the next job of the same type and key: that
// is how an incremental pass learns the previous pass's high-water mark.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::justtcg {

struct PassCursor {
  std::optional<std::int64_t> offset;
  std::optional<std::int64_t> updated_after;
  std::optional<std::int64_t> high_water;

  // Empty text is the empty cursor. Returns nullopt for text that is not such a cursor.
  static std::optional<PassCursor> parse(std::string_view json);
  std::string to_json() const;
};

}  // namespace cardsync::justtcg
