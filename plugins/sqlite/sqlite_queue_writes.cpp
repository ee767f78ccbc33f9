#include "sqlite_queue_writes.hpp"

#include <string>

#include "sqlite_sql.hpp"

namespace cardsync::sqlite {

void append_error(Connection& conn, int64_t job_id, int64_t attempt, int64_t at_ms,
                  std::string_view message, int64_t http_status, std::string_view request_id) {
  {
    Statement st = conn.prepare(sql::kAppendError);
    st.bind(1, job_id);
    st.bind(2, attempt);
    st.bind(3, at_ms);
    st.bind(4, message);
    st.bind(5, http_status);
    st.bind(6, request_id);
    st.run();
  }
  static_assert(sql::kErrorHistory == 20, "kTrimErrors spells the history length");
  Statement st = conn.prepare(sql::kTrimErrors);
  st.bind(1, job_id);
  st.run();
}

void enqueue_in(Connection& conn, const std::vector<sdk::JobSpec>& specs, int64_t now_ms,
                std::vector<sdk::EnqueueResult>& out) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const sdk::JobSpec& s = specs[i];
    if (s.max_attempts < 1) {
      throw sdk::Permanent("job " + std::string(s.type) + "/" + std::string(s.key) +
                           ": max_attempts must be at least 1");
    }
    // The partial unique index decides, inside the write lock: never check-then-insert.
    Statement ins = conn.prepare(sql::kEnqueue);
    ins.bind(1, s.type);
    ins.bind(2, s.key);
    ins.bind(3, s.payload);
    ins.bind(4, static_cast<int64_t>(s.max_attempts));
    ins.bind(5, s.run_at_ms);
    ins.bind(6, s.request_id);
    ins.bind(7, now_ms);
    if (ins.step()) {
      out[i] = sdk::EnqueueResult{ins.integer(0), false};
      ins.run();
      continue;
    }
    Statement live = conn.prepare(sql::kLiveJob);
    live.bind(1, s.type);
    live.bind(2, s.key);
    if (!live.step()) {
      throw sdk::Retry("enqueue of " + std::string(s.type) + "/" + std::string(s.key) +
                       " conflicted but no live job holds the key");
    }
    out[i] = sdk::EnqueueResult{live.integer(0), true};
  }
}

bool transition_in(Connection& conn, const sdk::Transition& t) {
  using sdk::Action;
  switch (t.action) {
    case Action::checkpoint:
    case Action::complete: {
      Statement st =
          conn.prepare(t.action == Action::checkpoint ? sql::kCheckpoint : sql::kComplete);
      st.bind(1, t.job_id);
      st.bind(2, t.lease_token);
      st.bind(3, t.cursor);
      st.bind(4, t.now_ms);
      return st.run() == 1;
    }
    case Action::retry:
    case Action::snooze:
    case Action::fail: {
      int64_t attempts = 0;
      std::string job_request_id;
      {
        Statement st = conn.prepare(t.action == Action::fail ? sql::kFail : sql::kRequeue);
        st.bind(1, t.job_id);
        st.bind(2, t.lease_token);
        if (t.action == Action::fail) {
          st.bind(3, t.now_ms);
        } else {
          st.bind(3, t.run_at_ms);
          st.bind(4, t.now_ms);
          st.bind(5, static_cast<int64_t>(t.action == Action::snooze ? 1 : 0));
        }
        if (!st.step()) return false;
        attempts = st.integer(0);
        job_request_id = st.text(1);
        st.run();
      }
      if (!t.error_message.empty()) {
        // A snooze refunded the attempt it interrupted; the history still names it.
        int64_t attempt = t.action == Action::snooze ? attempts + 1 : attempts;
        append_error(conn, t.job_id, attempt, t.now_ms, t.error_message, t.http_status,
                     t.request_id.empty() ? std::string_view(job_request_id) : t.request_id);
      }
      return true;
    }
  }
  throw sdk::Permanent("unknown transition action " +
                       std::to_string(static_cast<uint32_t>(t.action)));
}

}  // namespace cardsync::sqlite
