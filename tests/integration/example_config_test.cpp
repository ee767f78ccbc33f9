// Acceptance (issue 19): a new user copies config/cardsync.example.json, points its upstreams
// at the sandbox through the environment variables it reads, and `cardsync run --once` syncs
// and exits 0. The PSA section there is kept for lookups: it has nothing to plan, and a run
// says so once instead of failing.
#include <gmock/gmock.h>

#include <cstdlib>

#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

using ExampleConfig = SyncTest;

const std::filesystem::path kSource = CARDSYNC_SOURCE_DIR;

// Sets the variables for the children this test starts; unset again when it ends.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
    for (const auto& [name, value] : vars) {
      ::setenv(name, value.c_str(), 1);
      names_.emplace_back(name);
    }
  }
  ~ScopedEnv() {
    for (const auto& n : names_) ::unsetenv(n.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::vector<std::string> names_;
};

TEST_F(ExampleConfig, RunOnceWithTheExampleConfigSyncsAndExitsZero) {
  start_sandbox(sandbox_catalog(19, 1, 2, 30, 3));
  const auto truth = control().truth();
  ASSERT_GT(truth.variants, 0U);
  const auto base = config().base_url.substr(0, config().base_url.size() - 3);  // minus "/v1"
  // The file as shipped, in the directory a user would run it from (its SQLite path and
  // plugin_dirs are relative).
  const auto config_file = dir() / "cardsync.json";
  std::filesystem::copy_file(kSource / "config/cardsync.example.json", config_file);
  ScopedEnv env({{"JUSTTCG_BASE_URL", base + "/v1"},
                 {"JUSTTCG_API_KEY", "tcg_sandbox"},
                 {"PSA_BASE_URL", base + "/publicapi"},
                 {"PSA_TOKEN", "psa_sandbox"}});

  ChildProcess child(CARDSYNC_BINARY, {"--config", config_file.string(), "run", "--once"},
                     dir().path(), "run", dir().path());
  const auto r = wait(child, "run");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  SyncedCatalog db(dir() / "cardsync.db");
  const auto c = db.counts();
  EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
  EXPECT_EQ(db.checksum(), truth.checksum);
  EXPECT_THAT(r.out, HasSubstr("0 failed"));
  // The provider with nothing to plan: one info line naming it, and no call upstream.
  const auto skipped = lines_containing(r.err, "nothing to plan");
  ASSERT_EQ(skipped.size(), 1U) << r.err;
  EXPECT_THAT(skipped.front(), HasSubstr("psa"));
  EXPECT_EQ(control().stats().route_total("GET /publicapi/cert/GetByCertNumber/{cert}"), 0U);
}

// `config check --connect` against live upstreams: the storage and one request per provider
// (JustTCG's first planned job, PSA's lookup example, since it plans nothing), each ok.
TEST_F(ExampleConfig, ConfigCheckConnectReachesEveryProvider) {
  start_sandbox(sandbox_catalog(19, 1, 1, 5, 1));
  const auto base = config().base_url.substr(0, config().base_url.size() - 3);
  const auto config_file = dir() / "cardsync.json";
  std::filesystem::copy_file(kSource / "config/cardsync.example.json", config_file);
  ScopedEnv env({{"JUSTTCG_BASE_URL", base + "/v1"},
                 {"JUSTTCG_API_KEY", "tcg_sandbox"},
                 {"PSA_BASE_URL", base + "/publicapi"},
                 {"PSA_TOKEN", "psa_sandbox"}});
  ChildProcess child(CARDSYNC_BINARY,
                     {"--config", config_file.string(), "config", "check", "--connect"},
                     dir().path(), "check", dir().path());
  const auto r = wait(child, "check");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("storage sqlite: ok"));
  EXPECT_THAT(r.out, HasSubstr("provider justtcg: ok (GET " + base + "/v1/games"));
  EXPECT_THAT(r.out, HasSubstr("provider psa: ok (GET " + base + "/publicapi/cert/"));
  const auto stats = control().stats();
  EXPECT_EQ(stats.route_total("GET /v1/games"), 1U);
  EXPECT_EQ(stats.route_total("GET /publicapi/cert/GetByCertNumber/{cert}"), 1U);
}

}  // namespace
}  // namespace cardsync::integration
