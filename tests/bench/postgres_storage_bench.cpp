// Upserts of 200,000 realistic variant rows (the rows of sqlite_storage_bench: ids ~30
// chars, raw item ~330 bytes of JSON) through the PostgreSQL plugin's write_batch, against a
// ceiling measured in the same run: one binary COPY of the same rows straight into an empty
// table of the same shape (columns, primary key, parent index), one transaction. Targets
// (issue 6): plugin inserts >= 0.6x the ceiling; rewriting unchanged rows >= 2x faster than
// an update pass. Also the cost of the raw item column's type (text, json, jsonb) on the
// same COPY, and the commit of a 600-record batch. Needs a server:
//   CARDSYNC_TEST_PG_URL="$(scripts/pg-test-server.sh url)" postgres_storage_bench
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "variant_rows.hpp"

namespace {

using namespace cardsync;
using Clock = std::chrono::steady_clock;

constexpr int kRows = 200'000;
constexpr int64_t kNow = 1'700'000'000'000;

using Row = bench::VariantRow;
using bench::make_variant_rows;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- libpq, for the ceiling ---------------------------------------------------------------

struct Db {
  PGconn* conn;
  explicit Db(const std::string& url) : conn(PQconnectdb(url.c_str())) {
    if (PQstatus(conn) != CONNECTION_OK) {
      throw std::runtime_error(std::string("cannot connect: ") + PQerrorMessage(conn));
    }
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
  }
  ~Db() { PQfinish(conn); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) const {
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType s = PQresultStatus(r);
    std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_COPY_IN) {
      throw std::runtime_error(sql + ": " + error);
    }
  }
};

void be(std::string& out, uint64_t v, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}
void field(std::string& out, std::string_view v, bool jsonb = false) {
  be(out, v.size() + (jsonb ? 1 : 0), 4);
  if (jsonb) out.push_back('\x01');  // jsonb's binary format: a version byte, then the text
  out.append(v);
}

// The ceiling: one binary COPY of every row into `schema`.variants, in one transaction.
double copy_ceiling(const Db& db, const std::string& schema, const std::vector<Row>& rows,
                    bool raw_is_jsonb) {
  const auto t0 = Clock::now();
  db.exec("BEGIN");
  db.exec("COPY \"" + schema +
          "\".variants (key, parent_key, source, core_json, raw_json, content_hash, version,"
          " created_at_ms, updated_at_ms) FROM STDIN (FORMAT binary)");
  std::string buf("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
  for (const Row& r : rows) {
    be(buf, 9, 2);
    field(buf, r.key);
    field(buf, r.parent);
    field(buf, "justtcg");
    field(buf, r.core);
    field(buf, r.raw, raw_is_jsonb);
    field(buf, r.hash);
    be(buf, 8, 4);
    be(buf, 1, 8);
    be(buf, 8, 4);
    be(buf, static_cast<uint64_t>(kNow), 8);
    be(buf, 8, 4);
    be(buf, static_cast<uint64_t>(kNow), 8);
    if (buf.size() > (1u << 18)) {
      PQputCopyData(db.conn, buf.data(), static_cast<int>(buf.size()));
      buf.clear();
    }
  }
  be(buf, 0xffff, 2);
  PQputCopyData(db.conn, buf.data(), static_cast<int>(buf.size()));
  PQputCopyEnd(db.conn, nullptr);
  PGresult* r = PQgetResult(db.conn);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string error = PQresultErrorMessage(r);
  PQclear(r);
  while ((r = PQgetResult(db.conn)) != nullptr) PQclear(r);
  if (!ok) throw std::runtime_error("COPY: " + error);
  db.exec("COMMIT");
  return seconds_since(t0);
}

// ---- the plugin ----------------------------------------------------------------------------

struct Plugin {
  std::shared_ptr<plugin::Registry> registry;
  std::unique_ptr<plugin::PluginStorage> storage;

  Plugin(const std::string& url, const std::string& schema) {
    registry = std::make_shared<plugin::Registry>(std::make_shared<plugin::HostServices>(nullptr));
    auto lib = registry->load_file(std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
                                   "cardsync-storage-postgres.so");
    std::string config = R"({"url":")" + url + R"(","schema":")" + schema + R"("})";
    storage = std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib, config)));
    storage->migrate();
  }

  sdk::WriteCounts write_all(const std::vector<Row>& rows, size_t batch) {
    sdk::WriteCounts total;
    for (size_t begin = 0; begin < rows.size(); begin += batch) {
      sdk::WriteBatch b;
      b.now_ms = kNow;
      const size_t end = std::min(rows.size(), begin + batch);
      for (size_t i = begin; i < end; ++i) {
        const Row& r = rows[i];
        b.records.push_back(sdk::StoredRecord{CS_RECORD_VARIANT, r.key, r.parent, "justtcg", r.core,
                                              r.raw, r.hash});
      }
      auto res = storage->write_batch(b);
      total.inserted[CS_RECORD_VARIANT] += res.counts.inserted[CS_RECORD_VARIANT];
      total.updated[CS_RECORD_VARIANT] += res.counts.updated[CS_RECORD_VARIANT];
      total.unchanged[CS_RECORD_VARIANT] += res.counts.unchanged[CS_RECORD_VARIANT];
    }
    return total;
  }
};

struct Pass {
  double seconds = 0;
  int64_t counted = 0;
};

// Times one plugin pass; checks the plugin's counts say what the pass did.
Pass timed(Plugin& p, const std::vector<Row>& rows, size_t batch, int64_t sdk::WriteCounts::*,
           const char* what, int which) {
  const auto t0 = Clock::now();
  sdk::WriteCounts c = p.write_all(rows, batch);
  Pass pass{seconds_since(t0), which == 0   ? c.inserted[CS_RECORD_VARIANT]
                               : which == 1 ? c.updated[CS_RECORD_VARIANT]
                                            : c.unchanged[CS_RECORD_VARIANT]};
  if (pass.counted != static_cast<int64_t>(rows.size())) {
    std::fprintf(stderr, "%s: the plugin counted %lld of %zu rows\n", what,
                 static_cast<long long>(pass.counted), rows.size());
    std::exit(1);
  }
  return pass;
}

double rate(double seconds) {
  return kRows / seconds;
}

}  // namespace

int main() {
  const char* env = std::getenv("CARDSYNC_TEST_PG_URL");
  if (env == nullptr || *env == '\0') {
    std::printf(
        "postgres_storage_bench: CARDSYNC_TEST_PG_URL is not set; skipped "
        "(scripts/pg-test-server.sh start; export CARDSYNC_TEST_PG_URL=\"$(scripts/"
        "pg-test-server.sh url)\")\n");
    return 0;
  }
  const std::string url = env;
  try {
    Db db(url);
    const std::string base = "bench_" + std::to_string(getpid());
    auto fresh = [&](const std::string& schema) {
      db.exec("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      return std::make_unique<Plugin>(url, schema);
    };
    const std::vector<Row> gen0 = make_variant_rows(kRows, 0);
    const std::vector<Row> gen1 = make_variant_rows(kRows, 1);

    // The raw item column's type, on the ceiling's COPY (best of 3 each).
    std::map<std::string, double> copy_s;
    for (const char* type : {"text", "json", "jsonb"}) {
      const std::string schema = base + "_" + type;
      fresh(schema);
      if (std::string(type) != "text") {
        db.exec("ALTER TABLE \"" + schema + "\".variants ALTER raw_json TYPE " + type +
                " USING raw_json::" + type);
      }
      double best = 1e9;
      for (int i = 0; i < 3; ++i) {
        db.exec("TRUNCATE \"" + schema + "\".variants");
        best = std::min(best, copy_ceiling(db, schema, gen0, std::string(type) == "jsonb"));
      }
      copy_s[type] = best;
      db.exec("DROP SCHEMA \"" + schema + "\" CASCADE");
    }

    // The plugin, one batch of 200,000 and batches of 1,000 (a sink flush), best of 2.
    std::map<std::string, double> plugin_s;
    for (size_t batch : {size_t{kRows}, size_t{1000}}) {
      const std::string tag = "/" + std::to_string(batch);
      for (int round = 0; round < 2; ++round) {
        auto p = fresh(base + "_plugin");
        auto keep = [&](const std::string& name, double s) {
          auto it = plugin_s.find(name);
          plugin_s[name] = it == plugin_s.end() ? s : std::min(it->second, s);
        };
        keep("insert" + tag, timed(*p, gen0, batch, nullptr, "insert", 0).seconds);
        keep("update" + tag, timed(*p, gen1, batch, nullptr, "update", 1).seconds);
        keep("unchanged" + tag, timed(*p, gen1, batch, nullptr, "unchanged", 2).seconds);
      }
    }

    // One realistic sink flush into the 200,000-row catalog: 100 cards x 5 variants + cards.
    std::vector<double> commit_ms;
    {
      auto p = fresh(base + "_plugin");
      p->write_all(gen0, 10'000);
      for (int round = 0; round < 100; ++round) {
        std::vector<Row> variants = make_variant_rows(500, 0, "ygo" + std::to_string(round));
        sdk::WriteBatch b;
        b.now_ms = kNow;
        for (int c = 0; c < 100; ++c) {
          const Row& v = variants[static_cast<size_t>(c) * 5];
          b.records.push_back(sdk::StoredRecord{CS_RECORD_CARD, v.parent, "sv4", "justtcg",
                                                R"({"name":"Card","number":"1"})", v.raw, v.hash});
        }
        for (const auto& v : variants) {
          b.records.push_back(sdk::StoredRecord{CS_RECORD_VARIANT, v.key, v.parent, "justtcg",
                                                v.core, v.raw, v.hash});
        }
        b.cursors.push_back(sdk::CursorUpdate{"justtcg.cards.sv4", std::to_string(round)});
        const auto t0 = Clock::now();
        p->storage->write_batch(b);
        commit_ms.push_back(seconds_since(t0) * 1000);
      }
    }
    db.exec("DROP SCHEMA IF EXISTS \"" + base + "_plugin\" CASCADE");
    std::sort(commit_ms.begin(), commit_ms.end());

    std::printf("postgres_storage_bench: %d variant rows\n", kRows);
    std::printf("  ceiling: binary COPY into an empty table, raw_json text   %8.0f rows/s\n",
                rate(copy_s["text"]));
    std::printf("           same, raw_json json                            %8.0f rows/s\n",
                rate(copy_s["json"]));
    std::printf("           same, raw_json jsonb                           %8.0f rows/s\n",
                rate(copy_s["jsonb"]));
    for (const char* pass : {"insert", "update", "unchanged"}) {
      for (const char* batch : {"/200000", "/1000"}) {
        std::printf("  plugin %-9s batches of %-6s                        %8.0f rows/s\n", pass,
                    batch + 1, rate(plugin_s[std::string(pass) + batch]));
      }
    }
    std::printf("\nsummary (target in brackets)\n");
    std::printf("  plugin insert / COPY ceiling, one batch        %.2fx  [>= 0.60]\n",
                copy_s["text"] / plugin_s["insert/200000"]);
    std::printf("  plugin insert / COPY ceiling, 1000-row batches %.2fx\n",
                copy_s["text"] / plugin_s["insert/1000"]);
    std::printf("  plugin unchanged / plugin update, one batch    %.2fx  [>= 2.00]\n",
                plugin_s["update/200000"] / plugin_s["unchanged/200000"]);
    std::printf("  plugin unchanged / plugin update, 1000 rows    %.2fx\n",
                plugin_s["update/1000"] / plugin_s["unchanged/1000"]);
    std::printf("  COPY cost of raw_json: json / text %.2fx, jsonb / text %.2fx\n",
                copy_s["json"] / copy_s["text"], copy_s["jsonb"] / copy_s["text"]);
    std::printf(
        "  600-record batch commit (100 cards x 5 variants + cards): median %.2f ms,"
        " p95 %.2f ms\n",
        commit_ms[commit_ms.size() / 2], commit_ms[commit_ms.size() * 95 / 100]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_storage_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
