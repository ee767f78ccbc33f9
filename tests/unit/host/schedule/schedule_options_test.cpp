// The provider host key `schedule` read into options.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "schedule/schedule_options.hpp"

namespace cardsync::schedule {
namespace {

TEST(ScheduleOptionsTest, ReadsTheProviderHostKey) {
  rapidjson::Document d;
  d.Parse(R"({"every_seconds":900,"on_start":false})");
  auto o = read_schedule_options(&d);
  EXPECT_EQ(o.every, std::chrono::seconds(900));
  EXPECT_FALSE(o.on_start);
  EXPECT_EQ(read_schedule_options(nullptr).every, std::chrono::seconds(0));
}

TEST(ScheduleOptionsTest, TheSchemaIsEmbedded) {
  rapidjson::Document d;
  const auto text = schedule_section_schema();
  d.Parse(text.data(), text.size());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_TRUE(d["properties"].HasMember("every_seconds"));
}

}  // namespace
}  // namespace cardsync::schedule
