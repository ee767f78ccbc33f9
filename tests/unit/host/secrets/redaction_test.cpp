#include "secrets/redaction.hpp"

#include <gtest/gtest.h>

namespace cardsync {
namespace {

TEST(IsSecretKey, MatchesEverySecretMarkerCaseInsensitively) {
  for (const char* key :
       {"api_key", "API_KEY", "apiKey", "key", "token", "access_token", "refreshToken",
        "client_secret", "SECRET", "password", "db_password", "passwd", "Authorization"}) {
    EXPECT_TRUE(is_secret_key(key)) << key;
  }
}

TEST(IsSecretKey, LeavesOrdinaryKeysAlone) {
  for (const char* key : {"host", "plan", "url", "base_url", "level", "name", "format", "path",
                          "requests_per_minute", "user", "username", "port", ""}) {
    EXPECT_FALSE(is_secret_key(key)) << key;
  }
}

TEST(IsSecretField, KeepsIdentityFieldsReadableButHidesSecrets) {
  for (const char* name : {"key", "job_key", "parent_key", "cache_key"}) {
    EXPECT_FALSE(is_secret_field(name)) << name;
  }
  for (const char* name : {"api_key", "x-api-key", "token", "password", "keys"}) {
    EXPECT_TRUE(is_secret_field(name)) << name;
  }
}

TEST(RedactUrl, MasksThePasswordOnly) {
  EXPECT_EQ(redact_url("postgres://cardsync:hunter2@db.example:5432/cards"),
            "postgres://cardsync:***@db.example:5432/cards");
  EXPECT_EQ(redact_url("postgresql://u:pw@h"), "postgresql://u:***@h");
}

TEST(RedactUrl, PasswordContainingAtSignIsMaskedWhole) {
  EXPECT_EQ(redact_url("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
}

TEST(RedactUrl, UrlsWithoutPasswordAreUnchanged) {
  for (const char* url : {"https://api.justtcg.com/v1/cards?game=pokemon&page=2",
                          "postgres://cardsync@db.example/cards", "https://host:8443/path",
                          "sqlite:///var/lib/cardsync.db", "not a url"}) {
    EXPECT_EQ(redact_url(url), url);
  }
}

TEST(RedactUrl, MasksSecretQueryParametersButKeepsOthers) {
  EXPECT_EQ(redact_url("https://api.example/v1/cards?api_key=abc123&page=2"),
            "https://api.example/v1/cards?api_key=***&page=2");
  EXPECT_EQ(redact_url("https://api.example/x?page=1&token=t0k#frag"),
            "https://api.example/x?page=1&token=***#frag");
  EXPECT_EQ(redact_url("https://u:pw@api.example/x?access_token=zz"),
            "https://u:***@api.example/x?access_token=***");
}

TEST(RedactText, MasksEveryUrlInsideFreeText) {
  EXPECT_EQ(redact_text("connect to postgres://a:s3cret@h/db failed; retry https://x/y?token=t"),
            "connect to postgres://a:***@h/db failed; retry https://x/y?token=***");
  EXPECT_EQ(redact_text("url \"postgres://a:pw@h\" rejected"),
            "url \"postgres://a:***@h\" rejected");
}

TEST(RedactText, MasksSecretKeywordParameters) {
  // libpq keyword/value connection strings carry the password outside any URL.
  EXPECT_EQ(redact_text("host=db user=app password=hunter2 dbname=cards"),
            "host=db user=app password=*** dbname=cards");
  EXPECT_EQ(redact_text("host=db password='two words' port=5432"),
            "host=db password='***' port=5432");
  EXPECT_EQ(redact_text("api_key=abc"), "api_key=***");
}

TEST(RedactText, LeavesTextWithoutSecretsUnchanged) {
  for (const char* text : {"", "plain message", "page=2 limit=50", "a = b", "x=1;y=2",
                           "see https://example.com/docs", "ratio 3/4 @ 50% = fine"}) {
    EXPECT_EQ(redact_text(text), text);
  }
}

}  // namespace
}  // namespace cardsync
