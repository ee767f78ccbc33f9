#include "integration/postgres_fixture.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace cardsync::integration {

void PostgresSyncTest::SetUp() {
  auto url = test_postgres_url();
  if (!url) {
    if (postgres_required())
      FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but CARDSYNC_TEST_PG_URL is unset";
    GTEST_SKIP()
        << "no test PostgreSQL (scripts/pg-test-server.sh start; export CARDSYNC_TEST_PG_URL)";
  }
  url_ = *url;
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::isalnum(c) != 0 ? std::tolower(c) : '_'; });
  schema_ = "it_" + std::to_string(getpid()) + "_" + name.substr(0, 30);
  PgCatalog(url_, schema_).drop_schema();
}

void PostgresSyncTest::TearDown() {
  if (!url_.empty() && !HasFailure()) {
    try {
      PgCatalog(url_, schema_).drop_schema();
    } catch (const std::runtime_error&) {  // NOLINT(bugprone-empty-catch): best effort
    }
  }
  SyncTest::TearDown();
}

SyncConfig PostgresSyncTest::pg_config() const {
  SyncConfig c = config();
  c.postgres_url = url_;
  c.postgres_schema = schema_;
  return c;
}

void PostgresSyncTest::expect_pg_at_truth(const UpstreamTruth& truth) {
  PgCatalog db(url_, schema_);
  const auto c = db.counts();
  EXPECT_EQ(static_cast<std::uint64_t>(c.games), truth.games);
  EXPECT_EQ(static_cast<std::uint64_t>(c.sets), truth.sets);
  EXPECT_EQ(static_cast<std::uint64_t>(c.cards), truth.cards);
  EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
  EXPECT_EQ(db.checksum(), truth.checksum);
}

}  // namespace cardsync::integration
