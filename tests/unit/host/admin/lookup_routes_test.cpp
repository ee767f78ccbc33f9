// Lookups through a real admin server whose lookup hooks stand in for the lookup service:
// what the cache holds is answered to any viewer; fetching what it does not hold (which
// spends an upstream's quota) needs the operator role or a viewer's budget, runs off the I/O
// threads (so /healthz answers while lookups wait on a slow upstream) and, when the lookup
// threads and their queue are full, is answered 503 at once.
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "admin_test_support.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;

class LookupRoutesTest : public ::testing::Test {
 protected:
  LookupRoutesTest()
      : clock_(false, wall_origin()),
        logger_(clock_, log::Level::error),
        queue_(*db_.storage, clock_) {}

  void start() {
    options_.port = 0;
    options_.auth.hs256_secret = kSecret;
    ASSERT_TRUE(check_admin_options(options_).empty());
    AdminContext ctx(*db_.storage, queue_, clock_, logger_);
    ctx.lookup_catalog = [] {
      plugin::LookupKind item;
      item.name = "item";
      return std::vector<lookup::LookupService::ProviderLookupInfo>{{"svc", {item}}};
    };
    // "cached" is in the cache; every other key must be fetched.
    ctx.lookup_cached = [](std::string_view provider, std::string_view, std::string_view key,
                           std::string_view) -> lookup::CachedLookup {
      if (key != "cached")
        return lookup::LookupMiss{std::string(provider), "item", std::string(key)};
      lookup::LookupAnswer a;
      a.provider = std::string(provider);
      a.kind = "item";
      a.key = "cached";
      a.status = lookup::LookupStatus::fresh;
      return a;
    };
    ctx.lookup_fetch = [this](const lookup::LookupMiss& miss, std::string_view, Clock::SteadyTime) {
      std::unique_lock lock(mu_);
      ++fetches_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !hold_; });
      lookup::LookupAnswer a;
      a.provider = miss.provider;
      a.kind = miss.kind;
      a.key = miss.key;
      a.status = lookup::LookupStatus::fresh;
      a.fetched_now = true;
      return a;
    };
    api_ = std::make_unique<AdminApi>(options_, std::move(ctx));
    server_ = std::make_unique<HttpServer>(options_, *api_);
    server_->start();
  }
  void TearDown() override {
    release();
    if (server_) server_->stop();
  }

  std::string token(const std::string& role, const std::string& subject) {
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grant(jwt, "role", role.c_str());
    jwt_add_grant(jwt, "sub", subject.c_str());
    jwt_add_grant_int(jwt, "exp", epoch_seconds(clock_) + 3600);
    jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(kSecret),
                static_cast<int>(std::string_view(kSecret).size()));
    char* text = jwt_encode_str(jwt);
    std::string out = text;
    free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt 1.10 allocates with malloc
    jwt_free(jwt);
    return out;
  }
  HttpResult get(const std::string& path, const std::string& tok = "") {
    RequestSpec r;
    r.path = path;
    r.token = tok;
    return http(server_->port(), r);
  }
  static std::string code_of(const HttpResult& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    return d.IsObject() && d.HasMember("error") ? d["error"]["code"].GetString() : "";
  }

  void hold() {
    std::lock_guard lock(mu_);
    hold_ = true;
  }
  void release() {
    std::lock_guard lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }
  void wait_fetches(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return fetches_ >= n; });
  }
  int fetches() {
    std::lock_guard lock(mu_);
    return fetches_;
  }

  SqliteStorage db_;
  ManualClock clock_;
  log::Logger logger_;
  queue::JobQueue queue_;
  AdminOptions options_;
  std::unique_ptr<AdminApi> api_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::condition_variable cv_;
  int fetches_ = 0;
  bool hold_ = false;
};

TEST_F(LookupRoutesTest, AViewerGetsCachedAnswersButMayNotFetchByDefault) {
  start();
  const auto viewer = token("viewer", "ana");
  EXPECT_EQ(get("/api/v1/svc/items/cached", viewer).status, 200);
  for (const char* path : {"/api/v1/svc/items/new-1", "/api/v1/lookup/svc/new-2"}) {
    const auto r = get(path, viewer);
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(code_of(r), "forbidden");
    EXPECT_THAT(r.body, HasSubstr("svc item new-"));
    EXPECT_THAT(r.body, HasSubstr("operator role"));
  }
  EXPECT_EQ(fetches(), 0);
  const auto fetched = get("/api/v1/svc/items/new-1", token("operator", "ops"));
  EXPECT_EQ(fetched.status, 200);
  EXPECT_THAT(fetched.body, HasSubstr("\"fetched_now\":true"));
  EXPECT_EQ(fetches(), 1);
}

TEST_F(LookupRoutesTest, AViewersFetchesAreBudgetedPerSubjectAndDay) {
  options_.viewer_fetches_per_day = 2;
  start();
  const auto ana = token("viewer", "ana");
  EXPECT_EQ(get("/api/v1/svc/items/1", ana).status, 200);
  EXPECT_EQ(get("/api/v1/svc/items/2", ana).status, 200);
  const auto spent = get("/api/v1/svc/items/3", ana);
  EXPECT_EQ(spent.status, 429);
  EXPECT_EQ(code_of(spent), "fetch_budget_spent");
  EXPECT_FALSE(spent.header("retry-after").empty());
  EXPECT_EQ(get("/api/v1/svc/items/cached", ana).status, 200);
  EXPECT_EQ(get("/api/v1/svc/items/3", token("viewer", "bob")).status, 200);
  EXPECT_EQ(fetches(), 3);
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(get("/api/v1/svc/items/3", token("viewer", "ana")).status, 200);
}

TEST_F(LookupRoutesTest, HealthzAnswersWhileLookupsWaitOnASlowUpstream) {
  options_.threads = 1;  // one I/O thread: a lookup on it would hold every other request
  options_.lookup_threads = 2;
  start();
  hold();
  const auto op = token("operator", "ops");
  std::vector<std::future<HttpResult>> lookups;
  lookups.reserve(3);
  for (int i = 0; i < 3; ++i) {
    lookups.push_back(std::async(std::launch::async, [this, op, i] {
      return get("/api/v1/svc/items/slow-" + std::to_string(i), op);
    }));
  }
  wait_fetches(2);  // both lookup threads wait on the upstream; the third lookup is queued
  const auto health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(get("/api/v1/svc/items/cached", op).status, 200);
  release();
  for (auto& f : lookups) EXPECT_EQ(f.get().status, 200);
  EXPECT_EQ(fetches(), 3);
}

TEST_F(LookupRoutesTest, WhenTheLookupThreadsAndQueueAreFullALookupIsBusyAndCostsNothing) {
  options_.lookup_threads = 1;
  options_.max_queued_lookups = 0;
  options_.viewer_fetches_per_day = 1;
  start();
  hold();
  auto first = std::async(std::launch::async,
                          [this] { return get("/api/v1/svc/items/a", token("operator", "ops")); });
  wait_fetches(1);
  const auto ana = token("viewer", "ana");
  const auto busy = get("/api/v1/svc/items/b", ana);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(code_of(busy), "busy");
  EXPECT_EQ(busy.header("retry-after"), "1");
  release();
  EXPECT_EQ(first.get().status, 200);
  // The refused lookup spent none of ana's one fetch. (The lookup thread may still be
  // finishing the first one: busy until it is idle again.)
  HttpResult again;
  for (int i = 0; i < 1000 && (i == 0 || again.status == 503); ++i) {
    again = get("/api/v1/svc/items/b", ana);
  }
  EXPECT_EQ(again.status, 200) << again.body;
}

}  // namespace
}  // namespace cardsync::admin::testing
