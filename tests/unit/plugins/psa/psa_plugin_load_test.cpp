// The built cardsync-provider-psa.so, loaded the way the host loads it: the registry's ABI
// checks, the config schema composed into the host's validation (with its defaults), and one
// call through the vtable of an instance created from a config section.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/provider_plugin_load.hpp"

namespace cardsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

class PsaPluginLoad : public test::ProviderPluginLoad {
 protected:
  PsaPluginLoad() : ProviderPluginLoad(CARDSYNC_PSA_PLUGIN) {}
};

TEST_F(PsaPluginLoad, RegistryLoadsItAsThePsaProvider) {
  expect_provider("psa", {"psa.cert"}, {"cert", "image"});
}

TEST_F(PsaPluginLoad, ConfigSchemaFillsTheCacheDefaultsAndNeedsAToken) {
  auto good = resolve(R"({"token":"t"})");
  ASSERT_TRUE(good.problems.empty()) << good.problems.front().message;
  const auto& section = good.section("psa");
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.psacard.com/publicapi");
  EXPECT_EQ(section["daily_quota"].GetInt(), 100);
  EXPECT_EQ(section["ttl_seconds"].GetInt(), 7 * 24 * 3600);
  EXPECT_EQ(section["not_found_ttl_seconds"].GetInt(), 24 * 3600);
  EXPECT_EQ(section["lookup_deadline_seconds"].GetDouble(), 5.0);

  EXPECT_EQ(resolve(R"({"ttl_seconds":0})").problems.size(), 2U);
}

TEST_F(PsaPluginLoad, AnInstanceFromTheLibraryBuildsTheCertRequest) {
  EXPECT_THAT(start_urls(R"({"token":"t","base_url":"http://127.0.0.1:9/publicapi"})", "psa.cert",
                         "00012345"),
              ElementsAre("http://127.0.0.1:9/publicapi/cert/GetByCertNumber/00012345"));
  EXPECT_THAT(refusal(R"({"base_url":"http://127.0.0.1:9/publicapi"})"),
              Optional(HasSubstr("providers.psa.token")))
      << "a section without a token must be refused";
}

}  // namespace
}  // namespace cardsync
