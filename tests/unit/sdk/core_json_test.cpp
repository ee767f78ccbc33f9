// sdk::JsonObject: every canonical field written once, absent values as null, cursors
// carrying only what is known.
#include <gtest/gtest.h>

#include <cardsync/core_json.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace cardsync::sdk {
namespace {

TEST(SdkJsonObject, AbsentValuesBecomeNull) {
  rapidjson::Document item;
  item.Parse(R"({"name": "Pikachu", "rarity": null, "n": 3})");
  const std::string core = JsonObject()
                               .text("name", &item["name"])
                               .text("rarity", &item["rarity"])
                               .text("number", &item["n"])  // not a string
                               .text("game", std::nullopt)
                               .text("set", "Base \"1\"")
                               .integer("count", 12)
                               .integer("sets", std::nullopt)
                               .number("grade", 9.5)
                               .boolean("flag", false)
                               .null("sku")
                               .str();
  EXPECT_EQ(core, R"({"name":"Pikachu","rarity":null,"number":null,"game":null,"set":"Base \"1\"",)"
                  R"("count":12,"sets":null,"grade":9.5,"flag":false,"sku":null})");
}

TEST(SdkJsonObject, OptionalKeysAndNestedJson) {
  EXPECT_EQ(JsonObject().integer_if("offset", std::nullopt).text_if("next", std::nullopt).str(),
            "{}");
  EXPECT_EQ(JsonObject()
                .integer_if("offset", 40)
                .text_if("next", "/p2")
                .strings("games", {"a", "b"})
                .raw("lookups", R"([{"cardId":"x"}])", rapidjson::kArrayType)
                .str(),
            R"({"offset":40,"next":"/p2","games":["a","b"],"lookups":[{"cardId":"x"}]})");
}

}  // namespace
}  // namespace cardsync::sdk
