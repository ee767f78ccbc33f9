// Upserts of 200,000 realistic variant rows (ids ~30 chars, raw item ~330 bytes of JSON)
// through the SQLite plugin's write_batch, against a ceiling measured in the same run: the
// sqlite3 C API, one transaction, one prepared INSERT ... ON CONFLICT DO UPDATE, into the
// same table the plugin writes. Targets (issue 3): plugin >= 0.7x the ceiling for inserts
// and for updates; rewriting unchanged rows >= 2x faster than the update pass; a batch of
// 100 cards with 5 variants each commits in < 10 ms. Run from a Release build:
//   sqlite_storage_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "queue/content_hash.hpp"
#include "variant_rows.hpp"

namespace {

using namespace cardsync;

constexpr int kRows = 200'000;
constexpr int64_t kNow = 1'700'000'000'000;

using Row = bench::VariantRow;
using bench::make_variant_rows;

std::filesystem::path scratch_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("cardsync-sqlite-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

void remove_db(const std::filesystem::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db.string() + suffix);
  }
}

// The plugin, loaded through the host's registry exactly as cardsync loads it.
struct Plugin {
  std::shared_ptr<plugin::Registry> registry;
  std::unique_ptr<plugin::PluginStorage> storage;

  explicit Plugin(const std::filesystem::path& db) {
    registry = std::make_shared<plugin::Registry>(std::make_shared<plugin::HostServices>(nullptr));
    auto lib = registry->load_file(std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
                                   "cardsync-storage-sqlite.so");
    std::string config = R"({"path":")" + db.string() + R"("})";
    storage = std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib, config)));
    storage->migrate();
  }

  sdk::WriteResult write(const std::vector<Row>& rows, size_t begin, size_t end) {
    sdk::WriteBatch b;
    b.now_ms = kNow;
    b.records.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      const Row& r = rows[i];
      b.records.push_back(
          sdk::StoredRecord{CS_RECORD_VARIANT, r.key, r.parent, "justtcg", r.core, r.raw, r.hash});
    }
    return storage->write_batch(b);
  }
  sdk::WriteResult write_all(const std::vector<Row>& rows, size_t batch) {
    sdk::WriteResult last;
    for (size_t i = 0; i < rows.size(); i += batch) {
      last = write(rows, i, std::min(rows.size(), i + batch));
    }
    return last;
  }
};

// The ceiling: one transaction, one prepared upsert, nothing else.
void raw_upsert(const std::filesystem::path& db_path, const std::vector<Row>& rows) {
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO variants (key, parent_key, source, core_json, raw_json,"
                     " content_hash, version, created_at_ms, updated_at_ms)"
                     " VALUES (?1, ?2, 'justtcg', ?3, ?4, ?5, 1, ?6, ?6)"
                     " ON CONFLICT (key) DO UPDATE SET parent_key = excluded.parent_key,"
                     " source = excluded.source, core_json = excluded.core_json,"
                     " raw_json = excluded.raw_json, content_hash = excluded.content_hash,"
                     " updated_at_ms = excluded.updated_at_ms",
                     -1, &st, nullptr);
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  for (const Row& r : rows) {
    sqlite3_bind_text(st, 1, r.key.data(), static_cast<int>(r.key.size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r.parent.data(), static_cast<int>(r.parent.size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r.core.data(), static_cast<int>(r.core.size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r.raw.data(), static_cast<int>(r.raw.size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r.hash.data(), static_cast<int>(r.hash.size()), SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, kNow);
    if (sqlite3_step(st) != SQLITE_DONE) std::abort();
    sqlite3_reset(st);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

const std::vector<Row>& generation(int g) {
  static std::map<int, std::vector<Row>> cache;
  auto it = cache.find(g);
  if (it == cache.end()) it = cache.emplace(g, make_variant_rows(kRows, g)).first;
  return it->second;
}

std::map<std::string, double> g_rows_per_second;

void record(benchmark::State& state, const std::string& name, double seconds_total) {
  const double rps = kRows * static_cast<double>(state.iterations()) / seconds_total;
  state.counters["rows_per_s"] = rps;
  g_rows_per_second[name] = rps;
}

// Passes: "insert" into an empty table, "update" every row with new content, "unchanged"
// rewriting the rows just written.
enum Pass { kInsert, kUpdate, kUnchanged };

void BM_RawCeiling(benchmark::State& state) {
  const auto pass = static_cast<Pass>(state.range(0));
  const auto db = scratch_dir() / "raw.db";
  double total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    { Plugin schema(db); }  // the same table and indexes the plugin writes
    if (pass != kInsert) raw_upsert(db, generation(0));
    const auto& rows = generation(pass == kUpdate ? 1 : 0);
    state.ResumeTiming();
    auto t0 = std::chrono::steady_clock::now();
    raw_upsert(db, rows);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  record(state,
         std::string("raw/") + (pass == kInsert   ? "insert"
                                : pass == kUpdate ? "update"
                                                  : "unchanged"),
         total);
  remove_db(db);
}

void BM_PluginWriteBatch(benchmark::State& state) {
  const auto pass = static_cast<Pass>(state.range(0));
  const auto batch = static_cast<size_t>(state.range(1));
  const auto db = scratch_dir() / "plugin.db";
  double total = 0;
  sdk::WriteResult result;
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    auto plugin = std::make_unique<Plugin>(db);
    if (pass != kInsert) plugin->write_all(generation(0), kRows);
    const auto& rows = generation(pass == kUpdate ? 1 : 0);
    state.ResumeTiming();
    auto t0 = std::chrono::steady_clock::now();
    result = plugin->write_all(rows, batch);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.PauseTiming();
    plugin.reset();
    state.ResumeTiming();
  }
  const int64_t expect = static_cast<int64_t>(std::min<size_t>(batch, kRows));
  const int64_t got = pass == kInsert   ? result.counts.inserted[CS_RECORD_VARIANT]
                      : pass == kUpdate ? result.counts.updated[CS_RECORD_VARIANT]
                                        : result.counts.unchanged[CS_RECORD_VARIANT];
  if (got != expect) state.SkipWithError("the plugin's counts do not match the pass");
  record(state,
         std::string("plugin/") +
             (pass == kInsert   ? "insert"
              : pass == kUpdate ? "update"
                                : "unchanged") +
             "/" + std::to_string(batch),
         total);
  remove_db(db);
}

// One realistic sink flush: 100 cards with 5 variants each (600 records) in one
// write_batch, into a database already holding the 200,000-row catalog.
void BM_CardsBatchCommit(benchmark::State& state) {
  const auto db = scratch_dir() / "latency.db";
  remove_db(db);
  Plugin plugin(db);
  plugin.write_all(generation(0), 10'000);
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string prefix = "ygo" + std::to_string(round++);
    std::vector<Row> variants = make_variant_rows(500, 0, prefix);
    std::vector<Row> cards;
    for (int c = 0; c < 100; ++c) {
      Row card{variants[static_cast<size_t>(c) * 5].parent,
               "sv4",
               R"({"name":"Card","number":"1"})",
               variants[static_cast<size_t>(c) * 5].raw,
               {}};
      card.hash = queue::content_hash(card.parent, "justtcg", card.core, card.raw);
      cards.push_back(std::move(card));
    }
    sdk::WriteBatch b;
    b.now_ms = kNow;
    for (const auto& c : cards) {
      b.records.push_back(
          sdk::StoredRecord{CS_RECORD_CARD, c.key, c.parent, "justtcg", c.core, c.raw, c.hash});
    }
    for (const auto& v : variants) {
      b.records.push_back(
          sdk::StoredRecord{CS_RECORD_VARIANT, v.key, v.parent, "justtcg", v.core, v.raw, v.hash});
    }
    b.cursors.push_back(sdk::CursorUpdate{"justtcg.cards.sv4", std::to_string(round)});
    state.ResumeTiming();
    plugin.storage->write_batch(b);
  }
  remove_db(db);
}

BENCHMARK(BM_RawCeiling)->Arg(kInsert)->Arg(kUpdate)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PluginWriteBatch)
    ->Args({kInsert, kRows})
    ->Args({kUpdate, kRows})
    ->Args({kUnchanged, kRows})
    ->Args({kInsert, 1000})
    ->Args({kUpdate, 1000})
    ->Args({kUnchanged, 1000})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CardsBatchCommit)->Iterations(200)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  auto& r = g_rows_per_second;
  auto ratio = [&](const std::string& a, const std::string& b) {
    return r.count(a) != 0 && r.count(b) != 0 ? r[a] / r[b] : 0.0;
  };
  std::printf("\nsummary (target in brackets)\n");
  std::printf("  plugin insert / raw insert, one batch    %.2fx  [>= 0.70]\n",
              ratio("plugin/insert/200000", "raw/insert"));
  std::printf("  plugin update / raw update, one batch    %.2fx  [>= 0.70]\n",
              ratio("plugin/update/200000", "raw/update"));
  std::printf("  plugin unchanged / plugin update         %.2fx  [>= 2.00]\n",
              ratio("plugin/unchanged/200000", "plugin/update/200000"));
  std::printf("  plugin insert / raw, 1000-record batches %.2fx\n",
              ratio("plugin/insert/1000", "raw/insert"));
  std::printf("  plugin update / raw, 1000-record batches %.2fx\n",
              ratio("plugin/update/1000", "raw/update"));
  std::filesystem::remove_all(scratch_dir());
  return 0;
}
