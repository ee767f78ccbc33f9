// The admin API against a real server on a free port: every endpoint, its errors, and the
// security rules (tokens, roles, CORS, limits, traversal, SQL-looking filters).
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "admin_test_support.hpp"
#include "log/memory_sink.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class NoTransport final : public Transport {
 public:
  cardsync::HttpResponse perform(const cardsync::HttpRequest&, const TransportContext&) override {
    return {};
  }
};

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest()
      : clock_(false, wall_origin()),
        logger_(clock_, log::Level::trace),
        queue_(*db_.storage, clock_),
        client_(transport_, clock_, SystemRandom::instance()) {}

  void SetUp() override {
    logger_.add_sink(memory_);
    options_.port = 0;
    options_.auth.hs256_secret = kSecret;
    options_.allowed_origins = {kOrigin};
    options_.max_body_bytes = 1024;
    options_.read_timeout = std::chrono::seconds(1);
    ResilienceOptions psa;
    psa.pacing.daily_quota = 100;
    psa.pacing.requests_per_minute = 60;
    client_.configure("psa", psa);
    start();
  }
  void TearDown() override { stop(); }

  void start() {
    ASSERT_TRUE(check_admin_options(options_).empty());
    AdminContext ctx(*db_.storage, queue_, clock_, logger_);
    ctx.run_stats = &stats_;
    ctx.client = &client_;
    ctx.sink_stats = [] {
      queue::BatchSink::Stats st;
      st.counts.inserted[CS_RECORD_CARD] = 7;
      st.flush_buckets[2] = 3;
      return st;
    };
    ctx.log_drops = [] { return int64_t{4}; };
    ctx.plugins_loaded = [] { return 3; };
    ctx.plan_sync = [this](std::string_view provider,
                           std::string_view spec) -> std::optional<schedule::PlannedSync> {
      if (provider != "justtcg") return std::nullopt;
      last_spec_ = std::string(spec);
      schedule::PlannedSync p;
      if (spec.find("\"bad\"") != std::string_view::npos) {
        p.error = "unknown game";
        return p;
      }
      p.ok = true;
      p.jobs.push_back({"justtcg.games", "all", "", "", {}, 0});
      return p;
    };
    if (with_lookup_hooks_) {
      // One provider with one lookup; the hook stands in for the host's lookup service.
      ctx.lookup_catalog = [] {
        plugin::LookupKind cert;
        cert.name = "cert";
        cert.description = "a cert by its number";
        cert.key_example = "0123-4567";
        return std::vector<lookup::LookupService::ProviderLookupInfo>{{"psa", {cert}}};
      };
      ctx.lookup_cached = [this](std::string_view provider, std::string_view kind,
                                 std::string_view key, std::string_view) -> lookup::CachedLookup {
        {
          std::lock_guard lock(lookups_mu_);
          lookups_.emplace_back(std::string(provider) + "/" + std::string(kind) + "/" +
                                std::string(key));
        }
        if (provider != "psa") {
          return lookup::LookupRefusal{lookup::LookupRefusal::Why::no_such_provider,
                                       "no provider \"" + std::string(provider) + "\""};
        }
        // "777" is a cert number the cache does not hold.
        if (key == "777") return lookup::LookupMiss{"psa", "cert", "777"};
        lookup::LookupAnswer a;
        a.provider = "psa";
        a.kind = "cert";
        a.key = std::string(key);
        a.status = key == "123" ? lookup::LookupStatus::fresh : lookup::LookupStatus::invalid;
        if (a.status == lookup::LookupStatus::invalid) a.message = "not a cert number";
        return a;
      };
      ctx.lookup_fetch = [](const lookup::LookupMiss& miss, std::string_view, Clock::SteadyTime) {
        lookup::LookupAnswer a;
        a.provider = miss.provider;
        a.kind = miss.kind;
        a.key = miss.key;
        a.status = lookup::LookupStatus::fresh;
        a.fetched_now = true;
        return a;
      };
    }
    ctx.log_broadcast = broadcast_;
    logger_.add_sink(broadcast_);
    ctx.records_per_minute = per_minute_;
    ctx.on_new_jobs = [this] { ++nudges_; };
    api_ = std::make_unique<AdminApi>(options_, std::move(ctx));
    server_ = std::make_unique<HttpServer>(options_, *api_);
    server_->start();
    port_ = server_->port();
  }
  void stop() {
    if (server_) server_->stop();
    server_.reset();
    api_.reset();
    logger_.remove_sink(broadcast_);
  }
  void restart() {
    stop();
    start();
  }

  std::string token(const std::string& role = "operator", long exp_in = 3600) {
    return make_token(JWT_ALG_HS256, kSecret, role, epoch_seconds(clock_) + exp_in);
  }
  HttpResult get(const std::string& path, const std::string& tok = "",
                 std::vector<std::string> headers = {}) {
    RequestSpec r;
    r.path = path;
    r.token = tok;
    r.headers = std::move(headers);
    return http(port_, r);
  }
  HttpResult post(const std::string& path, const std::string& body, const std::string& tok,
                  std::vector<std::string> headers = {}) {
    RequestSpec r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.token = tok;
    r.headers = std::move(headers);
    return http(port_, r);
  }
  static rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    EXPECT_FALSE(d.HasParseError()) << text;
    return d;
  }

  // A job that ran once and failed for good.
  int64_t failed_job(const std::string& type, const std::string& key) {
    queue::NewJob j{type, key, R"({"p":1})", "rid-" + key, {}, 1};
    const auto id = queue_.enqueue(j).id;
    auto claimed = queue_.claim(1, {type});
    EXPECT_EQ(claimed.size(), 1u);
    queue_.fail(claimed.front(),
                {"upstream said 500, with \"quotes\", and, commas", 500, "", false});
    return id;
  }

  SqliteStorage db_;
  ManualClock clock_;
  log::Logger logger_;
  queue::JobQueue queue_;
  NoTransport transport_;
  ResilientClient client_;
  pipeline::RunStats stats_;
  std::shared_ptr<LogBroadcast> broadcast_ = std::make_shared<LogBroadcast>();
  std::shared_ptr<log::MemorySink> memory_ = std::make_shared<log::MemorySink>();
  std::shared_ptr<RecordsPerMinute> per_minute_ = std::make_shared<RecordsPerMinute>();
  AdminOptions options_;
  bool with_lookup_hooks_ = true;
  // What the lookup hook was asked, as "provider/kind/key" (the server's threads write it).
  std::vector<std::string> seen_lookups() {
    std::lock_guard lock(lookups_mu_);
    return lookups_;
  }
  std::mutex lookups_mu_;
  std::vector<std::string> lookups_;
  std::unique_ptr<AdminApi> api_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::string last_spec_;
  std::atomic<int> nudges_{0};
};

// --- health, readiness, metrics -----------------------------------------------------------

TEST_F(AdminApiTest, HealthzNeedsNoTokenAndCarriesANewRequestId) {
  auto r = get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_TRUE(log::is_valid_request_id(r.header("x-request-id")));
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_F(AdminApiTest, RequestIdIsTakenFromTheCallerOnlyWhenWellFormed) {
  RequestSpec ok;
  ok.path = "/healthz";
  ok.headers = {"X-Request-Id: abc.DEF_123-x"};
  EXPECT_EQ(http(port_, ok).header("x-request-id"), "abc.DEF_123-x");
  RequestSpec bad = ok;
  bad.headers = {"X-Request-Id: bad id<script>"};
  const auto id = http(port_, bad).header("x-request-id");
  EXPECT_NE(id, "bad id<script>");
  EXPECT_TRUE(log::is_valid_request_id(id));
  RequestSpec too_long = ok;
  too_long.headers = {"X-Request-Id: " + std::string(129, 'a')};
  EXPECT_EQ(http(port_, too_long).header("x-request-id").size(), 16u);
}

TEST_F(AdminApiTest, ReadyzReportsStorageAndPlugins) {
  auto r = get("/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ready","storage":"ok","plugins":3})");
}

TEST_F(AdminApiTest, ReadyzAndMetricsAnswerFromTheCachedCountsForASecond) {
  // Neither needs a token, so a flood of them must not run the grouped count each time.
  EXPECT_EQ(get("/readyz").status, 200);
  EXPECT_THAT(get("/metrics").body, Not(HasSubstr("type=\"svc.items\"")));
  queue_.enqueue(queue::NewJob{"svc.items", "k1", "", "", {}, 0});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(get("/readyz").status, 200);
    EXPECT_THAT(get("/metrics").body, Not(HasSubstr("type=\"svc.items\"")));
  }
  clock_.advance(std::chrono::seconds(1));
  EXPECT_THAT(get("/metrics").body,
              HasSubstr("cardsync_jobs{type=\"svc.items\",state=\"queued\"} 1\n"));
}

TEST_F(AdminApiTest, MetricsArePrometheusTextOfTheHostCounters) {
  queue_.enqueue(queue::NewJob{"justtcg.cards", "k1", "", "", {}, 0});
  stats_.retries_by_service.add({"justtcg"}, 2);
  stats_.http_requests.add("justtcg", 200);
  stats_.http_requests.add("justtcg", 200);
  auto r = get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_jobs{type=\"justtcg.cards\",state=\"queued\"} 1\n"));
  EXPECT_THAT(r.body,
              HasSubstr("cardsync_records_written_total{kind=\"card\",outcome=\"inserted\"} 7\n"));
  EXPECT_THAT(r.body,
              HasSubstr("cardsync_http_requests_total{service=\"justtcg\",status=\"200\"} 2\n"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_http_retries_total{service=\"justtcg\"} 2\n"));
  EXPECT_THAT(r.body,
              HasSubstr("cardsync_http_throttles_total{service=\"psa\",reason=\"throttled\"} 0\n"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_batch_flush_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_batch_flush_duration_seconds_bucket{le=\"0.001\"} 0\n"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_log_dropped_total 4\n"));
  EXPECT_THAT(r.body, HasSubstr("cardsync_queue_lag_seconds "));
}

TEST_F(AdminApiTest, MetricsCanRequireAToken) {
  options_.metrics_require_auth = true;
  restart();
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(get("/metrics", token("viewer")).status, 200);
}

// --- authentication and roles --------------------------------------------------------------

TEST_F(AdminApiTest, EveryApiRouteNeedsAToken) {
  for (const char* path :
       {"/api/v1/queue/stats", "/api/v1/jobs", "/api/v1/jobs/1", "/api/v1/jobs/failed.csv",
        "/api/v1/quarantine", "/api/v1/logs", "/api/v1/breakers", "/api/v1/openapi.json",
        "/api/v1/events", "/api/v1/stats/records-per-minute", "/api/v1/lookup",
        "/api/v1/lookup/psa/123", "/api/v1/psa/certs/123"}) {
    auto r = get(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(parse(r.body)["error"]["code"].GetString(), std::string("unauthorized")) << path;
    EXPECT_EQ(r.header("www-authenticate").rfind("Bearer", 0), 0u);
  }
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "", "").status, 401);
  EXPECT_EQ(post("/api/v1/syncs", R"({"provider":"justtcg"})", "").status, 401);
}

TEST_F(AdminApiTest, ABadSignatureIsRefused) {
  const std::string forged = make_token(JWT_ALG_HS256, "another-secret-0123456789abcdef-xyz",
                                        "operator", epoch_seconds(clock_) + 3600);
  EXPECT_EQ(get("/api/v1/queue/stats", forged).status, 401);
  std::string tampered = token("viewer");
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(get("/api/v1/queue/stats", tampered).status, 401);
  EXPECT_EQ(get("/api/v1/queue/stats", "not.a.jwt").status, 401);
}

TEST_F(AdminApiTest, ExpiryIsEnforcedInVirtualTimeWithTheLeeway) {
  const std::string t = token("viewer", 60);
  EXPECT_EQ(get("/api/v1/queue/stats", t).status, 200);
  clock_.advance(std::chrono::seconds(60 + 29));  // past exp, inside the 30 s leeway
  EXPECT_EQ(get("/api/v1/queue/stats", t).status, 200);
  clock_.advance(std::chrono::seconds(2));
  auto r = get("/api/v1/queue/stats", t);
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(r.body, HasSubstr("expired"));
}

TEST_F(AdminApiTest, NotBeforeIsEnforcedAndATokenWithoutExpiryIsRefused) {
  const long now = epoch_seconds(clock_);
  const auto early = make_token(JWT_ALG_HS256, kSecret, "viewer", now + 3600, now + 120);
  EXPECT_EQ(get("/api/v1/queue/stats", early).status, 401);
  clock_.advance(std::chrono::seconds(100));  // within the leeway of nbf
  EXPECT_EQ(get("/api/v1/queue/stats", early).status, 200);
  EXPECT_EQ(get("/api/v1/queue/stats", make_token(JWT_ALG_HS256, kSecret, "viewer", 0)).status,
            401);
}

TEST_F(AdminApiTest, AlgNoneIsNeverAccepted) {
  const auto none = make_token(JWT_ALG_NONE, "", "operator", epoch_seconds(clock_) + 3600);
  ASSERT_FALSE(none.empty());
  EXPECT_EQ(get("/api/v1/queue/stats", none).status, 401);
  // The same with the signature part of a real token glued on.
  const auto real = token("operator");
  EXPECT_EQ(get("/api/v1/queue/stats", none + real.substr(real.rfind('.') + 1)).status, 401);
}

TEST_F(AdminApiTest, ATokenWithoutAKnownRoleIsRefused) {
  EXPECT_EQ(get("/api/v1/queue/stats", token("admin")).status, 401);
  EXPECT_EQ(get("/api/v1/queue/stats", token("")).status, 401);
}

TEST_F(AdminApiTest, AViewerReadsButCannotRetryOrEnqueue) {
  const auto id = failed_job("justtcg.cards", "a");
  const auto viewer = token("viewer");
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(id), viewer).status, 200);
  auto r = post("/api/v1/jobs/" + std::to_string(id) + "/retry", "", viewer);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(parse(r.body)["error"]["code"].GetString(), std::string("forbidden"));
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "", viewer).status, 403);
  EXPECT_EQ(post("/api/v1/syncs", R"({"provider":"justtcg"})", viewer).status, 403);
  EXPECT_EQ(queue_.find(id)->state, sdk::JobState::failed);
}

class AdminRs256Test : public AdminApiTest {
 protected:
  void SetUp() override {
    logger_.add_sink(memory_);
    key_dir_ = db_.dir;
    const auto priv = key_dir_ / "private.pem";
    const auto pub = key_dir_ / "public.pem";
    const std::string cmd = "openssl genrsa -out " + priv.string() +
                            " 2048 2>/dev/null && openssl rsa -in " + priv.string() +
                            " -pubout -out " + pub.string() + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    private_pem_ = read(priv);
    public_pem_ = read(pub);
    options_.port = 0;
    options_.auth.algorithm = JwtAlgorithm::rs256;
    options_.auth.rs256_public_key_file = pub.string();
    start();
  }
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path key_dir_;
  std::string private_pem_, public_pem_;
};

TEST_F(AdminRs256Test, Rs256TokensAreVerifiedWithThePublicKey) {
  const auto t = make_token(JWT_ALG_RS256, private_pem_, "viewer", epoch_seconds(clock_) + 3600);
  EXPECT_EQ(get("/api/v1/queue/stats", t).status, 200);
}

TEST_F(AdminRs256Test, AnHs256TokenSignedWithThePublicKeyIsRefused) {
  // The classic confusion: the public key is public, so an HS256 token "signed" with its text
  // must not pass as RS256.
  const auto forged =
      make_token(JWT_ALG_HS256, public_pem_, "operator", epoch_seconds(clock_) + 3600);
  auto r = get("/api/v1/queue/stats", forged);
  EXPECT_EQ(r.status, 401);
  const auto hs = make_token(JWT_ALG_HS256, kSecret, "operator", epoch_seconds(clock_) + 3600);
  EXPECT_EQ(get("/api/v1/queue/stats", hs).status, 401);
}

// --- CORS ---------------------------------------------------------------------------------

TEST_F(AdminApiTest, AListedOriginIsEchoedWithVary) {
  RequestSpec r;
  r.path = "/api/v1/queue/stats";
  r.token = token("viewer");
  r.headers = {std::string("Origin: ") + kOrigin};
  auto res = http(port_, r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("access-control-allow-origin"), kOrigin);
  EXPECT_EQ(res.header("vary"), "Origin");
  EXPECT_EQ(res.header("access-control-allow-credentials"), "true");
}

TEST_F(AdminApiTest, ADisallowedOriginGetsNoCorsHeaders) {
  RequestSpec r;
  r.path = "/api/v1/queue/stats";
  r.token = token("viewer");
  r.headers = {"Origin: https://evil.example"};
  auto res = http(port_, r);
  EXPECT_FALSE(res.has("access-control-allow-origin"));
  EXPECT_FALSE(res.has("access-control-allow-credentials"));
  RequestSpec pre;
  pre.method = "OPTIONS";
  pre.path = "/api/v1/jobs/retry-failed";
  pre.headers = {"Origin: https://evil.example", "Access-Control-Request-Method: POST"};
  auto p = http(port_, pre);
  EXPECT_FALSE(p.has("access-control-allow-origin"));
  EXPECT_FALSE(p.has("access-control-allow-methods"));
}

TEST_F(AdminApiTest, APreflightFromAListedOriginIsAnswered) {
  RequestSpec pre;
  pre.method = "OPTIONS";
  pre.path = "/api/v1/jobs/retry-failed";
  pre.headers = {std::string("Origin: ") + kOrigin, "Access-Control-Request-Method: POST",
                 "Access-Control-Request-Headers: authorization, content-type"};
  auto p = http(port_, pre);
  EXPECT_EQ(p.status, 204);
  EXPECT_EQ(p.header("access-control-allow-origin"), kOrigin);
  EXPECT_THAT(p.header("access-control-allow-methods"), HasSubstr("POST"));
  EXPECT_THAT(p.header("access-control-allow-headers"), HasSubstr("Authorization"));
  EXPECT_EQ(p.header("access-control-max-age"), "600");
}

TEST_F(AdminApiTest, AWildcardInTheAllowListIsNeverHonoured) {
  options_.allowed_origins = {"*"};
  restart();
  RequestSpec r;
  r.path = "/healthz";
  r.headers = {"Origin: https://any.example"};
  EXPECT_FALSE(http(port_, r).has("access-control-allow-origin"));
}

// --- limits and hostile input --------------------------------------------------------------

TEST_F(AdminApiTest, AnOversizedBodyIs413) {
  auto r = post("/api/v1/syncs", std::string(4096, ' '), token());
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(parse(r.body)["error"]["code"].GetString(), std::string("payload_too_large"));
  EXPECT_TRUE(r.has("x-request-id"));
}

TEST_F(AdminApiTest, OversizedHeadersAre431) {
  RequestSpec r;
  r.path = "/healthz";
  r.headers = {"X-Padding: " + std::string(options_.max_header_bytes + 10, 'a')};
  EXPECT_EQ(http(port_, r).status, 431);
}

TEST_F(AdminApiTest, PathTraversalStringsAre404) {
  for (const char* path :
       {"/../etc/passwd", "/assets/../../x", "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd", "/assets/",
        "/assets//etc/passwd", "/assets/index.html/../../../etc/passwd", "/etc/passwd",
        "/api/v1/../../etc/passwd"}) {
    auto r = get(path, token("viewer"));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_THAT(r.body, Not(HasSubstr("root:")));
  }
}

TEST_F(AdminApiTest, SqlLookingFiltersAreData) {
  failed_job("justtcg.cards", "x");
  const auto t = token("viewer");
  for (const char* q : {"/api/v1/jobs?type=%27%20OR%201%3D1%20--",
                        "/api/v1/jobs?type=justtcg.cards%27%3B%20DROP%20TABLE%20jobs%3B--",
                        "/api/v1/quarantine?source=%27%20OR%20%271%27%3D%271",
                        "/api/v1/logs?request_id=x%27%20OR%201%3D1--",
                        "/api/v1/jobs/failed.csv?type=%27%20OR%201%3D1--"}) {
    auto r = get(q, t);
    EXPECT_EQ(r.status, 200) << q;
    EXPECT_THAT(r.body, Not(HasSubstr("justtcg.cards,x"))) << q;
    if (r.header("content-type") == "application/json") {
      auto d = parse(r.body);
      for (const char* list : {"jobs", "items", "logs"}) {
        if (d.HasMember(list)) {
          EXPECT_EQ(d[list].Size(), 0u) << q;
        }
      }
    }
  }
  // The table is still there and still holds the job.
  EXPECT_EQ(parse(get("/api/v1/jobs?state=failed", t).body)["jobs"].Size(), 1u);
}

TEST_F(AdminApiTest, UnknownRoutesAre404AndWrongMethods405) {
  const auto t = token();
  EXPECT_EQ(get("/nope").status, 404);
  EXPECT_EQ(get("/api/v1/nope", t).status, 404);
  EXPECT_EQ(get("/api/v1/jobs/abc", t).status, 404);
  EXPECT_EQ(get("/api/v1/jobs/-1", t).status, 404);
  auto r = post("/api/v1/queue/stats", "{}", t);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET");
  EXPECT_EQ(get("/api/v1/syncs", t).status, 405);
  EXPECT_EQ(post("/healthz", "", "").status, 405);
}

TEST_F(AdminApiTest, AMalformedQueryStringIs400) {
  EXPECT_EQ(get("/api/v1/jobs?type=%zz", token()).status, 400);
}

// --- queue --------------------------------------------------------------------------------

TEST_F(AdminApiTest, QueueStatsCountByStateAndType) {
  failed_job("psa.cert", "2");
  queue_.enqueue(queue::NewJob{"justtcg.cards", "a", "", "", {}, 0});
  queue_.enqueue(queue::NewJob{"justtcg.cards", "b", "", "", {}, 0});
  queue_.enqueue(queue::NewJob{"psa.cert", "1", "", "", {}, 0});
  clock_.advance(std::chrono::seconds(10));
  auto d = parse(get("/api/v1/queue/stats", token("viewer")).body);
  EXPECT_EQ(d["totals"]["queued"].GetInt64(), 3);
  EXPECT_EQ(d["totals"]["failed"].GetInt64(), 1);
  EXPECT_EQ(d["totals"]["done"].GetInt64(), 0);
  ASSERT_EQ(d["by_type"].Size(), 2u);
  EXPECT_EQ(d["by_type"][0]["type"].GetString(), std::string("justtcg.cards"));
  EXPECT_EQ(d["by_type"][0]["queued"].GetInt64(), 2);
  EXPECT_TRUE(d["by_type"][0]["next_run_at"].IsString());
  EXPECT_EQ(d["by_type"][1]["failed"].GetInt64(), 1);
  EXPECT_GE(d["lag_seconds"].GetDouble(), 9.9);
  // Within a second the same figures are served from memory; after it they are read again.
  queue_.enqueue(queue::NewJob{"psa.cert", "new", "", "", {}, 0});
  EXPECT_EQ(parse(get("/api/v1/queue/stats", token("viewer")).body)["totals"]["queued"].GetInt64(),
            3);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(parse(get("/api/v1/queue/stats", token("viewer")).body)["totals"]["queued"].GetInt64(),
            4);
}

TEST_F(AdminApiTest, JobsArePagedAndFilteredByState) {
  for (int i = 0; i < 5; ++i) {
    queue_.enqueue(queue::NewJob{"justtcg.cards", "k" + std::to_string(i), "", "", {}, 0});
  }
  const auto failed = failed_job("psa.cert", "9");
  const auto t = token("viewer");
  auto page1 = parse(get("/api/v1/jobs?state=queued&limit=2", t).body);
  ASSERT_EQ(page1["jobs"].Size(), 2u);
  const auto next = page1["next_after_id"].GetInt64();
  auto page2 =
      parse(get("/api/v1/jobs?state=queued&limit=2&after_id=" + std::to_string(next), t).body);
  EXPECT_EQ(page2["jobs"].Size(), 2u);
  EXPECT_GT(page2["jobs"][0]["id"].GetInt64(), next);
  auto page3 = parse(get("/api/v1/jobs?state=queued&limit=2&after_id=" +
                             std::to_string(page2["next_after_id"].GetInt64()),
                         t)
                         .body);
  EXPECT_EQ(page3["jobs"].Size(), 1u);
  EXPECT_TRUE(page3["next_after_id"].IsNull());
  auto f = parse(get("/api/v1/jobs?state=failed", t).body);
  ASSERT_EQ(f["jobs"].Size(), 1u);
  const auto& job = f["jobs"][0];
  EXPECT_EQ(job["id"].GetInt64(), failed);
  EXPECT_EQ(job["state"].GetString(), std::string("failed"));
  EXPECT_EQ(job["request_id"].GetString(), std::string("rid-9"));
  EXPECT_EQ(job["last_error"]["http_status"].GetInt(), 500);
  EXPECT_THAT(job["last_error"]["message"].GetString(), HasSubstr("upstream said 500"));
  auto typed = parse(get("/api/v1/jobs?type=psa.cert", t).body);
  EXPECT_EQ(typed["jobs"].Size(), 1u);
  EXPECT_EQ(get("/api/v1/jobs?state=bogus", t).status, 400);
  EXPECT_EQ(get("/api/v1/jobs?limit=0", t).status, 400);
  EXPECT_EQ(get("/api/v1/jobs?after_id=x", t).status, 400);
}

TEST_F(AdminApiTest, OneJobWithItsErrorHistory) {
  const auto id = failed_job("psa.cert", "5");
  auto r = get("/api/v1/jobs/" + std::to_string(id), token("viewer"));
  ASSERT_EQ(r.status, 200);
  auto d = parse(r.body);
  EXPECT_EQ(d["key"].GetString(), std::string("5"));
  ASSERT_EQ(d["errors"].Size(), 1u);
  EXPECT_EQ(d["errors"][0]["attempt"].GetInt(), 1);
  EXPECT_EQ(d["errors"][0]["http_status"].GetInt(), 500);
  auto missing = get("/api/v1/jobs/99999", token("viewer"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(parse(missing.body)["error"]["code"].GetString(), std::string("not_found"));
  EXPECT_EQ(parse(missing.body)["error"]["request_id"].GetString(), missing.header("x-request-id"));
}

TEST_F(AdminApiTest, RetryingOneFailedJob) {
  const auto id = failed_job("psa.cert", "7");
  const auto t = token("operator");
  auto r = post("/api/v1/jobs/" + std::to_string(id) + "/retry", "", t);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"requeued":1,"skipped":0})");
  EXPECT_EQ(queue_.find(id)->state, sdk::JobState::queued);
  EXPECT_EQ(nudges_.load(), 1);
  auto again = post("/api/v1/jobs/" + std::to_string(id) + "/retry", "", t);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(parse(again.body)["error"]["code"].GetString(), std::string("not_failed"));
  EXPECT_EQ(post("/api/v1/jobs/424242/retry", "", t).status, 404);
}

TEST_F(AdminApiTest, RetryingAllFailedOptionallyByType) {
  failed_job("psa.cert", "1");
  failed_job("psa.cert", "2");
  const auto other = failed_job("justtcg.cards", "3");
  const auto t = token("operator");
  auto r = post("/api/v1/jobs/retry-failed", R"({"type":"psa.cert"})", t);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"requeued":2,"skipped":0})");
  EXPECT_EQ(queue_.find(other)->state, sdk::JobState::failed);
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "", t).body, R"({"requeued":1,"skipped":0})");
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "[1]", t).status, 422);
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", R"({"type":3})", t).status, 422);
  EXPECT_EQ(
      post("/api/v1/jobs/retry-failed", R"({"type":"a"})", t, {"Content-Type: text/plain"}).status,
      415);
}

TEST_F(AdminApiTest, FailedJobsAsCsv) {
  failed_job("psa.cert", "1");
  auto r = get("/api/v1/jobs/failed.csv", token("viewer"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_THAT(r.header("content-disposition"), HasSubstr("attachment"));
  std::istringstream in(r.body);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header.rfind("id,type,key,attempts,max_attempts,", 0), 0u);
  EXPECT_THAT(row, HasSubstr(",psa.cert,1,1,1,"));
  EXPECT_THAT(row, HasSubstr("\"upstream said 500, with \"\"quotes\"\", and, commas\""));
}

// --- quarantine and logs ------------------------------------------------------------------

TEST_F(AdminApiTest, QuarantineNewestFirstWithPagingFiltersAndCsv) {
  sdk::WriteBatch b;
  b.now_ms = queue_.now_ms();
  for (int i = 0; i < 3; ++i) {
    b.quarantine.push_back(sdk::QuarantineItem{b.now_ms + i, i == 2 ? "psa" : "justtcg",
                                               "justtcg.cards", "k", "missing field, \"id\"",
                                               "/data/0", R"({"x":1})", "rid"});
  }
  db_.storage->write_batch(b);
  const auto t = token("viewer");
  auto d = parse(get("/api/v1/quarantine?limit=2", t).body);
  ASSERT_EQ(d["items"].Size(), 2u);
  EXPECT_GT(d["items"][0]["id"].GetInt64(), d["items"][1]["id"].GetInt64());
  EXPECT_EQ(d["items"][0]["source"].GetString(), std::string("psa"));
  EXPECT_EQ(d["items"][0]["raw_item"].GetString(), std::string(R"({"x":1})"));
  const auto before = d["next_before_id"].GetInt64();
  auto d2 = parse(get("/api/v1/quarantine?limit=2&before_id=" + std::to_string(before), t).body);
  EXPECT_EQ(d2["items"].Size(), 1u);
  EXPECT_TRUE(d2["next_before_id"].IsNull());
  EXPECT_EQ(parse(get("/api/v1/quarantine?source=psa", t).body)["items"].Size(), 1u);
  EXPECT_EQ(get("/api/v1/quarantine?limit=x", t).status, 400);
  auto csv = get("/api/v1/quarantine.csv", t);
  EXPECT_EQ(csv.status, 200);
  EXPECT_THAT(csv.header("content-disposition"), HasSubstr("quarantine.csv"));
  EXPECT_EQ(
      csv.body.rfind("id,at,source,job_type,job_key,reason,json_path,request_id,raw_item\r\n", 0),
      0u);
  EXPECT_THAT(csv.body, HasSubstr("\"missing field, \"\"id\"\"\""));
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 4);
}

TEST_F(AdminApiTest, LogsByLevelRequestIdAndJob) {
  std::vector<sdk::LogRow> rows;
  const int64_t now = queue_.now_ms();
  rows.push_back({0, CS_LOG_INFO, now, "r1", "job started", R"({"job_id":11})"});
  rows.push_back({0, CS_LOG_WARN, now, "r1", "job slow", R"({"job_id":12})"});
  rows.push_back({0, CS_LOG_ERROR, now, "r2", "job failed", R"({"job_id":11,"status":500})"});
  rows.push_back({0, CS_LOG_DEBUG, now, "r3", "noise", "{}"});
  db_.storage->append_logs(rows);
  const auto t = token("viewer");
  auto all = parse(get("/api/v1/logs?level=debug", t).body);
  ASSERT_EQ(all["logs"].Size(), 4u);
  EXPECT_EQ(all["logs"][3]["msg"].GetString(), std::string("noise"));
  EXPECT_EQ(all["logs"][2]["fields"]["status"].GetInt(), 500);
  EXPECT_EQ(all["logs"][2]["level"].GetString(), std::string("error"));
  EXPECT_EQ(parse(get("/api/v1/logs?level=warn", t).body)["logs"].Size(), 2u);
  EXPECT_EQ(parse(get("/api/v1/logs?request_id=r1", t).body)["logs"].Size(), 2u);
  auto by_job = parse(get("/api/v1/logs?job_id=11", t).body);
  ASSERT_EQ(by_job["logs"].Size(), 2u);
  EXPECT_EQ(by_job["logs"][1]["msg"].GetString(), std::string("job failed"));
  // The newest `limit` lines, and a cursor to follow from.
  auto last = parse(get("/api/v1/logs?level=trace&limit=1", t).body);
  ASSERT_EQ(last["logs"].Size(), 1u);
  EXPECT_EQ(last["logs"][0]["msg"].GetString(), std::string("noise"));
  const auto first_id = all["logs"][0]["id"].GetInt64();
  auto after = parse(get("/api/v1/logs?level=trace&after_id=" + std::to_string(first_id), t).body);
  EXPECT_EQ(after["logs"].Size(), 3u);
  EXPECT_EQ(get("/api/v1/logs?level=loud", t).status, 400);
  EXPECT_EQ(get("/api/v1/logs?job_id=0", t).status, 400);
}

// --- breakers, syncs, certs, stats --------------------------------------------------------

TEST_F(AdminApiTest, BreakersWithPacingAndQuota) {
  auto d = parse(get("/api/v1/breakers", token("viewer")).body);
  ASSERT_EQ(d["services"].Size(), 1u);
  const auto& s = d["services"][0];
  EXPECT_EQ(s["service"].GetString(), std::string("psa"));
  EXPECT_EQ(s["state"].GetString(), std::string("closed"));
  EXPECT_EQ(s["failure_rate"].GetDouble(), 0.0);
  EXPECT_EQ(s["open_remaining_seconds"].GetDouble(), 0.0);
  EXPECT_EQ(s["pacing"]["requests_per_minute"].GetDouble(), 60.0);
  EXPECT_EQ(s["quota"]["daily_limit"].GetInt64(), 100);
  EXPECT_TRUE(s["quota"]["resets_at"].IsString());
}

TEST_F(AdminApiTest, EnqueueASyncCarriesTheRequestIdIntoTheJobs) {
  RequestSpec r;
  r.method = "POST";
  r.path = "/api/v1/syncs";
  r.body = R"({"provider":"justtcg","spec":{"games":["mtg"]}})";
  r.token = token("operator");
  r.headers = {"Content-Type: application/json", "X-Request-Id: sync-req-1"};
  auto res = http(port_, r);
  ASSERT_EQ(res.status, 202) << res.body;
  auto d = parse(res.body);
  EXPECT_EQ(d["request_id"].GetString(), std::string("sync-req-1"));
  ASSERT_EQ(d["jobs"].Size(), 1u);
  EXPECT_FALSE(d["jobs"][0]["duplicate"].GetBool());
  EXPECT_EQ(last_spec_, R"({"games":["mtg"]})");
  const auto job = queue_.find(d["jobs"][0]["id"].GetInt64());
  ASSERT_TRUE(job);
  EXPECT_EQ(job->request_id, "sync-req-1");
  // A second enqueue while the first is queued is deduplicated.
  auto again = parse(post("/api/v1/syncs", R"({"provider":"justtcg"})", token()).body);
  EXPECT_TRUE(again["jobs"][0]["duplicate"].GetBool());
  // The line it logged carries the same id.
  bool logged = false;
  for (const auto& rec : memory_->records()) {
    logged = logged || (rec.request_id == "sync-req-1" &&
                        rec.message == "sync enqueued through the admin API");
  }
  EXPECT_TRUE(logged);
}

TEST_F(AdminApiTest, EnqueueValidatesTheBody) {
  const auto t = token("operator");
  for (const char* body :
       {"", "nope", "[]", R"({"spec":{}})", R"({"provider":""})",
        R"({"provider":"justtcg","spec":"x"})", R"({"provider":"justtcg","extra":1})",
        R"({"provider":"nobody"})", R"({"provider":"justtcg","spec":{"bad":1}})"}) {
    auto r = post("/api/v1/syncs", body, t);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_EQ(parse(r.body)["error"]["code"].GetString(), std::string("invalid_body")) << body;
  }
  EXPECT_EQ(
      post("/api/v1/syncs", R"({"provider":"justtcg"})", t, {"Content-Type: text/plain"}).status,
      415);
}

// What a page on another site can make a browser send: no preflight is needed for a POST
// without a type, of a form type, or from its own origin; none of them reaches a route.
TEST_F(AdminApiTest, CrossSitePostsAreRefusedBeforeAnyRoute) {
  const auto t = token("operator");
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "", t, {"Content-Type:"}).status, 415);
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "a=b", t,
                 {"Content-Type: application/x-www-form-urlencoded"})
                .status,
            415);
  const auto foreign = post("/api/v1/jobs/retry-failed", "{}", t, {"Origin: https://evil.example"});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(parse(foreign.body)["error"]["code"].GetString(), std::string("origin_not_allowed"));
  EXPECT_EQ(post("/api/v1/jobs/retry-failed", "{}", t,
                 {"Origin: http://127.0.0.1:" + std::to_string(port_)})
                .status,
            200)
      << "the monitor page, same-origin";
  const auto rebound = get("/api/v1/queue/stats", t, {"Host: rebound.evil.example"});
  EXPECT_EQ(rebound.status, 421);
}

TEST_F(AdminApiTest, LookupGoesThroughTheHook) {
  const auto t = token("viewer");
  auto ok = get("/api/v1/lookup/psa/123?kind=cert", t);
  EXPECT_EQ(ok.status, 200);
  auto d = parse(ok.body);
  EXPECT_STREQ(d["provider"].GetString(), "psa");
  EXPECT_STREQ(d["key"].GetString(), "123");
  EXPECT_STREQ(d["status"].GetString(), "fresh");
  auto bad = get("/api/v1/lookup/psa/abc", t);
  EXPECT_EQ(bad.status, 400);
  EXPECT_STREQ(parse(bad.body)["error"]["code"].GetString(), "invalid_key");
  EXPECT_EQ(get("/api/v1/lookup/psa/1/2", t).status, 404);
  auto refused = get("/api/v1/lookup/nosuch/1", t);
  EXPECT_EQ(refused.status, 404);
  EXPECT_STREQ(parse(refused.body)["error"]["code"].GetString(), "no_such_provider");
  // A percent-encoded key reaches the hook decoded; the kind comes from the query.
  EXPECT_EQ(get("/api/v1/lookup/psa/12%203", t).status, 400);
  EXPECT_THAT(seen_lookups(), ::testing::Contains("psa/cert/123"));
  EXPECT_THAT(seen_lookups(), ::testing::Contains("psa//12 3"));
}

TEST_F(AdminApiTest, EachLookupIsAlsoServedUnderItsProvidersName) {
  const auto t = token("viewer");
  auto ok = get("/api/v1/psa/certs/123", t);
  EXPECT_EQ(ok.status, 200);
  EXPECT_STREQ(parse(ok.body)["status"].GetString(), "fresh");
  EXPECT_EQ(get("/api/v1/psa/certs/abc", t).status, 400);
  EXPECT_EQ(get("/api/v1/psa/certs/1/2", t).status, 404);
  EXPECT_THAT(seen_lookups(), ::testing::Contains("psa/cert/123"));
  // Only declared lookups get such a route.
  EXPECT_EQ(get("/api/v1/psa/cards/123", t).status, 404);
}

TEST_F(AdminApiTest, LookupCatalogListsTheProvidersWithLookups) {
  auto d = parse(get("/api/v1/lookup", token("viewer")).body);
  ASSERT_EQ(d["providers"].Size(), 1u);
  EXPECT_STREQ(d["providers"][0]["provider"].GetString(), "psa");
  EXPECT_STREQ(d["providers"][0]["lookups"][0]["kind"].GetString(), "cert");
  EXPECT_STREQ(d["providers"][0]["lookups"][0]["key_example"].GetString(), "0123-4567");
}

TEST_F(AdminApiTest, LookupWithoutTheServiceIs503) {
  with_lookup_hooks_ = false;
  restart();
  auto r = get("/api/v1/lookup/psa/123", token("viewer"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(parse(r.body)["error"]["code"].GetString(), std::string("unavailable"));
  EXPECT_EQ(parse(get("/api/v1/lookup", token("viewer")).body)["providers"].Size(), 0u);
}

TEST_F(AdminApiTest, RecordsPerMinuteOldestFirstWithZeros) {
  per_minute_->sample(clock_.wall(), 0);
  per_minute_->sample(clock_.wall(), 40);
  clock_.advance(std::chrono::minutes(2));
  per_minute_->sample(clock_.wall(), 45);
  auto d = parse(get("/api/v1/stats/records-per-minute?minutes=5", token("viewer")).body);
  ASSERT_EQ(d["minutes"].Size(), 5u);
  EXPECT_EQ(d["minutes"][2]["records"].GetInt64(), 40);
  EXPECT_EQ(d["minutes"][3]["records"].GetInt64(), 0);
  EXPECT_EQ(d["minutes"][4]["records"].GetInt64(), 5);
  EXPECT_LT(std::string(d["minutes"][0]["at"].GetString()),
            std::string(d["minutes"][4]["at"].GetString()));
  EXPECT_EQ(parse(get("/api/v1/stats/records-per-minute", token("viewer")).body)["minutes"].Size(),
            60u);
  EXPECT_EQ(get("/api/v1/stats/records-per-minute?minutes=0", token("viewer")).status, 400);
}

TEST_F(AdminApiTest, OpenApiDocumentListsEveryRoute) {
  auto r = get("/api/v1/openapi.json", token("viewer"));
  ASSERT_EQ(r.status, 200);
  auto d = parse(r.body);
  EXPECT_EQ(std::string(d["openapi"].GetString()).rfind("3.", 0), 0u);
  for (const char* p :
       {"/healthz", "/readyz", "/metrics", "/api/v1/queue/stats", "/api/v1/jobs",
        "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/retry-failed",
        "/api/v1/jobs/failed.csv", "/api/v1/quarantine", "/api/v1/quarantine.csv", "/api/v1/logs",
        "/api/v1/breakers", "/api/v1/syncs", "/api/v1/lookup", "/api/v1/lookup/{provider}/{key}",
        "/api/v1/stats/records-per-minute", "/api/v1/events", "/api/v1/openapi.json"}) {
    EXPECT_TRUE(d["paths"].HasMember(p)) << p;
  }
}

// --- the page -----------------------------------------------------------------------------

TEST_F(AdminApiTest, ThePageAndItsAssetsAreServedFromTheBinary) {
  auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(index.has("content-security-policy"));
  for (const auto& a : all_assets()) {
    auto r = get("/assets/" + std::string(a.name));
    EXPECT_EQ(r.status, 200) << a.name;
    EXPECT_EQ(r.body.size(), a.content.size()) << a.name;
    EXPECT_EQ(r.header("content-type"), std::string(a.content_type)) << a.name;
  }
  EXPECT_EQ(get("/assets/nope.js").status, 404);
}

}  // namespace
}  // namespace cardsync::admin::testing
