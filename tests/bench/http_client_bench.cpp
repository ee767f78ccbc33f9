// Requests per second against a local keep-alive Beast server: plain libcurl easy-handle
// reuse (the floor), the CurlClient transport, and the full ResilientClient stack (pacing
// off, breaker closed). Target (issue 4): CurlClient >= 0.9x plain curl.

#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <memory>
#include <string>

#include "http/curl_client.hpp"
#include "local_http_server.hpp"
#include "resilience/resilient_client.hpp"

namespace cardsync {
namespace {

testing::LocalHttpServer& server() {
  static testing::LocalHttpServer s;
  return s;
}

size_t append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// state.range(0) == 1: the same request bytes CurlClient sends (User-Agent, X-Request-Id,
// Accept-Encoding), so the comparison isolates client overhead from server parsing.
void BM_PlainCurlEasyReuse(benchmark::State& state) {
  const std::string url = server().url("/ok");
  CURL* h = curl_easy_init();
  std::string body;
  curl_slist* headers = nullptr;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  if (state.range(0) == 1) {
    headers = curl_slist_append(headers, "X-Request-Id: bench-request");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "cardsync/0.1.0");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  }
  for (auto _ : state) {
    body.clear();
    if (curl_easy_perform(h) != CURLE_OK || body != "ok") {
      state.SkipWithError("request failed");
      break;
    }
  }
  curl_easy_cleanup(h);
  curl_slist_free_all(headers);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCurlEasyReuse)->Arg(0)->Arg(1)->UseRealTime()->MinTime(2.0);

void BM_CurlClient(benchmark::State& state) {
  static CurlClient client;
  HttpRequest request;
  request.url = server().url("/ok");
  TransportContext context;
  context.service = "bench";
  context.request_id = "bench-request";
  for (auto _ : state) {
    const HttpResponse r = client.perform(request, context);
    if (r.status != 200 || r.body != "ok") {
      state.SkipWithError("request failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CurlClient)->UseRealTime()->MinTime(2.0);

ResilientClient& resilient_client() {
  static CurlClient transport;
  static ResilientClient client(transport, SystemClock::instance(), SystemRandom::instance(),
                                nullptr, [] {
                                  ResilienceOptions o;
                                  o.pacing.requests_per_minute = 0;  // measure, not pace
                                  return o;
                                }());
  return client;
}

void BM_ResilientClient(benchmark::State& state) {
  ResilientClient& client = resilient_client();
  HttpRequest request;
  request.url = server().url("/ok");
  CallOptions call;
  call.service = "bench";
  call.request_id = "bench-request";
  for (auto _ : state) {
    const CallOutcome out = client.execute(request, call);
    const auto* r = std::get_if<HttpResponse>(&out);
    if (r == nullptr || r->status != 200) {
      state.SkipWithError("request failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResilientClient)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace cardsync

BENCHMARK_MAIN();
