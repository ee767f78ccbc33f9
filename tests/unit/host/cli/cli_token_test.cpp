// `cardsync token create`: the printed token is what the configured admin server accepts,
// with the asked role, subject and lifetime; every refusal exits 2 and says why.
#include <gmock/gmock.h>
#include <jwt.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "admin/jwt_verifier.hpp"
#include "cli/exit_codes.hpp"
#include "cli/token_lifetime.hpp"
#include "cli_fixture.hpp"
#include "time/clock.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::HasSubstr;

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};

class TokenCommand : public CliTest {
 protected:
  // A config whose admin section is `admin`, written to the scratch directory.
  std::string config(const std::string& admin) {
    return write("cardsync.json", R"({"admin": )" + admin + "}").string();
  }
  std::string hs256_config() {
    return config(R"({"auth": {"hs256_secret": ")" + kSecret + R"("}})");
  }
  CliResult create(const std::string& config_file, std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_file, "token", "create"});
    return run(args);
  }
  // The claims of a token that verifies with `key`, or a failure.
  static std::unique_ptr<jwt_t, JwtFree> decode(const std::string& token, const std::string& key) {
    std::string text = token;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    jwt_t* raw = nullptr;
    EXPECT_EQ(jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                         static_cast<int>(key.size())),
              0)
        << token;
    return std::unique_ptr<jwt_t, JwtFree>(raw);
  }
  static admin::TokenCheck verify(const std::string& token, const admin::AuthOptions& auth) {
    std::string text = token;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return admin::JwtVerifier(auth, SystemClock::instance()).verify(text);
  }
};

TEST_F(TokenCommand, AViewerTokenOpensTheAdminApiForEightHoursByDefault) {
  auto r = create(hs256_config(), {"--role", "viewer", "--subject", "shop-owner"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  // Only the token on stdout: one line, usable as $(cardsync token create ...).
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  admin::AuthOptions auth;
  auth.hs256_secret = kSecret;
  const auto check = verify(r.out, auth);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.role, admin::Role::viewer);
  EXPECT_EQ(check.subject, "shop-owner");
  auto jwt = decode(r.out, kSecret);
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt_get_grant_int(jwt.get(), "exp") - jwt_get_grant_int(jwt.get(), "iat"), 8 * 3600);
}

TEST_F(TokenCommand, AnOperatorTokenWithItsOwnLifetimeAndTheUserAsSubject) {
  env_["USER"] = "alice";
  auto r = create(hs256_config(), {"--role", "operator", "--ttl", "30m"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  admin::AuthOptions auth;
  auth.hs256_secret = kSecret;
  const auto check = verify(r.out, auth);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.role, admin::Role::operator_);
  EXPECT_EQ(check.subject, "alice");
  auto jwt = decode(r.out, kSecret);
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt_get_grant_int(jwt.get(), "exp") - jwt_get_grant_int(jwt.get(), "iat"), 1800);
}

TEST_F(TokenCommand, TheSecretComesFromTheEnvironmentAsServeReadsIt) {
  env_["CARDSYNC_ADMIN_SECRET"] = kSecret;
  auto r = create(config(R"({"auth": {"hs256_secret": "${CARDSYNC_ADMIN_SECRET:-}"}})"),
                  {"--role", "viewer"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  admin::AuthOptions auth;
  auth.hs256_secret = kSecret;
  EXPECT_TRUE(verify(r.out, auth).ok);
}

TEST_F(TokenCommand, RefusalsExitTwoAndSayWhy) {
  struct Case {
    std::string admin;
    std::vector<std::string> args;
    std::string says;
  };
  const std::string good = R"({"auth": {"hs256_secret": ")" + kSecret + R"("}})";
  const std::vector<Case> cases = {
      {good, {}, "--role is required"},
      {good, {"--role", "admin"}, "--role must be viewer or operator, found \"admin\""},
      {good, {"--role", "viewer", "--ttl", "8 hours"}, "--ttl: expected a lifetime"},
      {good, {"--role", "viewer", "--ttl", "0h"}, "--ttl"},
      {good, {"--role", "viewer", "--ttl", "400d"}, "at most 366d"},
      {good, {"--role", "viewer", "--colour", "red"}, "colour"},
      {good, {"--role", "viewer", "--private-key", "k.pem"}, "--private-key is for RS256"},
      {R"({"auth": {"hs256_secret": ""}})", {"--role", "viewer"}, "hs256_secret is not set"},
      {R"({"auth": {"hs256_secret": "short"}})", {"--role", "viewer"}, "at least 32 bytes"},
      {R"({"auth": {"enabled": false}})", {"--role", "viewer"}, "admin.auth.enabled is false"},
  };
  for (const auto& c : cases) {
    auto r = create(config(c.admin), c.args);
    EXPECT_EQ(r.code, kExitUsage) << c.says;
    EXPECT_THAT(r.err, HasSubstr(c.says));
    EXPECT_TRUE(r.out.empty()) << c.says << ": " << r.out;
  }
  auto wrong = run({"--config", hs256_config(), "token", "mint"});
  EXPECT_EQ(wrong.code, kExitUsage);
  EXPECT_THAT(wrong.err, HasSubstr("expected 'create'"));
}

class TokenCommandRs256 : public TokenCommand {
 protected:
  void SetUp() override {
    TokenCommand::SetUp();
    for (const char* name : {"a", "b"}) {
      const auto priv = dir_ / (std::string(name) + "-private.pem");
      const auto pub = dir_ / (std::string(name) + "-public.pem");
      const std::string cmd = "openssl genrsa -out " + priv.string() +
                              " 2048 2>/dev/null && openssl rsa -in " + priv.string() +
                              " -pubout -out " + pub.string() + " 2>/dev/null";
      ASSERT_EQ(std::system(cmd.c_str()), 0);
    }
    config_ = config(R"({"auth": {"algorithm": "RS256", "rs256_public_key_file": ")" +
                     (dir_ / "a-public.pem").string() + R"("}})");
  }
  std::string config_;
};

TEST_F(TokenCommandRs256, WithoutThePrivateKeyItSaysWhichFlagItNeeds) {
  auto r = create(config_, {"--role", "viewer"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--private-key FILE"));
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(TokenCommandRs256, SignsWithThePrivateKeyOfTheConfiguredPair) {
  auto r =
      create(config_, {"--role", "operator", "--private-key", (dir_ / "a-private.pem").string()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  admin::AuthOptions auth;
  auth.algorithm = admin::JwtAlgorithm::rs256;
  std::ifstream in(dir_ / "a-public.pem");
  std::stringstream pem;
  pem << in.rdbuf();
  auth.rs256_public_key_pem = pem.str();
  const auto check = verify(r.out, auth);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.role, admin::Role::operator_);
}

TEST_F(TokenCommandRs256, AKeyOfAnotherPairOrNoKeyIsRefused) {
  auto other =
      create(config_, {"--role", "viewer", "--private-key", (dir_ / "b-private.pem").string()});
  EXPECT_EQ(other.code, kExitUsage);
  EXPECT_THAT(other.err, HasSubstr("would refuse this token"));
  EXPECT_TRUE(other.out.empty());
  auto public_key =
      create(config_, {"--role", "viewer", "--private-key", (dir_ / "a-public.pem").string()});
  EXPECT_EQ(public_key.code, kExitUsage);
  EXPECT_THAT(public_key.err, HasSubstr("cannot read a PEM private key"));
}

TEST(TokenLifetime, UnitsAndBareSeconds) {
  EXPECT_EQ(parse_token_lifetime("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_token_lifetime("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(parse_token_lifetime("8h"), std::chrono::seconds(28800));
  EXPECT_EQ(parse_token_lifetime("7d"), std::chrono::seconds(7 * 86400));
  EXPECT_EQ(parse_token_lifetime("600"), std::chrono::seconds(600));
  EXPECT_EQ(parse_token_lifetime("366d"), kMaxTokenLifetime);
  for (const char* bad : {"", "h", "0", "-5m", "1.5h", "8 h", "8w", "367d", "99999999999999999d"}) {
    EXPECT_FALSE(parse_token_lifetime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace cardsync::cli::testing
