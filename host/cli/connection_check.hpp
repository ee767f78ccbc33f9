#pragma once
// `config check --connect`'s provider probe: one cheap request per configured provider, sent
// through the same resilient client (pacing, breaker, retries, URL scope) a worker uses and
// handled by the provider, with nothing stored. The request is the first one of the first job
// the provider's sync plans; a provider with nothing to plan is probed with its first lookup's
// example key. Either way it is a request the provider already makes, so no plugin needs a
// separate "ping".

#include <string>
#include <vector>

#include "cli/host_runtime.hpp"

namespace cardsync::cli {

struct ProviderProbe {
  std::string provider;
  bool ok = false;
  std::string detail;  // ok: the request and its status; otherwise the reason
};

std::vector<ProviderProbe> probe_providers(HostRuntime& rt);

}  // namespace cardsync::cli
