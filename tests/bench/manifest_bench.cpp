// The rest plugin against a native provider on the same data (issue 15): `cardsync run
// --once` of the Scryfall catalog from the sandbox into SQLite, once with the native
// Scryfall plugin and once with manifests/scryfall.json on the rest plugin, in alternating
// pairs on one sandbox, whole processes as a user runs them. Prints each run's wall time,
// CPU seconds and records stored, and the median records per CPU-second of each.
//   manifest_bench [--sets N] [--cards-per-set N] [--pairs N]
// Target: the manifest's records per CPU-second >= 0.67x the native plugin's.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "integration/child_process.hpp"
#include "integration/scratch_dir.hpp"
#include "integration/synced_catalog.hpp"
#include "sandbox/sandbox.hpp"
#include "time/clock.hpp"

namespace {

using namespace cardsync;

struct Sample {
  double wall = 0, cpu = 0;
  std::int64_t records = 0;
  double per_cpu_second() const { return static_cast<double>(records) / cpu; }
};

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

Sample run(const integration::ScratchDir& dir, const std::string& name,
           const std::string& section) {
  const auto db = dir / (name + ".db");
  std::filesystem::remove(db);
  const auto config = dir / (name + ".json");
  std::ofstream(config) << R"({"storage": {"sqlite": {"path": ")" << db.string()
                        << R"("}}, "providers": {"scryfall": )" << section << "}}";
  integration::ChildProcess child(CARDSYNC_BINARY, {"--config", config.string(), "run", "--once"},
                                  dir.path(), name);
  const auto exit = child.wait_for(std::chrono::minutes(10));
  if (!exit || exit->exit_code != 0) {
    std::cerr << name << ": cardsync run --once failed:\n"
              << (exit ? exit->out + exit->err : "timeout");
    std::exit(1);
  }
  Sample s;
  s.wall = exit->seconds;
  s.cpu = seconds(exit->usage.ru_utime) + seconds(exit->usage.ru_stime);
  const integration::SyncedCatalog catalog(db);
  const auto c = catalog.counts();
  s.records = c.games + c.sets + c.cards + c.variants;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::uint32_t sets = 40;
  std::uint32_t cards_per_set = 350;
  int pairs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--sets") {
      sets = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    } else if (a == "--cards-per-set") {
      cards_per_set = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    } else if (a == "--pairs") {
      pairs = std::stoi(argv[i + 1]);
    } else {
      std::cerr << "usage: manifest_bench [--sets N] [--cards-per-set N] [--pairs N]\n";
      return 2;
    }
  }
  sandbox::SandboxOptions options;
  options.scryfall.sets = sets;
  options.scryfall.cards_per_set = cards_per_set;
  sandbox::Sandbox upstream(options, SystemClock::instance());
  upstream.start();
  const std::string base = upstream.base_url() + "/scryfall";
  const integration::ScratchDir dir("manifest-bench");
  const std::string native = R"({"base_url": ")" + base + "\"}";
  const std::string manifest = R"({"plugin": "rest", "manifest": ")" +
                               std::string(CARDSYNC_SOURCE_DIR) + R"(/manifests/scryfall.json",)" +
                               R"( "base_url": ")" + base + "\"}";

  std::vector<double> native_rate, manifest_rate;
  for (int p = 0; p < pairs; ++p) {
    for (const auto& [name, section] :
         {std::pair{"native", native}, std::pair{"manifest", manifest}}) {
      const Sample s = run(dir, name, section);
      std::printf("%-8s run %d: %6.2f s wall, %6.3f CPU-s, %7lld records, %9.0f records/CPU-s\n",
                  name, p + 1, s.wall, s.cpu, static_cast<long long>(s.records),
                  s.per_cpu_second());
      (std::string(name) == "native" ? native_rate : manifest_rate).push_back(s.per_cpu_second());
    }
  }
  const double ratio = median(manifest_rate) / median(native_rate);
  std::printf(
      "\nmedian records/CPU-s: native %.0f, manifest %.0f; ratio %.2fx (target >= 0.67x: %s)\n",
      median(native_rate), median(manifest_rate), ratio, ratio >= 0.67 ? "met" : "MISSED");
  return 0;
}
