// sdk::quarantine_if_invalid: a bad item is handed to the host's quarantine with the rule, the
// path and its bytes as received; a good one passes untouched.
#include <gtest/gtest.h>

#include <cardsync/quarantine.hpp>

#include <string>
#include <vector>

namespace cardsync::sdk {
namespace {

struct Rejected {
  std::string reason, path, raw;
};

std::vector<Rejected>* g_rejects = nullptr;

void on_reject(cs_emit* /*e*/, cs_str reason, cs_str path, cs_str raw) {
  g_rejects->push_back(
      {std::string(view(reason)), std::string(view(path)), std::string(view(raw))});
}

TEST(SdkQuarantine, BadItemsAreRejectedWithTheirBytesAndGoodOnesPass) {
  std::vector<Rejected> rejects;
  g_rejects = &rejects;
  cs_emit_api api{};
  api.reject = &on_reject;
  const Emitter out(&api, nullptr);
  const ItemSchema schema(R"({"type":"object","required":["id"],
                             "properties":{"id":{"type":"string"}}})");
  const std::string text = R"([{"id": "a"}, {"name":  "no id"}, {"v": [{"id": 7}]}])";
  const ParsedBody body(text);
  ASSERT_TRUE(body.ok());

  EXPECT_FALSE(quarantine_if_invalid(schema, body.root()[0], body, out));
  auto bad = quarantine_if_invalid(schema, body.root()[1], body, out);
  ASSERT_TRUE(bad);
  const rapidjson::Value& outer = body.root()[2];
  EXPECT_TRUE(quarantine_if_invalid(schema, outer["v"][0], body, out, "/v/0", &outer));

  ASSERT_EQ(rejects.size(), 2U);
  EXPECT_EQ(rejects[0].path, "/id");
  EXPECT_EQ(rejects[0].reason, bad->reason);
  EXPECT_EQ(rejects[0].raw, R"({"name":  "no id"})");  // as received, spaces and all
  EXPECT_EQ(rejects[1].path, "/v/0/id");
  EXPECT_EQ(rejects[1].raw, R"({"v": [{"id": 7}]})");  // the enclosing item
  g_rejects = nullptr;
}

}  // namespace
}  // namespace cardsync::sdk
