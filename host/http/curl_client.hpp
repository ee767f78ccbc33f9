#pragma once
// The production Transport: libcurl easy handles, pooled per service so sequential requests
// reuse a kept-alive connection, with a per-service cap on requests in flight.
//
// Connections are deliberately not shared between handles through a share object: libcurl
// does not support sharing its connection cache between concurrent threads. Each pooled
// handle keeps its own connections; DNS and TLS sessions are shared per service.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "http/http_client_options.hpp"
#include "http/transport.hpp"
#include "time/clock.hpp"

namespace cardsync {

class CurlClient final : public Transport {
 public:
  // `defaults` apply to services never passed to configure_service.
  explicit CurlClient(Clock& clock = SystemClock::instance(), HttpClientOptions defaults = {});
  ~CurlClient() override;
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  // Thread-safe. Blocks while the service has max_in_flight requests running.
  HttpResponse perform(const HttpRequest& request, const TransportContext& context) override;
  // Throws std::logic_error if the service already runs with different options.
  void configure_service(std::string_view service, const HttpClientOptions& options) override;

  struct ServiceStats {
    int in_flight = 0;
    int waiting = 0;       // callers queued for a slot
    int idle_handles = 0;  // pooled handles, each possibly holding a live connection
  };
  ServiceStats stats(std::string_view service) const;

 private:
  struct Service;
  Service& service(std::string_view name);

  Clock& clock_;
  HttpClientOptions defaults_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Service>, std::less<>> services_;
};

}  // namespace cardsync
