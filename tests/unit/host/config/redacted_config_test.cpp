#include "config/redacted_config.hpp"

#include <gtest/gtest.h>

#include "config/pretty_json.hpp"

namespace cardsync::config {
namespace {

rapidjson::Document json(const char* text) {
  rapidjson::Document doc;
  doc.Parse(text);
  EXPECT_FALSE(doc.HasParseError());
  return doc;
}

constexpr const char* kConfig = R"({
  "plugin_dirs": ["/usr/lib/cardsync"],
  "log": {"level": "info", "format": "json"},
  "providers": {
    "justtcg": {"api_key": "tcg_live_AAAA", "plan": "starter", "requests_per_minute": 30,
                "base_url": "https://api.justtcg.com/v1?page=2"},
    "psa": {"token": "psa-BBBB", "auth": {"client_secret": "CCCC", "client_id": "shop-1",
            "refresh_tokens": ["DDDD", "EEEE"]}},
    "other": {"password": 424242, "secrets": {"x": "FFFF"}, "apiKey": null, "token": ""}
  },
  "storage": {
    "postgres": {"url": "postgres://cardsync:GGGG@db.example:5432/cards",
                 "fallback": "host=db user=cardsync password=HHHH dbname=cards",
                 "mirror": "https://api.example/x?access_token=IIII&page=1"}
  }
})";

TEST(Redacted, HidesEverySecret) {
  const std::string shown = to_pretty_json(redacted(json(kConfig)));
  for (const char* secret : {"tcg_live_AAAA", "psa-BBBB", "CCCC", "DDDD", "EEEE", "424242", "FFFF",
                             "GGGG", "HHHH", "IIII"}) {
    EXPECT_EQ(shown.find(secret), std::string::npos) << secret << " leaked in\n" << shown;
  }
}

TEST(Redacted, ReplacesSecretValuesWithStarsAndKeepsTheirKeys) {
  const auto doc = redacted(json(kConfig));
  EXPECT_STREQ(doc["providers"]["justtcg"]["api_key"].GetString(), "***");
  EXPECT_STREQ(doc["providers"]["psa"]["token"].GetString(), "***");
  EXPECT_STREQ(doc["providers"]["psa"]["auth"]["client_secret"].GetString(), "***");
  EXPECT_STREQ(doc["providers"]["psa"]["auth"]["refresh_tokens"].GetString(), "***");
  EXPECT_STREQ(doc["providers"]["other"]["password"].GetString(), "***");
  EXPECT_STREQ(doc["providers"]["other"]["secrets"].GetString(), "***");
  // Unset secrets reveal nothing and showing them tells the reader they are unset.
  EXPECT_TRUE(doc["providers"]["other"]["apiKey"].IsNull());
  EXPECT_STREQ(doc["providers"]["other"]["token"].GetString(), "");
  EXPECT_EQ(std::string(doc["storage"]["postgres"]["url"].GetString()),
            "postgres://cardsync:***@db.example:5432/cards");
  EXPECT_EQ(std::string(doc["storage"]["postgres"]["fallback"].GetString()),
            "host=db user=cardsync password=*** dbname=cards");
  EXPECT_EQ(std::string(doc["storage"]["postgres"]["mirror"].GetString()),
            "https://api.example/x?access_token=***&page=1");
}

TEST(Redacted, NeverHidesNonSecrets) {
  const auto original = json(kConfig);
  const auto doc = redacted(original);
  EXPECT_EQ(doc["plugin_dirs"], original["plugin_dirs"]);
  EXPECT_EQ(doc["log"], original["log"]);
  const auto& justtcg = doc["providers"]["justtcg"];
  EXPECT_STREQ(justtcg["plan"].GetString(), "starter");
  EXPECT_EQ(justtcg["requests_per_minute"].GetInt(), 30);
  EXPECT_STREQ(justtcg["base_url"].GetString(), "https://api.justtcg.com/v1?page=2");
  EXPECT_STREQ(doc["providers"]["psa"]["auth"]["client_id"].GetString(), "shop-1");
  EXPECT_EQ(doc.MemberCount(), original.MemberCount());
}

TEST(Redacted, LeavesTheOriginalUntouched) {
  const auto original = json(kConfig);
  (void)redacted(original);
  EXPECT_STREQ(original["providers"]["justtcg"]["api_key"].GetString(), "tcg_live_AAAA");
}

TEST(ToPrettyJson, IndentsWithTwoSpaces) {
  EXPECT_EQ(to_pretty_json(json(R"({"a":[1,2],"b":{"c":"d"}})")),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}");
}

}  // namespace
}  // namespace cardsync::config
