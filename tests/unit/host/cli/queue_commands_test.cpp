// `cardsync queue stats|failed|retry` and `cardsync enqueue`, run in-process against a real
// SQLite database in the test's scratch directory. Jobs are failed, claimed and completed by
// a second JobQueue on the same file, the way a worker process would.
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <regex>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli_fixture.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "queue/failed_jobs_csv.hpp"
#include "queue/job_queue.hpp"
#include "time/clock.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// RFC 4180: records end with CRLF; quoted fields may hold commas, CRLF and doubled quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::exchange(field, {}));
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::exchange(field, {}));
      rows.push_back(std::exchange(row, {}));
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  EXPECT_TRUE(field.empty() && row.empty()) << "last record lacks its CRLF";
  return rows;
}

class QueueCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    db_ = (dir_ / "q.db").string();
    // plugin_dirs, not --plugin-dir: in-process the built-in directory (next to bin/cli_test)
    // is this same directory, and loading it twice is a duplicate-plugin error.
    config_ = write("c.json", std::string(R"({"plugin_dirs":[")") + CARDSYNC_PLUGIN_DIR +
                                  R"("],"storage":{"sqlite":{"path":")" + db_ + R"("}}})")
                  .string();
  }
  void TearDown() override {
    worker_.reset();
    storage_.reset();
    registry_.reset();
    CliTest::TearDown();
  }

  // `cardsync --config <c.json> <args>`.
  CliResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_});
    return run(std::move(args));
  }

  // A second queue on the same database file, as a worker process would have.
  queue::JobQueue& worker() {
    if (!worker_) {
      registry_ =
          std::make_unique<plugin::Registry>(std::make_shared<plugin::HostServices>(nullptr));
      auto lib = registry_->load_file(std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
                                      "cardsync-storage-sqlite.so");
      storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
          plugin::Instance::create(lib, R"({"path":")" + db_ + R"("})")));
      storage_->migrate();
      worker_ = std::make_unique<queue::JobQueue>(*storage_, SystemClock::instance());
    }
    return *worker_;
  }

  // Enqueues (type, key) and claims it; no other job of `type` may be queued.
  queue::StoredJob claimed(const std::string& type, const std::string& key) {
    queue::NewJob job;
    job.type = type;
    job.key = key;
    job.request_id = "req-t";
    auto r = worker().enqueue(job);
    auto jobs = worker().claim(1, {type});
    EXPECT_THAT(jobs, SizeIs(1));
    EXPECT_EQ(jobs.at(0).id, r.id);
    return jobs.at(0);
  }

  // A job failed for good on its first attempt; returns its id.
  int64_t failed(const std::string& type, const std::string& key,
                 const std::string& message = "upstream rejected the item", int http_status = 0) {
    auto job = claimed(type, key);
    queue::JobFailure failure;
    failure.message = message;
    failure.http_status = http_status;
    failure.permanent = true;
    auto r = worker().fail(job, failure);
    EXPECT_EQ(r.outcome, queue::FailOutcome::failed);
    return job.id;
  }

  // The `queue stats` row for `label` as words.
  std::vector<std::string> stats_row(const std::string& label) {
    auto r = cli({"queue", "stats"});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    for (const auto& line : lines_of(r.out)) {
      auto w = words(line);
      if (!w.empty() && w.front() == label) return w;
    }
    ADD_FAILURE() << "no row '" << label << "' in:\n" << r.out;
    return {};
  }

  std::string db_, config_;
  std::unique_ptr<plugin::Registry> registry_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::unique_ptr<queue::JobQueue> worker_;
};

TEST_F(QueueCliTest, EnqueuePrintsTheNewIdAndADuplicateNamesTheLiveJob) {
  auto first = cli({"enqueue", "justtcg.sets", "pokemon", "--payload", R"({"game":"pokemon"})"});
  ASSERT_EQ(first.code, kExitOk) << first.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(first.out, m,
                               std::regex(R"(enqueued job #(\d+) \(justtcg\.sets pokemon, )"
                                          R"(request id ([a-z2-7]{16})\)\n)")))
      << first.out;
  const int64_t id = std::stoll(m[1].str());
  auto stored = worker().find(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, sdk::JobState::queued);
  EXPECT_EQ(stored->payload, R"({"game":"pokemon"})");
  EXPECT_EQ(stored->request_id, m[2].str());

  auto again = cli({"enqueue", "justtcg.sets", "pokemon"});
  EXPECT_EQ(again.code, kExitOk) << again.err;
  EXPECT_EQ(again.out, "already queued as #" + std::to_string(id) +
                           " (justtcg.sets pokemon); nothing added\n");
  EXPECT_THAT(stats_row("justtcg.sets"), ElementsAre("justtcg.sets", "1", "0", "0", "0", "1"));

  // Another key, or the same key after the job is done, is a new job with a fresh request id.
  auto other = cli({"enqueue", "justtcg.sets", "mtg", "--payload={}"});
  EXPECT_EQ(other.code, kExitOk) << other.err;
  EXPECT_THAT(other.out, HasSubstr("enqueued job #"));
  EXPECT_THAT(other.out, Not(HasSubstr(m[2].str())));
}

TEST_F(QueueCliTest, StatsCountsJobsByTypeAndStateWithTotals) {
  ASSERT_EQ(cli({"enqueue", "a.sets", "1"}).code, kExitOk);
  ASSERT_EQ(cli({"enqueue", "a.sets", "2"}).code, kExitOk);
  claimed("b.cards", "x");  // processing
  auto done = claimed("c.cards", "y");
  ASSERT_TRUE(worker().complete(done));
  failed("d.certs", "z");

  auto r = cli({"queue", "stats"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_THAT(lines, SizeIs(6)) << r.out;
  EXPECT_THAT(words(lines[0]),
              ElementsAre("type", "queued", "processing", "done", "failed", "total"));
  EXPECT_THAT(words(lines[1]), ElementsAre("a.sets", "2", "0", "0", "0", "2"));
  EXPECT_THAT(words(lines[2]), ElementsAre("b.cards", "0", "1", "0", "0", "1"));
  EXPECT_THAT(words(lines[3]), ElementsAre("c.cards", "0", "0", "1", "0", "1"));
  EXPECT_THAT(words(lines[4]), ElementsAre("d.certs", "0", "0", "0", "1", "1"));
  EXPECT_THAT(words(lines[5]), ElementsAre("total", "2", "1", "1", "1", "5"));
}

// For scripts: the admin API's queue/stats document, the same counts as the table.
TEST_F(QueueCliTest, StatsJsonIsTheAdminApisDocument) {
  ASSERT_EQ(cli({"enqueue", "a.sets", "1"}).code, kExitOk);
  failed("d.certs", "z");
  auto r = cli({"queue", "stats", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_EQ(doc["totals"]["queued"].GetInt64(), 1);
  EXPECT_EQ(doc["totals"]["failed"].GetInt64(), 1);
  EXPECT_EQ(doc["totals"]["done"].GetInt64(), 0);
  ASSERT_EQ(doc["by_type"].Size(), 2U);
  EXPECT_STREQ(doc["by_type"][0]["type"].GetString(), "a.sets");
  EXPECT_EQ(doc["by_type"][0]["queued"].GetInt64(), 1);
  EXPECT_FALSE(doc["by_type"][0]["next_run_at"].IsNull());
  EXPECT_STREQ(doc["by_type"][1]["type"].GetString(), "d.certs");
  EXPECT_EQ(doc["by_type"][1]["failed"].GetInt64(), 1);
  EXPECT_TRUE(doc.HasMember("lag_seconds"));
}

TEST_F(QueueCliTest, StatsOnAnEmptyQueueShowsZeroTotals) {
  auto r = cli({"queue", "stats"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_THAT(lines, SizeIs(2)) << r.out;
  EXPECT_THAT(words(lines[1]), ElementsAre("total", "0", "0", "0", "0", "0"));
}

TEST_F(QueueCliTest, FailedListsOneLinePerJobWithItsLastError) {
  auto none = cli({"queue", "failed"});
  EXPECT_EQ(none.code, kExitOk) << none.err;
  EXPECT_EQ(none.out, "no failed jobs\n");

  const int64_t a = failed("psa.cert", "12345678", "HTTP 404: cert not found", 404);
  const int64_t b = failed("justtcg.cards", "set-1", "bad item, \"x\"\nsecond line");
  auto r = cli({"queue", "failed"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_THAT(lines, SizeIs(4)) << r.out;
  EXPECT_THAT(words(lines[0]), ElementsAre("id", "type", "key", "attempts", "last", "error"));
  EXPECT_THAT(words(lines[1]),
              ElementsAre("#" + std::to_string(a), "psa.cert", "12345678", "1/5", "HTTP",
                          "404:", "cert", "not", "found", "(HTTP", "404)"));
  EXPECT_THAT(lines[2], HasSubstr("bad item, \"x\" second line"));
  EXPECT_THAT(words(lines[2]), ElementsAre("#" + std::to_string(b), "justtcg.cards", "set-1", "1/5",
                                           "bad", "item,", "\"x\"", "second", "line"));
  EXPECT_THAT(lines[3], HasSubstr("2 failed jobs"));

  auto only_psa = cli({"queue", "failed", "--type", "psa.cert"});
  EXPECT_EQ(only_psa.code, kExitOk) << only_psa.err;
  EXPECT_THAT(lines_of(only_psa.out), SizeIs(3)) << only_psa.out;
  EXPECT_THAT(only_psa.out, Not(HasSubstr("justtcg.cards")));
}

// An upstream's error text reaches the operator's terminal: escape sequences in it (or in a
// type or key) are shown, never obeyed, so nothing can draw a fake prompt or clear the screen.
TEST_F(QueueCliTest, ControlCharactersAreShownNotSentToTheTerminal) {
  failed("t.\x1b[31mred", "k\x1b]0;title\x07",
         "\x1b[2J\x1b[Hcardsync$ fake prompt \xc2\x9b"
         "31m and \xff",
         500);
  for (const auto& args :
       {std::vector<std::string>{"queue", "failed"}, std::vector<std::string>{"queue", "stats"}}) {
    auto r = cli(args);
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << "the one-byte CSI of C1";
    EXPECT_THAT(r.out, HasSubstr("t.\\x1b[31mred"));
  }
  const auto failed_out = cli({"queue", "failed"}).out;
  EXPECT_THAT(failed_out,
              HasSubstr("\\x1b[2J\\x1b[Hcardsync$ fake prompt \\x9b31m and \xef\xbf\xbd"));
}

TEST_F(QueueCliTest, FailedCsvIsExactlyTheRfc4180Export) {
  const std::string message = "bad item, \"x\"\nsecond line";
  const int64_t id = failed("justtcg.cards", "set,1", message, 422);
  auto r = cli({"queue", "failed", "--csv"});
  ASSERT_EQ(r.code, kExitOk) << r.err;

  std::ostringstream expected;
  queue::write_failed_jobs_csv(expected, worker().failed_jobs());
  EXPECT_EQ(r.out, expected.str());
  EXPECT_THAT(r.out, HasSubstr(",\"set,1\","));
  EXPECT_THAT(r.out, HasSubstr(",\"bad item, \"\"x\"\"\nsecond line\",422,"));

  auto rows = parse_csv(r.out);
  ASSERT_THAT(rows, SizeIs(2)) << r.out;
  EXPECT_THAT(rows[0], ElementsAre("id", "type", "key", "attempts", "max_attempts", "created_at",
                                   "failed_at", "request_id", "last_error", "last_http_status",
                                   "payload", "errors"));
  ASSERT_THAT(rows[1], SizeIs(12));
  EXPECT_EQ(rows[1][0], std::to_string(id));
  EXPECT_EQ(rows[1][1], "justtcg.cards");
  EXPECT_EQ(rows[1][2], "set,1");
  EXPECT_EQ(rows[1][3], "1");
  EXPECT_EQ(rows[1][4], "5");
  EXPECT_EQ(rows[1][7], "req-t");
  EXPECT_EQ(rows[1][8], message);
  EXPECT_EQ(rows[1][9], "422");

  auto empty = cli({"queue", "failed", "--csv", "--type", "psa.cert"});
  EXPECT_EQ(empty.code, kExitOk) << empty.err;
  EXPECT_THAT(parse_csv(empty.out), SizeIs(1)) << empty.out;
}

TEST_F(QueueCliTest, RetryRequeuesAFailedJobAndASecondRetrySaysItIsNotFailed) {
  const int64_t id = failed("psa.cert", "42");
  const std::string ids = std::to_string(id);
  auto r = cli({"queue", "retry", ids});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "requeued job #" + ids + " (psa.cert 42)\n");
  auto job = worker().find(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, sdk::JobState::queued);
  EXPECT_EQ(job->attempts, 0);
  EXPECT_THAT(stats_row("psa.cert"), ElementsAre("psa.cert", "1", "0", "0", "0", "1"));

  auto again = cli({"queue", "retry", ids});
  EXPECT_EQ(again.code, kExitWorkFailed);
  EXPECT_THAT(again.out, IsEmpty());
  EXPECT_THAT(again.err, HasSubstr("job #" + ids + " is not failed (it is queued)"));
}

TEST_F(QueueCliTest, RetrySaysSoWhenTheKeyIsLiveAgain) {
  const int64_t id = failed("psa.cert", "42");
  auto fresh = cli({"enqueue", "psa.cert", "42"});
  ASSERT_EQ(fresh.code, kExitOk) << fresh.err;
  EXPECT_THAT(fresh.out, HasSubstr("enqueued job #"));  // a failed job frees its key

  auto r = cli({"queue", "retry", std::to_string(id)});
  EXPECT_EQ(r.code, kExitWorkFailed);
  EXPECT_THAT(r.err, HasSubstr("job #" + std::to_string(id) + " was not requeued"));
  EXPECT_THAT(r.err, HasSubstr("queued or processing again"));
  EXPECT_EQ(worker().find(id)->state, sdk::JobState::failed);
}

TEST_F(QueueCliTest, RetryOfAnUnknownIdSaysThereIsNoSuchJob) {
  auto r = cli({"queue", "retry", "999"});
  EXPECT_EQ(r.code, kExitWorkFailed);
  EXPECT_THAT(r.err, HasSubstr("there is no job #999"));
}

TEST_F(QueueCliTest, RetryAllFailedPrintsHowManyAndHonoursType) {
  failed("a.sets", "1");
  failed("a.sets", "2");
  failed("b.sets", "1");
  auto typed = cli({"queue", "retry", "--all-failed", "--type", "a.sets"});
  EXPECT_EQ(typed.code, kExitOk) << typed.err;
  EXPECT_EQ(typed.out, "requeued 2 failed jobs of type a.sets\n");
  EXPECT_THAT(stats_row("a.sets"), ElementsAre("a.sets", "2", "0", "0", "0", "2"));
  EXPECT_THAT(stats_row("b.sets"), ElementsAre("b.sets", "0", "0", "0", "1", "1"));

  auto all = cli({"queue", "retry", "--all-failed"});
  EXPECT_EQ(all.code, kExitOk) << all.err;
  EXPECT_EQ(all.out, "requeued 1 failed job\n");
  auto none = cli({"queue", "retry", "--all-failed"});
  EXPECT_EQ(none.out, "requeued 0 failed jobs\n");
}

TEST_F(QueueCliTest, BadUsageExitsTwoBeforeTouchingTheStorage) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"queue"}, "expected 'stats', 'failed' or 'retry'"},
      {{"queue", "purge"}, "found 'purge'"},
      {{"queue", "stats", "extra"}, "queue stats: unexpected argument 'extra'"},
      {{"queue", "failed", "--json"}, "queue failed: unrecognised option '--json'"},
      {{"queue", "retry"}, "expected a job id or --all-failed"},
      {{"queue", "retry", "7", "--all-failed"}, "give a job id or --all-failed, not both"},
      {{"queue", "retry", "abc"}, "the job id must be a positive integer, found 'abc'"},
      {{"queue", "retry", "0"}, "the job id must be a positive integer, found '0'"},
      {{"queue", "retry", "7", "8"}, "unexpected argument '8'"},
      {{"queue", "retry", "7", "--type", "a"}, "--type only applies to --all-failed"},
      {{"enqueue"}, "enqueue: expected a job type and a key"},
      {{"enqueue", "t"}, "expected a key after the type"},
      {{"enqueue", "t", "k", "x"}, "unexpected argument 'x'"},
      {{"enqueue", "", "k"}, "the job type must not be empty"},
      {{"enqueue", "t", ""}, "the job key must not be empty"},
      {{"enqueue", "t", "k", "--payload", "{bad"}, "--payload is not valid JSON"},
      {{"enqueue", "t", "k", "--payload", "{} {}"}, "--payload is not valid JSON"},
      {{"enqueue", "t", "k", "--payload", "{\"name\":\"Pok\xE9mon\"}"},
       "--payload is not valid JSON (UTF-8)"},
      {{"enqueue", "t", "k", "--payload"}, "--payload"},
  };
  for (const auto& [args, message] : cases) {
    auto r = cli(args);
    std::string joined;
    for (const auto& a : args) joined += " '" + a + "'";
    EXPECT_EQ(r.code, kExitUsage) << joined << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(message)) << joined;
    EXPECT_THAT(r.err, HasSubstr("usage: cardsync ")) << joined;
    EXPECT_THAT(r.out, IsEmpty()) << joined;
  }
  EXPECT_FALSE(std::filesystem::exists(db_)) << "a usage error must not open the storage";
}

}  // namespace
}  // namespace cardsync::cli::testing
