// A worker process for the conformance suite's crash test: loads a storage plugin, claims
// one job under the given lease, prints its id, then waits to be killed (SIGKILL) while it
// still holds the lease.
//   storage_conformance_worker <plugin.so> <config-json> <now-ms> <lease-until-ms> <token>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s plugin.so config now_ms lease_until_ms token\n", argv[0]);
    return 2;
  }
  try {
    using namespace cardsync;
    auto services = std::make_shared<plugin::HostServices>(nullptr);
    plugin::Registry registry(services);
    auto lib = registry.load_file(argv[1]);
    std::shared_ptr<plugin::Instance> instance = plugin::Instance::create(lib, argv[2]);
    plugin::PluginStorage storage(instance);
    sdk::ClaimRequest req{
        1, "conformance-worker", argv[5], std::atoll(argv[3]), std::atoll(argv[4]), {}};
    auto jobs = storage.claim(req);
    if (jobs.empty()) {
      std::printf("none\n");
      std::fflush(stdout);
      return 3;
    }
    std::printf("%lld\n", static_cast<long long>(jobs.front().id));
    std::fflush(stdout);
    for (;;) pause();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker: %s\n", e.what());
    return 1;
  }
}
