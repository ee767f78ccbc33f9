// The whole stack over a real socket: ResilientClient -> CurlClient -> local Beast server.
// Backoff is configured in milliseconds, so the few real waits are negligible.

#include <gtest/gtest.h>

#include "http/curl_client.hpp"
#include "local_http_server.hpp"
#include "resilience/resilient_client.hpp"

namespace cardsync {
namespace {

using namespace std::chrono_literals;

ResilienceOptions fast() {
  ResilienceOptions o;
  o.pacing.requests_per_minute = 0;
  o.retry.max_retries = 2;
  o.retry.base_delay = 1ms;
  o.retry.max_delay = 4ms;
  o.http.total_timeout = 200ms;
  return o;
}

CallOptions call() {
  CallOptions c;
  c.service = "local";
  c.request_id = "req-socket-1";
  return c;
}

HttpRequest get(const testing::LocalHttpServer& server, std::string_view path) {
  HttpRequest r;
  r.url = server.url(path);
  return r;
}

TEST(ResilientClientOverSockets, RetriesServerErrorsOnOneKeptAliveConnection) {
  testing::LocalHttpServer server;
  CurlClient transport;
  ResilientClient client(transport, SystemClock::instance(), SystemRandom::instance());
  client.configure("local", fast());
  const CallOutcome out = client.execute(get(server, "/status/503"), call());
  ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
  EXPECT_EQ(std::get<CallFailed>(out).attempts, 3);
  EXPECT_EQ(std::get<CallFailed>(out).last_cause.status, 503);
  EXPECT_EQ(server.requests_received(), 3);
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(ResilientClientOverSockets, TimeoutsAreRetriedAndReported) {
  testing::LocalHttpServer server;
  CurlClient transport;
  ResilientClient client(transport, SystemClock::instance(), SystemRandom::instance());
  client.configure("local", fast());
  const CallOutcome out = client.execute(get(server, "/hang"), call());
  ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
  EXPECT_EQ(std::get<CallFailed>(out).last_cause.error, TransportError::timeout);
  EXPECT_EQ(std::get<CallFailed>(out).attempts, 3);
  EXPECT_EQ(server.requests_received(), 3);
}

TEST(ResilientClientOverSockets, RequestIdTravelsToTheServer) {
  testing::LocalHttpServer server;
  CurlClient transport;
  ResilientClient client(transport, SystemClock::instance(), SystemRandom::instance());
  client.configure("local", fast());
  const CallOutcome out = client.execute(get(server, "/echo"), call());
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  EXPECT_NE(std::get<HttpResponse>(out).body.find("X-Request-Id: req-socket-1"), std::string::npos);
}

}  // namespace
}  // namespace cardsync
