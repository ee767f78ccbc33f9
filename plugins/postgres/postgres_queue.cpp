// The job queue's operations: enqueue, claim, lease upkeep, transitions, retries, rescue and
// the views of the queue (stats, list_jobs).

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "postgres_queue_writes.hpp"
#include "postgres_sql.hpp"
#include "postgres_storage.hpp"

namespace cardsync::postgres {

namespace {

std::string_view state_name(uint32_t state) {
  switch (state) {
    case CS_JOB_QUEUED:
      return "queued";
    case CS_JOB_PROCESSING:
      return "processing";
    case CS_JOB_DONE:
      return "done";
    case CS_JOB_FAILED:
      return "failed";
    default:
      return {};
  }
}

sdk::JobState parse_state(std::string_view s) {
  if (s == "queued") return sdk::JobState::queued;
  if (s == "processing") return sdk::JobState::processing;
  if (s == "done") return sdk::JobState::done;
  return sdk::JobState::failed;
}

}  // namespace

void PostgresStorage::enqueue(const std::vector<JobSpec>& specs, int64_t now_ms,
                              std::vector<EnqueueResult>& out) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  if (enqueue_in(*conn, specs, now_ms, out)) notify(*conn);
  tx.commit();
}

void PostgresStorage::claim(const ClaimRequest& request, const sdk::JobVisitor& visit) {
  if (request.max_jobs < 1) throw sdk::Permanent("claim: max_jobs must be at least 1");
  if (request.lease_token.empty()) throw sdk::Permanent("claim: the lease token is empty");
  Params p;
  p.text(request.owner)
      .text(request.lease_token)
      .int8(request.lease_until_ms)
      .int8(request.now_ms)
      .int8(request.max_jobs);
  if (request.types.empty()) {
    p.null_text_array();
  } else {
    p.text_array(request.types);
  }
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(sql::kClaim, p);
  }
  // RETURNING follows no order: hand the jobs over oldest due first, as they were chosen.
  std::vector<int> rows(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows[static_cast<size_t>(i)] = i;
  std::sort(rows.begin(), rows.end(), [&](int a, int b) {
    return std::pair(r.integer(a, 8), r.integer(a, 0)) <
           std::pair(r.integer(b, 8), r.integer(b, 0));
  });
  for (int i : rows) {
    sdk::JobRow row;
    row.id = r.integer(i, 0);
    row.state = sdk::JobState::processing;
    row.type = r.text(i, 1);
    row.key = r.text(i, 2);
    row.payload = r.text(i, 3);
    row.cursor = r.text(i, 4);
    row.request_id = r.text(i, 5);
    row.attempts = static_cast<int>(r.integer(i, 6));
    row.max_attempts = static_cast<int>(r.integer(i, 7));
    row.run_at_ms = r.integer(i, 8);
    row.created_at_ms = r.integer(i, 9);
    row.updated_at_ms = r.integer(i, 10);
    row.lease_owner = request.owner;
    row.lease_token = request.lease_token;
    row.lease_until_ms = request.lease_until_ms;
    // Every claimed job is visited: the leases are taken whether or not the host stops.
    visit(row);
  }
}

bool PostgresStorage::heartbeat(int64_t job_id, std::string_view lease_token,
                                int64_t lease_until_ms, int64_t now_ms) {
  auto conn = pool_.acquire();
  return conn->exec(sql::kHeartbeat,
                    Params().int8(job_id).text(lease_token).int8(lease_until_ms).int8(now_ms))
             .affected() == 1;
}

void PostgresStorage::transition(const std::vector<Transition>& transitions,
                                 std::vector<bool>& applied) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  bool requeued = false;
  for (size_t i = 0; i < transitions.size(); ++i) {
    TransitionOutcome o = transition_in(*conn, transitions[i]);
    applied[i] = o.applied;
    requeued = requeued || o.requeued;
  }
  if (requeued) notify(*conn);
  tx.commit();
}

PostgresStorage::RetryFailedResult PostgresStorage::retry_failed(int64_t job_id,
                                                                 std::string_view type,
                                                                 int64_t now_ms) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  RetryFailedResult result;
  try {
    if (job_id != 0) {
      if (conn->exec(sql::kIsFailed, Params().int8(job_id)).rows() > 0) {
        result.requeued = conn->exec(sql::kRetryOne, Params().int8(job_id).int8(now_ms)).affected();
        result.skipped = 1 - result.requeued;
      }
    } else {
      const int64_t failed = conn->exec(sql::kCountFailed, Params().text(type)).integer(0, 0);
      result.requeued = conn->exec(sql::kRetryAll, Params().text(type).int8(now_ms)).affected();
      result.skipped = failed - result.requeued;
    }
  } catch (const DatabaseError& e) {
    // A job of the same key was enqueued between the NOT EXISTS check and the update: the
    // retried call will count it as skipped.
    if (e.sqlstate() == "23505") throw sdk::Retry(e.what());
    throw;
  }
  if (result.requeued > 0) notify(*conn);
  tx.commit();
  return result;
}

PostgresStorage::RescueResult PostgresStorage::rescue_expired(int64_t now_ms) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  Result r = conn->exec(sql::kRescue, Params().int8(now_ms));
  RescueResult result;
  for (int i = 0; i < r.rows(); ++i) {
    append_error(*conn, r.integer(i, 0), r.integer(i, 1), now_ms, "lease expired", 0, r.text(i, 3));
    (r.text(i, 2) == "failed" ? result.failed : result.requeued) += 1;
  }
  if (result.requeued > 0) notify(*conn);
  tx.commit();
  return result;
}

void PostgresStorage::stats(const sdk::StatVisitor& visit) {
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(sql::kStats);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::StatRow row{r.text(i, 0), parse_state(r.text(i, 1)), r.integer(i, 2), r.integer(i, 3)};
    if (!visit(row)) break;
  }
}

void PostgresStorage::list_jobs(const JobQuery& query, const sdk::JobVisitor& visit) {
  std::string_view state = state_name(query.state);
  if (query.state != 0 && state.empty()) {
    throw sdk::Permanent("list_jobs: unknown state " + std::to_string(query.state));
  }
  Params p;
  p.int8(query.after_id).text(state).text(query.type).limit(query.limit);
  Result jobs;
  Result errors;
  {
    auto conn = pool_.acquire();
    // One snapshot for the jobs and their histories.
    Transaction tx(*conn);
    conn->run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    jobs = conn->exec(sql::kListJobs, p);
    if (query.with_errors && jobs.rows() > 0) {
      std::vector<int64_t> ids;
      ids.reserve(static_cast<size_t>(jobs.rows()));
      for (int i = 0; i < jobs.rows(); ++i) ids.push_back(jobs.integer(i, 0));
      errors = conn->exec(sql::kJobErrors, Params().int8_array(ids));
    }
    tx.commit();
  }
  int e = 0;  // errors come ordered by job id, like the jobs
  for (int i = 0; i < jobs.rows(); ++i) {
    sdk::JobRow row;
    row.id = jobs.integer(i, 0);
    row.state = parse_state(jobs.text(i, 1));
    row.type = jobs.text(i, 2);
    row.key = jobs.text(i, 3);
    row.payload = jobs.text(i, 4);
    row.cursor = jobs.text(i, 5);
    row.request_id = jobs.text(i, 6);
    row.attempts = static_cast<int>(jobs.integer(i, 7));
    row.max_attempts = static_cast<int>(jobs.integer(i, 8));
    row.run_at_ms = jobs.integer(i, 9);
    row.created_at_ms = jobs.integer(i, 10);
    row.updated_at_ms = jobs.integer(i, 11);
    row.lease_owner = jobs.text(i, 12);
    row.lease_token = jobs.text(i, 13);
    row.lease_until_ms = jobs.integer(i, 14);
    while (e < errors.rows() && errors.integer(e, 0) < row.id) ++e;
    for (; e < errors.rows() && errors.integer(e, 0) == row.id; ++e) {
      row.errors.push_back(sdk::JobError{
          static_cast<int>(errors.integer(e, 1)), errors.integer(e, 2),
          static_cast<int>(errors.integer(e, 3)), errors.text(e, 4), errors.text(e, 5)});
    }
    if (!visit(row)) break;
  }
}

}  // namespace cardsync::postgres
