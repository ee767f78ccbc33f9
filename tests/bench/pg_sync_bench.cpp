// PostgreSQL end to end (issue 6): a full sync of N variants from the in-process sandbox
// into PostgreSQL, with 1 and with 4 cardsync processes sharing the queue (`run --once`
// plus 3 `worker`s), timed from spawn to the run's exit; and the enqueue-to-start latency
// of an idle worker (enqueue by `cardsync enqueue`, start = the job leaving 'queued', seen
// by a 1 ms poll; the enqueue time is the row's created_at_ms). Needs CARDSYNC_TEST_PG_URL
// (scripts/pg-test-server.sh). Run from a Release build:
//   pg_sync_bench [--variants 200000] [--processes 1,4] [--samples 30]
// Target: idle-worker enqueue-to-start median under 50 ms.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/child_process.hpp"
#include "integration/pg_catalog.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "integration/sync_config.hpp"
#include "sandbox/sandbox.hpp"

namespace {

using namespace cardsync;
using integration::ChildProcess;
using integration::PgCatalog;
using integration::ScratchDir;

// As in sync_bench: the sandbox's rate limit is raised so cardsync, not the plan, is measured.
constexpr std::uint32_t kRateLimitPerMinute = 1'000'000;

std::string fresh_schema(const std::string& url, const std::string& tag) {
  std::string schema = "bench_" + std::to_string(getpid()) + "_" + tag;
  PgCatalog(url, schema).drop_schema();
  return schema;
}

sandbox::SandboxOptions catalog(std::uint64_t variants) {
  sandbox::SandboxOptions o;
  o.catalog.seed = 1;
  o.catalog.games = 10;
  o.catalog.cards_per_set = 200;
  o.catalog.variants_per_card = 5;
  o.catalog.sets_per_game =
      static_cast<std::uint32_t>(std::max<std::uint64_t>(1, variants / (10 * 200 * 5)));
  o.justtcg.rate_limit = kRateLimitPerMinute;
  return o;
}

integration::SyncConfig config(const sandbox::Sandbox& upstream, const std::string& url,
                               const std::string& schema) {
  integration::SyncConfig cfg;
  cfg.base_url = upstream.base_url() + "/v1";
  cfg.postgres_url = url;
  cfg.postgres_schema = schema;
  cfg.log_level = "warn";
  cfg.test_timings = false;  // production defaults throughout
  return cfg;
}

struct SyncFigures {
  int processes = 0;
  double seconds = 0;
  std::int64_t rows = 0;
  bool correct = false;
};

SyncFigures sync(const std::string& url, std::uint64_t variants, int processes) {
  sandbox::Sandbox upstream(catalog(variants));
  upstream.start();
  integration::SandboxControl control(upstream.base_url());
  const auto truth = control.truth();
  ScratchDir dir("cardsync-pg-sync-bench");
  const std::string schema = fresh_schema(url, "p" + std::to_string(processes));
  auto cfg = config(upstream, url, schema);
  const auto path = dir / "cardsync.json";
  cfg.write(path);

  // The helpers start first and idle (the schema is migrated by whoever comes first), so
  // the run's enqueue wakes them.
  std::vector<std::unique_ptr<ChildProcess>> helpers;
  for (int i = 1; i < processes; ++i) {
    helpers.push_back(std::make_unique<ChildProcess>(
        CARDSYNC_BINARY, std::vector<std::string>{"--config", path.string(), "worker"}, dir.path(),
        "worker" + std::to_string(i)));
  }
  ChildProcess run(CARDSYNC_BINARY, {"--config", path.string(), "run", "--once"}, dir.path(),
                   "run");
  auto exit = run.wait_for(std::chrono::hours(1));
  if (!exit || exit->exit_code != 0) {
    std::cerr << "cardsync run --once failed:\n" << (exit ? exit->out + exit->err : "timeout");
    std::exit(1);
  }
  for (auto& h : helpers) h->kill(SIGTERM);
  for (auto& h : helpers) h->wait_for(std::chrono::seconds(30));
  upstream.stop();

  SyncFigures f;
  f.processes = processes;
  f.seconds = exit->seconds;
  PgCatalog db(url, schema);
  const auto c = db.counts();
  f.rows = c.games + c.sets + c.cards + c.variants;
  f.correct = static_cast<std::uint64_t>(c.games) == truth.games &&
              static_cast<std::uint64_t>(c.sets) == truth.sets &&
              static_cast<std::uint64_t>(c.cards) == truth.cards &&
              static_cast<std::uint64_t>(c.variants) == truth.variants &&
              db.checksum() == truth.checksum;
  db.drop_schema();
  return f;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Milliseconds from enqueue to claim, one per sample.
std::vector<double> latency(const std::string& url, int samples) {
  sandbox::SandboxOptions o;
  o.catalog.games = 1;
  o.catalog.sets_per_game = 1;
  o.catalog.cards_per_set = 1;
  o.catalog.variants_per_card = 1;
  sandbox::Sandbox upstream(o);
  upstream.start();
  ScratchDir dir("cardsync-pg-latency-bench");
  const std::string schema = fresh_schema(url, "latency");
  auto cfg = config(upstream, url, schema);
  const auto path = dir / "cardsync.json";
  cfg.write(path);
  ChildProcess worker(CARDSYNC_BINARY, {"--config", path.string(), "worker"}, dir.path(), "worker");
  // The worker migrates the fresh schema when it starts.
  for (int i = 0; integration::pg_count_or_zero(url, schema, "SELECT 1 FROM cardsync_schema") == 0;
       ++i) {
    if (i > 3000) {
      std::cerr << "the worker never migrated the schema\n" << worker.err_so_far();
      std::exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  PgCatalog db(url, schema);
  auto live = [&] {
    return db.scalar("SELECT count(*) FROM sync_queue WHERE state IN ('queued', 'processing')");
  };
  std::vector<double> out;
  for (int i = 0; i < samples; ++i) {
    // Wait for an idle worker (every earlier job done), then let it settle into its wait.
    while (live() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::string key = "latency-" + std::to_string(i);
    ChildProcess enqueue(CARDSYNC_BINARY,
                         {"--config", path.string(), "enqueue", "justtcg.games", key}, dir.path(),
                         "enqueue");
    std::int64_t started = 0;
    const std::string where = "type = 'justtcg.games' AND key = '" + key + "'";
    for (int polls = 0; polls < 20'000 && started == 0; ++polls) {
      if (db.scalar("SELECT count(*) FROM sync_queue WHERE " + where + " AND state <> 'queued'") >
          0) {
        started = now_ms();
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    enqueue.wait_for(std::chrono::seconds(30));
    const auto created = db.scalar("SELECT created_at_ms FROM sync_queue WHERE " + where);
    if (started == 0 || created == 0) {
      std::cerr << "sample " << i << ": the job never started\n" << worker.err_so_far();
      std::exit(1);
    }
    out.push_back(static_cast<double>(started - created));
  }
  worker.kill(SIGTERM);
  worker.wait_for(std::chrono::seconds(30));
  db.drop_schema();
  return out;
}

std::vector<std::uint64_t> parse_list(const std::string& text) {
  std::vector<std::uint64_t> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoull(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t variants = 200'000;
  std::vector<std::uint64_t> processes{1, 4};
  int samples = 30;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--variants" && i + 1 < argc) {
      variants = std::stoull(argv[++i]);
    } else if (a == "--processes" && i + 1 < argc) {
      processes = parse_list(argv[++i]);
    } else if (a == "--samples" && i + 1 < argc) {
      samples = std::stoi(argv[++i]);
    } else {
      std::cerr << "usage: pg_sync_bench [--variants 200000] [--processes 1,4] [--samples 30]\n";
      return 2;
    }
  }
  auto url = integration::test_postgres_url();
  if (!url) {
    std::cerr << "pg_sync_bench: set CARDSYNC_TEST_PG_URL (scripts/pg-test-server.sh start)\n";
    return 2;
  }
  bool all_correct = true;
  for (auto p : processes) {
    const auto f = sync(*url, variants, static_cast<int>(p));
    all_correct = all_correct && f.correct;
    std::printf("sync %llu variants, %d process(es): %.2f s, %.0f records/s, %s\n",
                static_cast<unsigned long long>(variants), f.processes, f.seconds,
                static_cast<double>(f.rows) / f.seconds, f.correct ? "at the truth" : "WRONG");
  }
  if (samples > 0) {
    auto ms = latency(*url, samples);
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    std::printf(
        "idle worker enqueue-to-start over %d samples: median %.0f ms, p90 %.0f ms, max %.0f ms"
        " (target median < 50 ms: %s)\n",
        samples, median, ms[ms.size() * 9 / 10], ms.back(), median < 50 ? "met" : "MISSED");
  }
  return all_correct ? 0 : 1;
}
