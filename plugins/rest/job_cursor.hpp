#pragma once
// A job's cursor, as JSON text the host stores with each page's records:
//   {"next": {"page": 3}, "since": "1735689600", "max": "1735700000", "run_time": 1735800000}
// "next" is where the job continues (absent in a final cursor: the job is done); "since" is
// the incremental value this run sends; "max" the largest value seen so far (max_seen) and
// "run_time" the first response's Date (sync_time), from which the final cursor's "since" is
// made. A job starting with a final cursor (the previous run's) begins at the first page
// with that "since". Lookups end with the ABI's plain-text cursors instead (found ...).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "paging.hpp"

namespace cardsync::rest {

struct JobCursor {
  std::optional<PageState> next;
  std::optional<std::string> since;
  std::optional<std::string> max;
  std::optional<std::int64_t> run_time;

  std::string to_json() const;
  // An empty or unreadable text is an empty cursor (the job starts over: it costs requests,
  // never data); `readable` says which.
  static JobCursor parse(std::string_view text, bool* readable = nullptr);
};

}  // namespace cardsync::rest
