#include "postgres_queue_writes.hpp"

#include <string>

#include "postgres_sql.hpp"

namespace cardsync::postgres {

void append_error(Connection& conn, int64_t job_id, int64_t attempt, int64_t at_ms,
                  std::string_view message, int64_t http_status, std::string_view request_id) {
  conn.exec(sql::kAppendError, Params()
                                   .int8(job_id)
                                   .int8(attempt)
                                   .int8(at_ms)
                                   .text(message)
                                   .int8(http_status)
                                   .text(request_id));
}

bool enqueue_in(Connection& conn, const std::vector<sdk::JobSpec>& specs, int64_t now_ms,
                std::vector<sdk::EnqueueResult>& out) {
  bool queued = false;
  for (size_t i = 0; i < specs.size(); ++i) {
    const sdk::JobSpec& s = specs[i];
    if (s.max_attempts < 1) {
      throw sdk::Permanent("job " + std::string(s.type) + "/" + std::string(s.key) +
                           ": max_attempts must be at least 1");
    }
    // The partial unique index decides: never check-then-insert. A conflicting insert of
    // another transaction in flight makes this one wait for its outcome.
    Result ins = conn.exec(sql::kEnqueue, Params()
                                              .text(s.type)
                                              .text(s.key)
                                              .text(s.payload)
                                              .int8(s.max_attempts)
                                              .int8(s.run_at_ms)
                                              .text(s.request_id)
                                              .int8(now_ms));
    if (ins.rows() == 1) {
      out[i] = sdk::EnqueueResult{ins.integer(0, 0), false};
      queued = true;
      continue;
    }
    Result live = conn.exec(sql::kLiveJob, Params().text(s.type).text(s.key));
    if (live.rows() == 0) {
      // The holder finished between the two statements: the host retries the call.
      throw sdk::Retry("enqueue of " + std::string(s.type) + "/" + std::string(s.key) +
                       " conflicted but no live job holds the key");
    }
    out[i] = sdk::EnqueueResult{live.integer(0, 0), true};
  }
  return queued;
}

TransitionOutcome transition_in(Connection& conn, const sdk::Transition& t) {
  using sdk::Action;
  switch (t.action) {
    case Action::checkpoint:
    case Action::complete: {
      Result r =
          conn.exec(t.action == Action::checkpoint ? sql::kCheckpoint : sql::kComplete,
                    Params().int8(t.job_id).text(t.lease_token).text(t.cursor).int8(t.now_ms));
      return {r.affected() == 1, false};
    }
    case Action::retry:
    case Action::snooze:
    case Action::fail: {
      Params p;
      p.int8(t.job_id).text(t.lease_token);
      if (t.action == Action::fail) {
        p.int8(t.now_ms);
      } else {
        p.int8(t.run_at_ms).int8(t.now_ms).int8(t.action == Action::snooze ? 1 : 0);
      }
      Result r = conn.exec(t.action == Action::fail ? sql::kFail : sql::kRequeue, p);
      if (r.rows() == 0) return {};
      const int64_t attempts = r.integer(0, 0);
      if (!t.error_message.empty()) {
        // A snooze refunded the attempt it interrupted; the history still names it.
        const int64_t attempt = t.action == Action::snooze ? attempts + 1 : attempts;
        append_error(conn, t.job_id, attempt, t.now_ms, t.error_message, t.http_status,
                     t.request_id.empty() ? r.text(0, 1) : t.request_id);
      }
      return {true, t.action != Action::fail};
    }
  }
  throw sdk::Permanent("unknown transition action " +
                       std::to_string(static_cast<uint32_t>(t.action)));
}

}  // namespace cardsync::postgres
