#include "integration/sync_fixture.hpp"

#include <csignal>
#include <cstdlib>
#include <sstream>

namespace cardsync::integration {
namespace {

std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "cardsync-integration";
  std::string name = std::string("cardsync-") + info->test_suite_name() + "-" + info->name();
  // Parameterised tests are named "Prefix/Suite.Test/param": one directory level, please.
  for (char& c : name) {
    if (c == '/') c = '-';
  }
  return name;
}

}  // namespace

sandbox::SandboxOptions sandbox_catalog(std::uint64_t seed, std::uint32_t games,
                                        std::uint32_t sets_per_game, std::uint32_t cards_per_set,
                                        std::uint32_t variants_per_card, double invalid_rate) {
  sandbox::SandboxOptions o;
  o.catalog.seed = seed;
  o.catalog.games = games;
  o.catalog.sets_per_game = sets_per_game;
  o.catalog.cards_per_set = cards_per_set;
  o.catalog.variants_per_card = variants_per_card;
  o.catalog.invalid_rate = invalid_rate;
  return o;
}

SyncTest::SyncTest() : dir_(test_name()) {}

SyncTest::~SyncTest() {
  if (sandbox_) sandbox_->stop();
}

void SyncTest::TearDown() {
  // CARDSYNC_KEEP_TEST_DIRS=1 keeps passing tests' directories too (configs, logs, database).
  if (HasFailure() || std::getenv("CARDSYNC_KEEP_TEST_DIRS") != nullptr) {
    dir_.keep();
    std::cerr << "kept for inspection: " << dir_.path() << "\n";
  }
}

void SyncTest::start_sandbox(sandbox::SandboxOptions options) {
  options.port = 0;
  sandbox_options_ = options;
  sandbox_ = std::make_unique<sandbox::Sandbox>(std::move(options));
  sandbox_->start();
  control_ = std::make_unique<SandboxControl>(sandbox_->base_url());
}

void SyncTest::restart_sandbox() {
  sandbox_->stop();
  sandbox_.reset();
  start_sandbox(sandbox_options_);
}

SyncConfig SyncTest::config() const {
  SyncConfig c;
  c.base_url = sandbox_->base_url() + "/v1";
  c.database = database();
  return c;
}

std::unique_ptr<ChildProcess> SyncTest::start_run(const SyncConfig& config,
                                                  const std::string& name) {
  return start_command(config, name, {"run", "--once"});
}

std::unique_ptr<ChildProcess> SyncTest::start_command(const SyncConfig& config,
                                                      const std::string& name,
                                                      const std::vector<std::string>& args,
                                                      const std::vector<std::string>& env) {
  const auto path = dir_ / (name + ".json");
  config.write(path);
  std::vector<std::string> argv{"--config", path.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<ChildProcess>(CARDSYNC_BINARY, argv, dir_.path(), name,
                                        std::filesystem::path{}, env);
}

ProcessExit SyncTest::wait(ChildProcess& child, const std::string& name) {
  if (auto done = child.wait_for(kRunTimeout)) return *done;
  ADD_FAILURE() << name << ": cardsync run --once did not finish within " << kRunTimeout.count()
                << " s; killed. Last stderr:\n"
                << child.err_so_far();
  child.kill(SIGKILL);
  auto killed = child.wait_for(std::chrono::seconds(10));
  return killed ? *killed : ProcessExit{};
}

ProcessExit SyncTest::run_once(const SyncConfig& config, const std::string& name) {
  auto child = start_run(config, name);
  return wait(*child, name);
}

void SyncTest::expect_at_truth(const UpstreamTruth& truth) {
  SyncedCatalog db(database());
  const auto c = db.counts();
  EXPECT_EQ(static_cast<std::uint64_t>(c.games), truth.games);
  EXPECT_EQ(static_cast<std::uint64_t>(c.sets), truth.sets);
  EXPECT_EQ(static_cast<std::uint64_t>(c.cards), truth.cards);
  EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
  EXPECT_EQ(db.checksum(), truth.checksum);
}

std::vector<std::string> lines_containing(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

}  // namespace cardsync::integration
