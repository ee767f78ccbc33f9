// The job queue's operations: enqueue, claim, lease upkeep, transitions, retries, rescue and
// the views of the queue (stats, list_jobs).

#include <string>
#include <vector>

#include "sqlite_queue_writes.hpp"
#include "sqlite_sql.hpp"
#include "sqlite_storage.hpp"

namespace cardsync::sqlite {

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

// A claimed job copied out of the statement, so the host is visited only after COMMIT.
struct OwnedJob {
  int64_t id = 0;
  std::string type, key, payload, cursor, request_id;
  int attempts = 0, max_attempts = 0;
  int64_t run_at_ms = 0, created_at_ms = 0, updated_at_ms = 0;
};

std::string json_string_array(const std::vector<std::string_view>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static const char* hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[(c >> 4) & 0xf];
        out += hex[c & 0xf];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

}  // namespace

void SqliteStorage::enqueue(const std::vector<JobSpec>& specs, int64_t now_ms,
                            std::vector<EnqueueResult>& out) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  enqueue_in(*writer_, specs, now_ms, out);
  tx.commit();
}

void SqliteStorage::claim(const ClaimRequest& request, const sdk::JobVisitor& visit) {
  if (request.max_jobs < 1) throw sdk::Permanent("claim: max_jobs must be at least 1");
  if (request.lease_token.empty()) throw sdk::Permanent("claim: the lease token is empty");
  std::vector<OwnedJob> jobs;
  {
    std::lock_guard lock(write_mu_);
    WriteTransaction tx(*writer_);
    std::string types = request.types.empty() ? std::string() : json_string_array(request.types);
    Statement st = writer_->prepare(sql::kClaim);
    st.bind(1, request.owner);
    st.bind(2, request.lease_token);
    st.bind(3, request.lease_until_ms);
    st.bind(4, request.now_ms);
    st.bind(5, static_cast<int64_t>(request.max_jobs));
    if (request.types.empty()) {
      st.bind_null(6);
    } else {
      st.bind(6, types);
    }
    while (st.step()) {
      OwnedJob j;
      j.id = st.integer(0);
      j.type = st.text(1);
      j.key = st.text(2);
      j.payload = st.text(3);
      j.cursor = st.text(4);
      j.request_id = st.text(5);
      j.attempts = static_cast<int>(st.integer(6));
      j.max_attempts = static_cast<int>(st.integer(7));
      j.run_at_ms = st.integer(8);
      j.created_at_ms = st.integer(9);
      j.updated_at_ms = st.integer(10);
      jobs.push_back(std::move(j));
    }
    tx.commit();
  }
  for (const OwnedJob& j : jobs) {
    sdk::JobRow row;
    row.id = j.id;
    row.state = sdk::JobState::processing;
    row.type = j.type;
    row.key = j.key;
    row.payload = j.payload;
    row.cursor = j.cursor;
    row.request_id = j.request_id;
    row.attempts = j.attempts;
    row.max_attempts = j.max_attempts;
    row.run_at_ms = j.run_at_ms;
    row.created_at_ms = j.created_at_ms;
    row.updated_at_ms = j.updated_at_ms;
    row.lease_owner = request.owner;
    row.lease_token = request.lease_token;
    row.lease_until_ms = request.lease_until_ms;
    // Every claimed job is visited: the leases are taken whether or not the host stops.
    visit(row);
  }
}

bool SqliteStorage::heartbeat(int64_t job_id, std::string_view lease_token, int64_t lease_until_ms,
                              int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  bool applied = false;
  {
    Statement st = writer_->prepare(sql::kHeartbeat);
    st.bind(1, job_id);
    st.bind(2, lease_token);
    st.bind(3, lease_until_ms);
    st.bind(4, now_ms);
    applied = st.run() == 1;
  }
  tx.commit();
  return applied;
}

void SqliteStorage::transition(const std::vector<Transition>& transitions,
                               std::vector<bool>& applied) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  for (size_t i = 0; i < transitions.size(); ++i) {
    applied[i] = transition_in(*writer_, transitions[i]);
  }
  tx.commit();
}

SqliteStorage::RetryFailedResult SqliteStorage::retry_failed(int64_t job_id, std::string_view type,
                                                             int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  RetryFailedResult result;
  if (job_id != 0) {
    bool failed = false;
    {
      Statement st = writer_->prepare(sql::kIsFailed);
      st.bind(1, job_id);
      failed = st.step();
    }
    if (failed) {
      Statement st = writer_->prepare(sql::kRetryOne);
      st.bind(1, job_id);
      st.bind(2, now_ms);
      result.requeued = st.run();
      result.skipped = 1 - result.requeued;
    }
  } else {
    int64_t failed = 0;
    {
      Statement st = writer_->prepare(sql::kCountFailed);
      st.bind(1, type);
      if (st.step()) failed = st.integer(0);
    }
    Statement st = writer_->prepare(sql::kRetryAll);
    st.bind(1, type);
    st.bind(2, now_ms);
    result.requeued = st.run();
    result.skipped = failed - result.requeued;
  }
  tx.commit();
  return result;
}

SqliteStorage::RescueResult SqliteStorage::rescue_expired(int64_t now_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  struct Rescued {
    int64_t id, attempts;
    std::string request_id;
    bool failed;
  };
  std::vector<Rescued> rescued;
  {
    Statement st = writer_->prepare(sql::kRescue);
    st.bind(1, now_ms);
    while (st.step()) {
      rescued.push_back(
          Rescued{st.integer(0), st.integer(1), std::string(st.text(3)), st.text(2) == "failed"});
    }
  }
  RescueResult result;
  for (const Rescued& r : rescued) {
    append_error(*writer_, r.id, r.attempts, now_ms, "lease expired", 0, r.request_id);
    (r.failed ? result.failed : result.requeued) += 1;
  }
  tx.commit();
  return result;
}

void SqliteStorage::stats(const sdk::StatVisitor& visit) {
  ReadLease conn(*this);
  Statement st = (*conn).prepare(sql::kStats);
  while (st.step()) {
    sdk::StatRow row{st.text(0), parse_state(st.text(1)), st.integer(2), st.integer(3)};
    if (!visit(row)) break;
  }
}

void SqliteStorage::list_jobs(const JobQuery& query, const sdk::JobVisitor& visit) {
  std::string_view state = state_name(query.state);
  if (query.state != 0 && state.empty()) {
    throw sdk::Permanent("list_jobs: unknown state " + std::to_string(query.state));
  }
  ReadLease lease(*this);
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);
  Statement st = conn.prepare(sql::kListJobs);
  st.bind(1, query.after_id);
  st.bind(2, state);
  st.bind(3, query.type);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  while (st.step()) {
    sdk::JobRow row;
    row.id = st.integer(0);
    row.state = parse_state(st.text(1));
    row.type = st.text(2);
    row.key = st.text(3);
    row.payload = st.text(4);
    row.cursor = st.text(5);
    row.request_id = st.text(6);
    row.attempts = static_cast<int>(st.integer(7));
    row.max_attempts = static_cast<int>(st.integer(8));
    row.run_at_ms = st.integer(9);
    row.created_at_ms = st.integer(10);
    row.updated_at_ms = st.integer(11);
    row.lease_owner = st.text(12);
    row.lease_token = st.text(13);
    row.lease_until_ms = st.integer(14);
    // Column text dies at the next step, so the history's strings are copied.
    std::vector<std::string> texts;
    if (query.with_errors) {
      Statement errors = conn.prepare(sql::kJobErrors);
      errors.bind(1, row.id);
      while (errors.step()) {
        row.errors.push_back(sdk::JobError{static_cast<int>(errors.integer(0)),
                                           errors.integer(1),
                                           static_cast<int>(errors.integer(2)),
                                           {},
                                           {}});
        texts.emplace_back(errors.text(3));
        texts.emplace_back(errors.text(4));
      }
      for (size_t e = 0; e < row.errors.size(); ++e) {
        row.errors[e].message = texts[2 * e];
        row.errors[e].request_id = texts[2 * e + 1];
      }
    }
    if (!visit(row)) break;
  }
}

}  // namespace cardsync::sqlite
