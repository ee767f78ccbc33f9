#pragma once
// An in-memory Storage that records what the host asked for and fails on demand, for unit
// tests of the host's queue policy and batch sink. Only the calls those tests make are real.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "queue/storage.hpp"

namespace cardsync::queue::testing {

// Owned copy of one committed write_batch.
struct CommittedBatch {
  std::vector<std::string> record_keys;  // "kind:key:hash"
  std::vector<int64_t> transition_jobs;
  std::vector<sdk::Action> transition_actions;
  std::vector<std::string> job_keys;
  std::vector<std::string> job_specs;  // "key@<run_at - now_ms>/<max_attempts>"
};

class FakeStorage final : public Storage {
 public:
  // Called before each write_batch; throw StorageError to fail it.
  std::function<void(const sdk::WriteBatch&)> before_write;
  std::function<void(const std::vector<sdk::LogRow>&)> before_logs;
  // Answers rescue_expired (default: nothing expired); throw StorageError to fail it. Set it
  // before anything can call it.
  std::function<sdk::Storage::RescueResult()> on_rescue;

  void migrate() override {}
  std::vector<sdk::EnqueueResult> enqueue(const std::vector<sdk::JobSpec>& specs,
                                          int64_t now_ms) override {
    std::lock_guard lock(mu_);
    std::vector<sdk::EnqueueResult> out;
    for (const auto& s : specs) {
      enqueued.push_back(std::string(s.type) + ":" + std::string(s.key) + "@" +
                         std::to_string(s.run_at_ms - now_ms) + "/" +
                         std::to_string(s.max_attempts));
      out.push_back({static_cast<int64_t>(enqueued.size()), false});
    }
    return out;
  }
  std::vector<StoredJob> claim(const sdk::ClaimRequest& request) override {
    std::lock_guard lock(mu_);
    claims.push_back(std::string(request.lease_token) + "|" + std::string(request.owner) + "|" +
                     std::to_string(request.lease_until_ms - request.now_ms));
    std::vector<StoredJob> out;
    for (int i = 0; i < request.max_jobs && !claimable.empty(); ++i) {
      StoredJob j = claimable.front();
      claimable.erase(claimable.begin());
      j.lease_token = request.lease_token;
      j.attempts += 1;
      out.push_back(j);
    }
    return out;
  }
  bool heartbeat(int64_t, std::string_view, int64_t, int64_t) override { return true; }
  std::vector<bool> transition(const std::vector<sdk::Transition>& ts) override {
    std::lock_guard lock(mu_);
    for (const auto& t : ts) {
      transitions.push_back(Recorded{t.action, t.job_id, std::string(t.lease_token),
                                     t.run_at_ms - t.now_ms, std::string(t.error_message),
                                     t.http_status});
    }
    return std::vector<bool>(ts.size(), true);
  }
  sdk::Storage::RetryFailedResult retry_failed(int64_t, std::string_view, int64_t) override {
    return {};
  }
  sdk::Storage::RescueResult rescue_expired(int64_t now_ms) override {
    {
      std::lock_guard lock(mu_);
      rescued_at_.push_back(now_ms);
    }
    cv_.notify_all();
    return on_rescue ? on_rescue() : sdk::Storage::RescueResult{};
  }
  std::vector<StatCount> stats() override { return {}; }
  using Storage::list_jobs;
  void list_jobs(const sdk::JobQuery&, const std::function<bool(const sdk::JobRow&)>&) override {}

  sdk::WriteResult write_batch(const sdk::WriteBatch& batch) override {
    {
      std::lock_guard lock(mu_);
      ++write_attempts_;
    }
    cv_.notify_all();
    if (before_write) before_write(batch);
    CommittedBatch c;
    sdk::WriteResult r;
    for (const auto& rec : batch.records) {
      c.record_keys.push_back(std::to_string(rec.kind) + ":" + std::string(rec.key) + ":" +
                              std::string(rec.content_hash));
      r.counts.inserted[rec.kind] += 1;
    }
    for (const auto& t : batch.transitions) {
      c.transition_jobs.push_back(t.job_id);
      c.transition_actions.push_back(t.action);
      r.transition_applied.push_back(true);
    }
    for (const auto& j : batch.jobs) {
      c.job_keys.emplace_back(j.key);
      c.job_specs.push_back(std::string(j.key) + "@" + std::to_string(j.run_at_ms - batch.now_ms) +
                            "/" + std::to_string(j.max_attempts));
      r.jobs.push_back({next_job_id_++, false});
    }
    {
      std::lock_guard lock(mu_);
      committed_.push_back(std::move(c));
    }
    cv_.notify_all();
    return r;
  }
  void append_logs(const std::vector<sdk::LogRow>& rows) override {
    if (before_logs) before_logs(rows);
    std::lock_guard lock(mu_);
    for (const auto& r : rows) {
      logs.push_back(std::string(r.message) + "|" + std::string(r.fields_json));
    }
    cv_.notify_all();
  }
  std::vector<StoredLog> query_logs(const sdk::LogQuery&) override { return {}; }
  int64_t delete_logs_before(int64_t before_ms) override {
    std::lock_guard lock(mu_);
    deleted_before.push_back(before_ms);
    cv_.notify_all();
    return 0;
  }
  std::optional<std::string> read_cursor(std::string_view) override { return std::nullopt; }

  // Waits for another thread to make `pred` true (re-checked whenever the fake is called,
  // and every few ms for state outside it); false after a generous real-time bound. This
  // waits for an event, never for timing logic: virtual time only moves by advance().
  bool wait(const std::function<bool()>& pred) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(2));
    }
    return true;
  }
  std::vector<CommittedBatch> committed() {
    std::lock_guard lock(mu_);
    return committed_;
  }
  size_t committed_count() {
    std::lock_guard lock(mu_);
    return committed_.size();
  }
  int write_attempts() {
    std::lock_guard lock(mu_);
    return write_attempts_;
  }
  // The now_ms of every rescue_expired call, in order.
  std::vector<int64_t> rescued_at() {
    std::lock_guard lock(mu_);
    return rescued_at_;
  }
  std::vector<std::string> log_lines() {
    std::lock_guard lock(mu_);
    return logs;
  }

  struct Recorded {
    sdk::Action action;
    int64_t job_id;
    std::string token;
    int64_t run_in_ms;
    std::string message;
    int http_status;
  };
  std::vector<StoredJob> claimable;
  std::vector<std::string> claims;
  std::vector<std::string> enqueued;
  std::vector<Recorded> transitions;
  std::vector<std::string> logs;
  std::vector<int64_t> deleted_before;

  std::mutex mu_;
  std::condition_variable cv_;

 private:
  std::vector<CommittedBatch> committed_;
  std::vector<int64_t> rescued_at_;
  int write_attempts_ = 0;
  int64_t next_job_id_ = 1000;
};

}  // namespace cardsync::queue::testing
