#pragma once
// A Storage for the admin fuzz target: no state and no I/O, so every input meets the same
// server and millions of requests a second are possible. Every read answers one row whose
// text holds what an upstream could have put there (quotes, control characters, invalid
// UTF-8, a formula), so the handlers' JSON and CSV writers meet it on every listing.

#include <string>
#include <string_view>
#include <vector>

#include "queue/storage.hpp"

namespace cardsync::fuzz {

inline constexpr std::string_view kHostileText = "=cmd|\"x\"\x1b[31m\xff\xc3\x28\r\n,\t'";

class CannedStorage final : public queue::Storage {
 public:
  void migrate() override {}
  std::vector<sdk::EnqueueResult> enqueue(const std::vector<sdk::JobSpec>& specs,
                                          int64_t /*now_ms*/) override {
    std::vector<sdk::EnqueueResult> out;
    for (size_t i = 0; i < specs.size(); ++i) out.push_back({static_cast<int64_t>(i) + 1, i > 0});
    return out;
  }
  std::vector<queue::StoredJob> claim(const sdk::ClaimRequest& /*request*/) override { return {}; }
  bool heartbeat(int64_t /*job_id*/, std::string_view /*lease_token*/, int64_t /*lease_until_ms*/,
                 int64_t /*now_ms*/) override {
    return false;
  }
  std::vector<bool> transition(const std::vector<sdk::Transition>& transitions) override {
    return std::vector<bool>(transitions.size(), false);
  }
  sdk::Storage::RetryFailedResult retry_failed(int64_t job_id, std::string_view /*type*/,
                                               int64_t /*now_ms*/) override {
    return {job_id == 1 ? 1 : 0, 0};
  }
  sdk::Storage::RescueResult rescue_expired(int64_t /*now_ms*/) override { return {}; }
  std::vector<queue::StatCount> stats() override {
    return {{std::string(kHostileText), sdk::JobState::failed, 3, 1},
            {"justtcg.cards", sdk::JobState::queued, 1, 0}};
  }
  void list_jobs(const sdk::JobQuery& query,
                 const std::function<bool(const sdk::JobRow&)>& visit) override {
    if (query.after_id >= 1) return;
    sdk::JobRow row;
    row.id = 1;
    row.state = sdk::JobState::failed;
    row.type = kHostileText;
    row.key = kHostileText;
    row.payload = R"({"page":1})";
    row.request_id = "rid-1";
    row.attempts = 2;
    row.max_attempts = 2;
    if (query.with_errors) row.errors.push_back({1, 0, 500, kHostileText, "rid-1"});
    visit(row);
  }
  sdk::WriteResult write_batch(const sdk::WriteBatch& batch) override {
    sdk::WriteResult out;
    out.transition_applied.assign(batch.transitions.size(), false);
    out.jobs.assign(batch.jobs.size(), {});
    return out;
  }
  void append_logs(const std::vector<sdk::LogRow>& /*rows*/) override {}
  std::vector<queue::StoredLog> query_logs(const sdk::LogQuery& query) override {
    if (query.after_id >= 1) return {};
    return {{1, CS_LOG_WARN, 0, "rid-1", std::string(kHostileText), R"({"k":"v"})"}};
  }
  int64_t delete_logs_before(int64_t /*before_ms*/) override { return 0; }
  std::optional<std::string> read_cursor(std::string_view /*name*/) override {
    return std::string(kHostileText);
  }
  std::vector<queue::StoredRecordRow> read_records(const sdk::RecordQuery& /*query*/) override {
    return {};
  }
  std::vector<queue::StoredQuarantine> query_quarantine(
      const sdk::QuarantineQuery& query) override {
    if (query.after_id >= 1) return {};
    const std::string t(kHostileText);
    return {{1, 0, t, t, t, t, t, t, t}};
  }
  std::optional<queue::StoredCursor> read_cursor_entry(std::string_view /*name*/) override {
    return queue::StoredCursor{std::string(kHostileText), 0};
  }
};

}  // namespace cardsync::fuzz
