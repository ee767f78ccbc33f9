// Text cut at a byte limit or arriving in another encoding still comes out as valid UTF-8.

#include <gtest/gtest.h>
#include <cardsync/error_body.hpp>
#include <cardsync/utf8.hpp>

#include <string>

namespace cardsync::sdk {
namespace {

const std::string kName =
    "Pok\xC3\xA9mon \xE3\x83\x9D\xE3\x82\xB1\xE3\x83\xA2\xE3\x83\xB3 \xF0\x9F\x83\x8F";

TEST(Utf8Test, ValidTextIsLeftAlone) {
  EXPECT_EQ(valid_utf8(kName), kName);
  EXPECT_TRUE(is_valid_utf8(kName));
  EXPECT_EQ(valid_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Utf8Test, EachInvalidByteBecomesAReplacementCharacter) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(valid_utf8("Pok\xE9mon"), "Pok" + replacement + "mon") << "Latin-1";
  EXPECT_EQ(valid_utf8("\xF0\x9F\x83"), replacement + replacement + replacement)
      << "a cut 4-byte sequence";
  EXPECT_EQ(valid_utf8("\xC0\xAF"), replacement + replacement) << "an overlong '/'";
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), replacement + replacement + replacement)
      << "a UTF-16 surrogate";
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8Test, APrefixNeverEndsInsideACharacter) {
  for (std::size_t max = 0; max <= kName.size() + 1; ++max) {
    const auto prefix = utf8_prefix(kName, max);
    EXPECT_LE(prefix.size(), max);
    EXPECT_TRUE(is_valid_utf8(prefix)) << max;
    EXPECT_EQ(kName.rfind(prefix, 0), 0u);
  }
  EXPECT_EQ(utf8_prefix(kName, 4), "Pok");
  EXPECT_EQ(utf8_prefix(kName, 5), "Pok\xC3\xA9");
}

TEST(Utf8Test, AScrubbedUpstreamMessageIsValidUtf8AtAnyCut) {
  const std::string message = std::string(198, 'x') + "\xE3\x83\x9D" + "\xE9";
  const std::string scrubbed = scrub(message, "");
  EXPECT_TRUE(is_valid_utf8(scrubbed)) << scrubbed;
  EXPECT_EQ(scrubbed, std::string(198, 'x') + "...");
}

}  // namespace
}  // namespace cardsync::sdk
