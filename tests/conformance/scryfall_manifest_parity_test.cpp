// The Scryfall manifest on the rest plugin and the native scryfall plugin, synced against the
// same sandbox, leave the same records: every (kind, key), with identical core_json and
// parent, and the same quarantined items.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "plugin/plugin_registry.hpp"
#include "provider_driver.hpp"
#include "provider_subject.hpp"
#include "provider_sync.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::conformance {
namespace {

TEST(ScryfallManifestParity, LeavesTheRecordsOfTheNativePlugin) {
  const ProviderSubject native = scryfall_subject();
  const ProviderSubject manifest = scryfall_manifest_subject();
  sandbox::SandboxOptions o;
  o.catalog.seed = 9;
  native.shape(o);
  sandbox::Sandbox sandbox(o, SystemClock::instance());
  sandbox.start();
  plugin::Registry registry{std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{})};
  const auto dir = std::string(CARDSYNC_PLUGIN_DIR);
  auto native_lib = registry.load_file(dir + "/cardsync-provider-scryfall.so");
  auto rest_lib = registry.load_file(dir + "/cardsync-provider-rest.so");
  ProviderDriver native_driver(&native_lib->descriptor(), native.config(sandbox.base_url()));
  ProviderDriver rest_driver(&rest_lib->descriptor(), manifest.config(sandbox.base_url()));

  const SyncOutcome want = run_sync(native_driver, "");
  const SyncOutcome got = run_sync(rest_driver, "");
  ASSERT_TRUE(want.failures.empty());
  ASSERT_TRUE(got.failures.empty()) << got.failures.front();
  ASSERT_GT(want.records.size(), 100U);
  EXPECT_EQ(got.records.size(), want.records.size());
  for (const auto& [key, rec] : want.records) {
    auto it = got.records.find(key);
    if (it == got.records.end()) {
      ADD_FAILURE() << "the manifest made no record kind " << key.first << " " << key.second;
      continue;
    }
    EXPECT_EQ(it->second.core, rec.core) << key.second;
    EXPECT_EQ(it->second.parent, rec.parent) << key.second;
  }
  EXPECT_EQ(got.rejected, want.rejected);
  EXPECT_EQ(got.requests_sent, want.requests_sent);
}

}  // namespace
}  // namespace cardsync::conformance
