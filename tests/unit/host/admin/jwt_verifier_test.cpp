// Token claims read as RFC 7519 NumericDates: integer or not, and anything else refused rather
// than read as 0; a maximum lifetime bounds what a leaked token is worth.

#include "admin/jwt_verifier.hpp"

#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "time/clock.hpp"

namespace cardsync::admin {
namespace {

constexpr const char* kKey = "jwt-verifier-test-secret-0123456789abcdef";

class JwtVerifierTest : public ::testing::Test {
 protected:
  JwtVerifierTest() {
    options_.hs256_secret = kKey;
    options_.leeway = std::chrono::seconds(30);
    options_.max_token_lifetime = std::chrono::hours(24);
  }

  long now() const {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count());
  }

  // An HS256 token with the role and the claims of `json` as written (numbers, strings, null).
  static std::string token(const std::string& json) {
    jwt_t* raw = nullptr;
    jwt_new(&raw);
    const std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
    jwt_add_grant(raw, "role", "viewer");
    EXPECT_EQ(jwt_add_grants_json(raw, json.c_str()), 0) << json;
    jwt_set_alg(raw, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(kKey),
                static_cast<int>(std::string(kKey).size()));
    const std::unique_ptr<char, decltype(&std::free)> text(jwt_encode_str(raw), &std::free);
    return text ? text.get() : "";
  }

  TokenCheck verify(const std::string& claims) const {
    return JwtVerifier(options_, clock_).verify(token(claims));
  }

  AuthOptions options_;
  mutable ManualClock clock_;
};

TEST_F(JwtVerifierTest, AFractionalExpIsAValidDate) {
  const auto check = verify(R"({"exp": )" + std::to_string(now() + 600) + ".5}");
  EXPECT_TRUE(check.ok) << check.problem;
}

TEST_F(JwtVerifierTest, AFractionalExpInThePastIsExpired) {
  const auto check = verify(R"({"exp": )" + std::to_string(now() - 3600) + ".5}");
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, "token expired");
}

TEST_F(JwtVerifierTest, AnExpThatIsNotANumberIsRefused) {
  for (const std::string exp : {R"("99999999999")", "null", "true", "-5", "1e300"}) {
    SCOPED_TRACE(exp);
    const auto check = verify(R"({"exp": )" + exp + "}");
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.problem, "token exp claim is not a date in seconds");
  }
}

TEST_F(JwtVerifierTest, AnNbfThatIsNotANumberIsRefusedNotIgnored) {
  const std::string exp = std::to_string(now() + 600);
  for (const std::string nbf : {R"("9999999999")", "null", "1.5e300", "[1]"}) {
    SCOPED_TRACE(nbf);
    std::string claims = R"({"exp": )" + exp;
    claims += R"(, "nbf": )";
    claims += nbf;
    claims += "}";
    const auto check = verify(claims);
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.problem, "token nbf claim is not a date in seconds");
  }
}

TEST_F(JwtVerifierTest, AFractionalNbfInTheFutureIsNotYetValid) {
  const auto check = verify(R"({"exp": )" + std::to_string(now() + 600) + R"(, "nbf": )" +
                            std::to_string(now() + 300) + ".25}");
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, "token not yet valid");
}

TEST_F(JwtVerifierTest, AnExpAtTheEndOfRangeNeitherOverflowsNorOutlivesTheMaximum) {
  // exp + leeway overflowed a long: the far-future token was read as expired or, worse, valid.
  const auto check = verify(R"({"exp": 9223372036854775807})");
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, "token exp claim is not a date in seconds");
  const auto far = verify(R"({"exp": 9007199254740000})");
  EXPECT_FALSE(far.ok);
  EXPECT_EQ(far.problem, "token lives longer than admin.auth.max_token_lifetime_hours allows");
}

TEST_F(JwtVerifierTest, ATokenLongerLivedThanTheMaximumIsRefused) {
  const auto day = 24L * 3600;
  EXPECT_TRUE(verify(R"({"exp": )" + std::to_string(now() + day) + "}").ok);
  const auto check = verify(R"({"exp": )" + std::to_string(now() + day + 3600) + "}");
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, "token lives longer than admin.auth.max_token_lifetime_hours allows");
}

}  // namespace
}  // namespace cardsync::admin
