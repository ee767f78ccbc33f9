// sdk/include/cardsync/error_body.hpp: an upstream's error words, with the secret taken out.
#include <gtest/gtest.h>
#include <cardsync/error_body.hpp>

#include <string>

namespace cardsync::sdk {
namespace {

TEST(ScrubTest, EveryOccurrenceOfTheSecretIsRedacted) {
  EXPECT_EQ(scrub("key tok_123 rejected; tok_123 again", "tok_123"),
            "key [redacted] rejected; [redacted] again");
}

// Found by fuzzing (tests/fuzz/corpus/provider_response/psa-t0-cert_no_data, token "t"): the
// search used to resume at the replacement, found the 't' of "[redacted]" and never ended.
TEST(ScrubTest, ASecretThatOccursInTheRedactionMarkEnds) {
  EXPECT_EQ(scrub("at the top", "t"), "a[redacted] [redacted]he [redacted]op");
  EXPECT_EQ(scrub("redacted", "redacted"), "[redacted]");
  EXPECT_EQ(scrub("[redacted]", "["), "[redacted]redacted]");
}

TEST(ScrubTest, NoSecretLeavesTheTextAsItIs) {
  EXPECT_EQ(scrub("Game not found", ""), "Game not found");
}

}  // namespace
}  // namespace cardsync::sdk
