// The built cardsync-provider-psa.so, loaded the way the host loads it: the registry's ABI
// checks, the config schema composed into the host's validation (with its defaults), and calls
// through the vtable of an instance created from a config section: the cert request, and the
// cert lookup's declaration and normalise_key as the host reads them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string_view>

#include "plugin/plugin_instance.hpp"
#include "plugin/provider_lookups.hpp"
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

TEST_F(PsaPluginLoad, ConfigSchemaFillsItsDefaultsAndNeedsAToken) {
  auto good = resolve(R"({"token":"t"})");
  ASSERT_TRUE(good.problems.empty()) << good.problems.front().message;
  const auto& section = good.section("psa");
  EXPECT_STREQ(section["base_url"].GetString(), "https://api.psacard.com/publicapi");
  EXPECT_EQ(section["daily_quota"].GetInt(), 100);
  // The lookup's timing keys are the host's, valid in every provider section; the cert's
  // defaults come from its lookup kind (PsaLookup below).
  for (const char* key : {"ttl_seconds", "not_found_ttl_seconds", "lookup_deadline_seconds"}) {
    EXPECT_FALSE(section.HasMember(key)) << key;
  }

  auto no_token = resolve("{}");
  ASSERT_EQ(no_token.problems.size(), 1U);
  EXPECT_THAT(no_token.problems.front().message, HasSubstr("token"));
  EXPECT_EQ(resolve(R"({"daily_quota":-1})").problems.size(), 2U);
}

TEST_F(PsaPluginLoad, AnInstanceFromTheLibraryBuildsTheCertRequest) {
  EXPECT_THAT(start_urls(R"({"token":"t","base_url":"http://127.0.0.1:9/publicapi"})", "psa.cert",
                         "00012345"),
              ElementsAre("http://127.0.0.1:9/publicapi/cert/GetByCertNumber/00012345"));
  EXPECT_THAT(refusal(R"({"base_url":"http://127.0.0.1:9/publicapi"})"),
              Optional(HasSubstr("providers.psa.token")))
      << "a section without a token must be refused";
}

// normalise_key through the library's vtable, as the host's lookup service asks it.
class PsaLookup : public PsaPluginLoad {
 protected:
  PsaLookup()
      : instance_(plugin::Instance::create(lib_, R"({"token":"t"})")),
        lookups_(*lib_->provider(), instance_->handle(), "psa", {"psa.cert"}) {}

  plugin::NormalisedKey normalise(std::string_view input) const {
    return lookups_.normalise(*lookups_.find("cert"), input);
  }

  std::unique_ptr<plugin::Instance> instance_;
  plugin::ProviderLookups lookups_;
};

TEST_F(PsaLookup, TheCertKindIsDeclared) {
  ASSERT_EQ(lookups_.kinds().size(), 1U);
  const auto& cert = lookups_.kinds().front();
  EXPECT_EQ(cert.name, "cert");
  EXPECT_EQ(cert.job_type, "psa.cert");
  EXPECT_EQ(cert.record_kind, CS_RECORD_GRADED_CERT);
  EXPECT_EQ(cert.child_kind, static_cast<uint32_t>(CS_RECORD_CERT_IMAGE));
  EXPECT_EQ(cert.child_field, "images");
  EXPECT_EQ(cert.ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(cert.not_found_ttl, std::chrono::hours(24));
  // Its key example is a key.
  EXPECT_TRUE(normalise(cert.key_example).key.has_value()) << cert.key_example;
}

TEST_F(PsaLookup, NormaliseKeyKeepsOnlyDigitsAndLeadingZeros) {
  EXPECT_EQ(normalise("0001 2345").key, "00012345");
  EXPECT_EQ(normalise("#1234-5678").key, "12345678");
  EXPECT_EQ(normalise(" 0123-4567 ").key, "01234567");
  EXPECT_EQ(normalise("cert: 42\n").key, "42");
  EXPECT_EQ(normalise("000000000000").key, "000000000000");
  EXPECT_EQ(normalise("123456789012").key, "123456789012");  // 12 digits: the most there are
}

TEST_F(PsaLookup, NormaliseKeyRefusesEmptyAndTooLongWithAReason) {
  for (std::string_view input : {"", "PSA slab", "#-"}) {
    auto none = normalise(input);
    EXPECT_FALSE(none.key) << input;
    EXPECT_EQ(none.problem, "a PSA cert number needs at least one digit") << input;
  }
  auto long_one = normalise("1234567890123");
  EXPECT_FALSE(long_one.key);
  EXPECT_THAT(long_one.problem, HasSubstr("at most 12 digits"));
  EXPECT_THAT(long_one.problem, HasSubstr("this one has 13"));
  EXPECT_FALSE(normalise("1234 5678 9012 3").key);
}

TEST_F(PsaLookup, NormaliseKeyKnowsOnlyTheCertKind) {
  plugin::LookupKind card;
  card.name = "card";
  auto n = lookups_.normalise(card, "1234");
  EXPECT_FALSE(n.key);
  EXPECT_THAT(n.problem, HasSubstr("only certs"));
}

}  // namespace
}  // namespace cardsync
