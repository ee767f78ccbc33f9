// Real sockets: the curl client against a local Beast server on 127.0.0.1.

#include "http/curl_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/user_agent.hpp"
#include "local_http_server.hpp"

namespace cardsync {
namespace {

using namespace std::chrono_literals;
using testing::LocalHttpServer;

HttpRequest get(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  return r;
}

TransportContext context(std::string_view service = "svc") {
  TransportContext c;
  c.service = service;
  c.request_id = "req-42";
  return c;
}

// Waits (in real time, bounded) for a condition another thread brings about.
template <typename Pred>
bool eventually(Pred pred) {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class CurlClientTest : public ::testing::Test {
 protected:
  LocalHttpServer server;
  CurlClient client;
};

TEST_F(CurlClientTest, SequentialRequestsReuseOneConnection) {
  for (int i = 0; i < 50; ++i) {
    const HttpResponse r = client.perform(get(server.url("/ok")), context());
    ASSERT_EQ(r.error, TransportError::none) << r.error_message;
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.body, "ok");
  }
  EXPECT_EQ(server.requests_received(), 50);
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST_F(CurlClientTest, EveryRequestCarriesRequestIdUserAgentAndAcceptEncoding) {
  HttpRequest r = get(server.url("/echo"));
  r.headers.add("x-api-key", "tcg_secret");
  r.headers.add("User-Agent", "impostor/1.0");
  const HttpResponse res = client.perform(r, context());
  ASSERT_EQ(res.status, 200) << res.error_message;
  EXPECT_NE(res.body.find("X-Request-Id: req-42"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("User-Agent: " + std::string(user_agent())), std::string::npos);
  EXPECT_EQ(res.body.find("impostor"), std::string::npos);
  EXPECT_TRUE(std::string(user_agent()).starts_with("cardsync/"));
  EXPECT_NE(res.body.find("gzip"), std::string::npos);
  EXPECT_NE(res.body.find("deflate"), std::string::npos);
  EXPECT_NE(res.body.find("x-api-key: tcg_secret"), std::string::npos);
}

TEST_F(CurlClientTest, CallerRequestIdIsKept) {
  HttpRequest r = get(server.url("/echo"));
  r.headers.add("X-Request-Id", "from-caller");
  const HttpResponse res = client.perform(r, context());
  EXPECT_NE(res.body.find("X-Request-Id: from-caller"), std::string::npos);
  EXPECT_EQ(res.body.find("req-42"), std::string::npos);
}

TEST_F(CurlClientTest, PostSendsTheBody) {
  HttpRequest r = get(server.url("/echo"));
  r.method = "POST";
  r.headers.add("Content-Type", "application/json");
  r.body = R"([{"tcgplayerId":"123"}])";
  const HttpResponse res = client.perform(r, context());
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.starts_with("POST\n"));
  EXPECT_TRUE(res.body.ends_with("\n" + r.body)) << res.body;
  EXPECT_EQ(res.body.find("Expect:"), std::string::npos);
}

TEST_F(CurlClientTest, PooledHandleForgetsThePreviousRequest) {
  // One service, sequential calls: the same pooled handle serves them all.
  auto call = [&](std::string method, std::string body) {
    HttpRequest r = get(server.url("/echo"));
    r.method = std::move(method);
    r.body = std::move(body);
    return client.perform(r, context());
  };
  EXPECT_TRUE(call("POST", "first").body.starts_with("POST\n"));
  const HttpResponse g = call("GET", "");
  EXPECT_TRUE(g.body.starts_with("GET\n")) << g.body;
  EXPECT_EQ(g.body.find("first"), std::string::npos);
  EXPECT_EQ(g.body.find("Content-Length"), std::string::npos);
  const HttpResponse head = call("HEAD", "");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  const HttpResponse del = call("DELETE", "");
  EXPECT_TRUE(del.body.starts_with("DELETE\n")) << del.body;
  const HttpResponse put = call("PUT", "payload");
  EXPECT_TRUE(put.body.starts_with("PUT\n")) << put.body;
  EXPECT_TRUE(put.body.ends_with("\npayload")) << put.body;
  EXPECT_TRUE(call("GET", "").body.starts_with("GET\n"));
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST_F(CurlClientTest, StatusAndHeadersComeBack) {
  const HttpResponse res = client.perform(get(server.url("/status/503")), context());
  EXPECT_EQ(res.error, TransportError::none);
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.headers.find("server"), "cardsync-test");
}

TEST_F(CurlClientTest, GzipBodyIsDecoded) {
  const HttpResponse res = client.perform(get(server.url("/gzip")), context());
  ASSERT_EQ(res.status, 200) << res.error_message;
  EXPECT_EQ(res.headers.find("Content-Encoding"), "gzip");
  EXPECT_EQ(res.body.size(), 1000 * std::string("cardsync keeps the catalog in step. ").size());
  EXPECT_TRUE(res.body.starts_with("cardsync keeps the catalog in step. "));
}

TEST(CurlClientLimits, OversizeBodyFailsCleanlyWithoutBeingBuffered) {
  LocalHttpServer server;
  HttpClientOptions o;
  o.max_response_bytes = 1 << 20;
  CurlClient client(SystemClock::instance(), o);
  for (const char* path : {"/bytes/2097152", "/chunked/2097152", "/gzip-bomb/4194304"}) {
    SCOPED_TRACE(path);
    const HttpResponse res = client.perform(get(server.url(path)), context());
    EXPECT_EQ(res.error, TransportError::too_large);
    EXPECT_TRUE(res.body.empty());
    EXPECT_NE(res.error_message.find("1048576"), std::string::npos) << res.error_message;
  }
  // Exactly at the limit is fine, and the client keeps working.
  const HttpResponse ok = client.perform(get(server.url("/bytes/1048576")), context());
  EXPECT_EQ(ok.error, TransportError::none) << ok.error_message;
  EXPECT_EQ(ok.body.size(), 1u << 20);
}

TEST(CurlClientLimits, ServerThatNeverAnswersTimesOut) {
  LocalHttpServer server;
  HttpClientOptions o;
  o.total_timeout = 300ms;
  CurlClient client(SystemClock::instance(), o);
  const auto start = std::chrono::steady_clock::now();
  const HttpResponse res = client.perform(get(server.url("/hang")), context());
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(res.error, TransportError::timeout) << res.error_message;
  // libcurl's timers may fire a fraction of a millisecond early.
  EXPECT_GE(took, 290ms);
  EXPECT_EQ(server.hanging(), 1);  // it did reach the server, which never answered
  EXPECT_LT(took, 5s);
  EXPECT_NE(res.error_message.find("timeout 300 ms"), std::string::npos) << res.error_message;
}

TEST(CurlClientLimits, CallDeadlineShortensTheTimeout) {
  LocalHttpServer server;
  CurlClient client;  // default 30 s total timeout
  TransportContext ctx = context();
  ctx.deadline = SystemClock::instance().now() + 200ms;
  const auto start = std::chrono::steady_clock::now();
  const HttpResponse res = client.perform(get(server.url("/hang")), ctx);
  EXPECT_EQ(res.error, TransportError::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ctx.deadline = SystemClock::instance().now() - 1s;
  EXPECT_EQ(client.perform(get(server.url("/ok")), ctx).error, TransportError::timeout);
}

TEST(CurlClientLimits, CancellationAbortsATransferInProgress) {
  LocalHttpServer server;
  CurlClient client;
  CancellationToken cancel;
  TransportContext ctx = context();
  ctx.cancel = &cancel;
  HttpResponse res;
  std::thread caller([&] { res = client.perform(get(server.url("/hang")), ctx); });
  ASSERT_TRUE(eventually([&] { return server.hanging() == 1; }));
  const auto start = std::chrono::steady_clock::now();
  cancel.cancel();
  caller.join();
  EXPECT_EQ(res.error, TransportError::cancelled);
  // libcurl polls its progress callback at least once a second while idle.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(CurlClientLimits, InFlightRequestsPerServiceAreCapped) {
  LocalHttpServer server;
  CurlClient client;
  HttpClientOptions o;
  o.max_in_flight = 2;
  client.configure_service("capped", o);
  std::vector<std::thread> callers;
  callers.reserve(6);
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      const HttpResponse r = client.perform(get(server.url("/gate")), context("capped"));
      if (r.status == 200 && r.body == "through") ok.fetch_add(1);
    });
  }
  // Two requests reach the server; the other four queue inside the client, not on the wire.
  ASSERT_TRUE(eventually([&] { return server.held_at_gate() == 2; }));
  ASSERT_TRUE(eventually([&] { return client.stats("capped").waiting == 4; }));
  EXPECT_EQ(client.stats("capped").in_flight, 2);
  EXPECT_EQ(server.requests_received(), 2);
  server.open_gate();
  for (auto& t : callers) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(server.max_in_flight(), 2);
  // Two pooled handles, each keeping its connection.
  EXPECT_EQ(client.stats("capped").idle_handles, 2);
  EXPECT_EQ(server.connections_accepted(), 2);
}

TEST(CurlClientLimits, CancelledWhileWaitingForASlot) {
  LocalHttpServer server;
  CurlClient client;
  HttpClientOptions o;
  o.max_in_flight = 1;
  client.configure_service("one", o);
  std::thread first([&] { (void)client.perform(get(server.url("/gate")), context("one")); });
  ASSERT_TRUE(eventually([&] { return server.held_at_gate() == 1; }));
  CancellationToken cancel;
  TransportContext ctx = context("one");
  ctx.cancel = &cancel;
  HttpResponse res;
  std::thread second([&] { res = client.perform(get(server.url("/ok")), ctx); });
  ASSERT_TRUE(eventually([&] { return client.stats("one").waiting == 1; }));
  cancel.cancel();
  second.join();
  EXPECT_EQ(res.error, TransportError::cancelled);
  server.open_gate();
  first.join();
}

TEST(CurlClientErrors, RefusedConnectionIsAConnectErrorWithCredentialsRedacted) {
  std::uint16_t port = 0;
  {
    LocalHttpServer closed;  // take a free port, then release it
    port = closed.port();
  }
  CurlClient client;
  HttpRequest r =
      get("http://127.0.0.1:" + std::to_string(port) + "/v1/cards?api_key=SUPERSECRET&game=mtg");
  r.headers.add("Authorization", "bearer PSA-TOKEN-123");
  const HttpResponse res = client.perform(r, context());
  EXPECT_EQ(res.error, TransportError::connect) << res.error_message;
  EXPECT_EQ(res.error_message.find("SUPERSECRET"), std::string::npos) << res.error_message;
  EXPECT_EQ(res.error_message.find("PSA-TOKEN-123"), std::string::npos) << res.error_message;
  EXPECT_NE(res.error_message.find("api_key=***"), std::string::npos) << res.error_message;
  EXPECT_NE(res.error_message.find("game=mtg"), std::string::npos) << res.error_message;
}

TEST(CurlClientErrors, MalformedUrlIsAnInvalidRequest) {
  CurlClient client;
  EXPECT_EQ(client.perform(get("ftp://127.0.0.1/x"), context()).error,
            TransportError::invalid_request);
  EXPECT_EQ(client.perform(get("not a url"), context()).error, TransportError::invalid_request);
}

TEST(CurlClientErrors, ReconfiguringARunningServiceIsRefused) {
  CurlClient client;
  HttpClientOptions o;
  o.max_in_flight = 3;
  client.configure_service("x", o);
  EXPECT_NO_THROW(client.configure_service("x", o));
  o.max_in_flight = 5;
  EXPECT_THROW(client.configure_service("x", o), std::logic_error);
}

}  // namespace
}  // namespace cardsync
