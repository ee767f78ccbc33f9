#pragma once
// The frame of every integration test: a sandbox upstream in this process (port 0), a
// scratch directory, the real `cardsync` binary run as a subprocess against them, and the
// checks that compare what it stored with what the sandbox says a correct sync ends with.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "integration/child_process.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "integration/sync_config.hpp"
#include "integration/synced_catalog.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::integration {

// A catalog of games x sets x cards x variants, everything else default (no faults).
sandbox::SandboxOptions sandbox_catalog(std::uint64_t seed, std::uint32_t games,
                                        std::uint32_t sets_per_game, std::uint32_t cards_per_set,
                                        std::uint32_t variants_per_card, double invalid_rate = 0.0);

class SyncTest : public ::testing::Test {
 protected:
  SyncTest();
  ~SyncTest() override;
  void TearDown() override;

  void start_sandbox(sandbox::SandboxOptions options);
  // Replaces the sandbox with a new one serving the same catalog (same seed and sizes: byte
  // for byte the same) on a new port, with fresh statistics. After a client is killed, the
  // old server may still be answering its in-flight requests (added latency) and would count
  // them after any reset; a new server counts only what comes after. Update the config's
  // base_url from config().
  void restart_sandbox();
  SandboxControl& control() { return *control_; }
  // Provider pointed at the sandbox, database in the scratch directory.
  SyncConfig config() const;
  std::filesystem::path database() const { return dir_ / "shop.db"; }
  const ScratchDir& dir() const { return dir_; }

  // `cardsync --config <dir>/<name>.json run --once`, started and left running.
  std::unique_ptr<ChildProcess> start_run(const SyncConfig& config, const std::string& name);
  // `cardsync --config <dir>/<name>.json <args...>`, started and left running, with `env`
  // ("NAME=value" each) set over this process's environment.
  std::unique_ptr<ChildProcess> start_command(const SyncConfig& config, const std::string& name,
                                              const std::vector<std::string>& args,
                                              const std::vector<std::string>& env = {});
  // The same, waited for (bounded: a hung run is killed and reported as a failure).
  ProcessExit run_once(const SyncConfig& config, const std::string& name);
  ProcessExit wait(ChildProcess& child, const std::string& name);

  // Counts and checksum of the database equal the truth.
  void expect_at_truth(const UpstreamTruth& truth);

  static constexpr std::chrono::seconds kRunTimeout{120};

 private:
  ScratchDir dir_;
  sandbox::SandboxOptions sandbox_options_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<SandboxControl> control_;
};

// Lines of `text` that contain `needle`.
std::vector<std::string> lines_containing(const std::string& text, const std::string& needle);

}  // namespace cardsync::integration
