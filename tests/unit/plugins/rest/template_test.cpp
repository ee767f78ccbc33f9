// Templates: what each source reads, filters, encoding, and the problems a manifest author
// sees for a bad placeholder.
#include "template.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TemplateRules rules() {
  TemplateRules r;
  r.config_names = {"api_key", "page_size", "base_url"};
  r.table_names = {"printing"};
  return r;
}

Template compile(const std::string& text, Problems& problems) {
  return Template(text, rules(), problems, "/t");
}

TEST(Template, ReadsConfigJobParentItemAndEntry) {
  const auto config = test::parse_jsonc(R"({"api_key": "k1", "page_size": 50})");
  const auto parent = test::parse_jsonc(R"({"name": "Set One"})");
  const auto item = test::parse_jsonc(R"({"id": 7, "set": {"id": "sv1"}, "tags": ["a", "b"]})");
  const auto entry = test::parse_jsonc(R"({"market": 1.5})");
  Scope s;
  s.config = &config;
  s.job_key = "sv1";
  s.parent = &parent;
  s.item = &item;
  s.entry = &entry;
  s.entry_key = "holofoil";
  Problems p;
  const Template t = compile(
      "{config.api_key}|{config.page_size}|{job.key}|{parent.name}|{item.id}|{item.set.id}|"
      "{item.tags.1}|{entry.key}|{entry.market}",
      p);
  ASSERT_TRUE(p.empty()) << p.summary();
  const auto r = t.render(s);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.text, "k1|50|sv1|Set One|7|sv1|b|holofoil|1.5");
}

TEST(Template, AnAbsentValueRendersEmptyAndIncomplete) {
  const auto item = test::parse_jsonc(R"({"id": "x", "rarity": null})");
  Scope s;
  s.item = &item;
  Problems p;
  const auto r = compile("{item.id}/{item.rarity}/{item.missing}", p).render(s);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.text, "x//");
}

TEST(Template, FiltersAndEncodingApplyToPlaceholdersOnly) {
  const auto item = test::parse_jsonc(R"({"name": " Blue & Gold ", "finish": "foil"})");
  Tables tables{{"printing", {{"foil", "Foil"}}}};
  Scope s;
  s.item = &item;
  s.tables = &tables;
  Problems p;
  EXPECT_EQ(compile("{item.name|trim|upper}", p).text(s), "BLUE & GOLD");
  EXPECT_EQ(compile("{item.finish|map:printing}-{item.name|trim|lower}", p).text(s),
            "Foil-blue & gold");
  EXPECT_EQ(compile("/sets/{item.name|trim}?x", p).render(s, true).text,
            "/sets/Blue%20%26%20Gold?x");
  EXPECT_EQ(compile("{{literal}}", p).text(s), "{literal}");
  const auto quoted = test::parse_jsonc(R"({"name": "Say \"hi\"\n"})");
  s.item = &quoted;
  EXPECT_EQ(compile(R"({{"q": "{item.name|json}"}})", p).text(s), R"({"q": "Say \"hi\"\n"})");
  EXPECT_TRUE(p.empty()) << p.summary();
}

TEST(Template, AnUndeclaredConfigValueIsAProblemWithCandidates) {
  Problems p;
  compile("{config.api_kye}", p);
  ASSERT_EQ(p.list().size(), 1U);
  EXPECT_EQ(p.list()[0].pointer, "/t");
  EXPECT_EQ(p.list()[0].found, "api_kye");
  EXPECT_EQ(p.list()[0].candidates.front(), "api_key");
  EXPECT_THAT(p.list()[0].message, HasSubstr("does not declare"));
}

TEST(Template, UnknownSourcesFiltersTablesAndBracesAreProblems) {
  Problems p;
  compile("{itme.id}", p);
  compile("{item.id|shout}", p);
  compile("{item.id|map:printings}", p);
  compile("{page.numbr}", p);
  compile("{item.id", p);
  compile("item}", p);
  ASSERT_EQ(p.list().size(), 6U) << p.summary();
  EXPECT_EQ(p.list()[0].candidates.front(), "item");
  EXPECT_EQ(p.list()[1].found, "shout");
  EXPECT_EQ(p.list()[2].candidates.front(), "printing");
  EXPECT_EQ(p.list()[3].candidates.front(), "number");
  EXPECT_THAT(p.list()[4].message, HasSubstr("unclosed"));
  EXPECT_THAT(p.list()[5].message, HasSubstr("unbalanced"));
}

}  // namespace
}  // namespace cardsync::rest
