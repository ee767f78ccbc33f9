// sdk lookup keys: what people type is trimmed and quoted back; a lookup job's key must
// already be canonical, so a hand-made job never reaches the upstream.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/lookup_key.hpp>

#include <optional>
#include <string>

namespace cardsync::sdk {
namespace {

using ::testing::HasSubstr;

TEST(SdkLookupKey, TrimsAndQuotesInput) {
  EXPECT_EQ(trim_space(" \t42\r\n"), "42");
  EXPECT_EQ(trim_space("   "), "");
  EXPECT_EQ(not_one(""), "");
  EXPECT_EQ(not_one("abc"), "; \"abc\" is not one");
  EXPECT_EQ(not_one(std::string(50, 'x')), "; \"" + std::string(40, 'x') + "\" is not one");
  EXPECT_EQ(key_or_throw(std::string("42"), "unused"), "42");
  EXPECT_THROW(key_or_throw(std::nullopt, "digits only"), Permanent);
}

TEST(SdkLookupKey, AJobKeyMustAlreadyBeCanonical) {
  Job job;
  job.type = "x.card";
  job.key = "42";
  EXPECT_EQ(canonical_job_key(job, std::string("42"), "", "an id", "digits"), "42");
  job.key = "0042";
  try {
    canonical_job_key(job, std::string("42"), "", "a canonical id", "digits without zeros");
    FAIL();
  } catch (const Permanent& e) {
    EXPECT_STREQ(e.what(), "x.card job key \"0042\" is not a canonical id (digits without zeros)");
  }
  job.key = "abc";
  try {
    canonical_job_key(job, std::nullopt, "an id is digits only", "an id", "digits");
    FAIL();
  } catch (const Permanent& e) {
    EXPECT_THAT(e.what(), HasSubstr("(an id is digits only)"));
  }
}

}  // namespace
}  // namespace cardsync::sdk
