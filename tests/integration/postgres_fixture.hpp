#pragma once
// SyncTest with PostgreSQL storage: each test gets a fresh schema on the throwaway server
// (CARDSYNC_TEST_PG_URL), dropped afterwards. Without a server the test is skipped, unless
// CARDSYNC_REQUIRE_POSTGRES=1 (CI), where that is a failure.

#include "integration/pg_catalog.hpp"
#include "integration/sync_fixture.hpp"

namespace cardsync::integration {

class PostgresSyncTest : public SyncTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  SyncConfig pg_config() const;
  const std::string& url() const { return url_; }
  const std::string& schema() const { return schema_; }
  std::int64_t pg_count(const std::string& sql) const {
    return pg_count_or_zero(url_, schema_, sql);
  }
  void expect_pg_at_truth(const UpstreamTruth& truth);

 private:
  std::string url_, schema_;
};

}  // namespace cardsync::integration
