#include "plugin/plugin_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "plugin/plugin_instance.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::filesystem::path kRoot = CARDSYNC_TEST_PLUGIN_ROOT;

std::shared_ptr<HostServices> host() {
  return std::make_shared<HostServices>(HostServices::LogFn{});
}

std::string load_error(const std::string& dir) {
  Registry reg(host());
  auto errors = reg.load_directories({kRoot / dir});
  EXPECT_THAT(errors, SizeIs(1));
  EXPECT_TRUE(reg.all().empty());
  return errors.empty() ? "" : errors.front();
}

TEST(PluginRegistry, GoodPluginsLoadAndAreListed) {
  Registry reg(host());
  auto errors = reg.load_directories({kRoot / "good"});
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front());
  auto all = reg.all();
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0]->kind(), Kind::provider);
  EXPECT_EQ(all[0]->name(), "echo");
  EXPECT_EQ(all[0]->version(), "1.2.3");
  EXPECT_EQ(all[0]->descriptor().abi_major, CS_ABI_MAJOR);
  EXPECT_EQ(all[0]->path(), kRoot / "good" / "cardsync-provider-echo.so");
  EXPECT_EQ(std::string(all[0]->provider()->service), "echo");
  EXPECT_EQ(all[1]->kind(), Kind::storage);
  EXPECT_EQ(all[1]->name(), "memo");
  EXPECT_NE(all[1]->storage(), nullptr);
  EXPECT_EQ(all[1]->provider(), nullptr);
  EXPECT_EQ(reg.find(Kind::provider, "echo"), all[0]);
  EXPECT_EQ(reg.find(Kind::storage, "echo"), nullptr);
}

const std::string kHostAbi = std::to_string(CS_ABI_MAJOR) + "." + std::to_string(CS_ABI_MINOR);

TEST(PluginRegistry, WrongMajorIsRefusedNamingBothVersions) {
  std::string e = load_error("wrong_major");
  EXPECT_THAT(e, AllOf(HasSubstr("cardsync-provider-wrong_major.so"), HasSubstr("ABI 2.0"),
                       HasSubstr("this host speaks " + kHostAbi), HasSubstr("rebuild the plugin")));
}

TEST(PluginRegistry, NewerMinorIsRefusedNamingBothVersions) {
  std::string e = load_error("newer_minor");
  EXPECT_THAT(
      e, AllOf(HasSubstr("cardsync-provider-newer_minor.so"),
               HasSubstr("ABI 1." + std::to_string(CS_ABI_MINOR + 1)),
               HasSubstr("newer than this host's " + kHostAbi), HasSubstr("upgrade cardsync")));
}

TEST(PluginRegistry, MissingQuerySymbolIsRefused) {
  std::string e = load_error("missing_symbol");
  EXPECT_THAT(e, AllOf(HasSubstr("cardsync-provider-missing_symbol.so"),
                       HasSubstr("does not export 'cardsync_plugin_query'"),
                       HasSubstr("CARDSYNC_EXPORT_PLUGIN")));
}

TEST(PluginRegistry, ThrowingInitIsRefusedWithItsMessage) {
  std::string e = load_error("throwing_init");
  EXPECT_THAT(
      e, AllOf(HasSubstr("cardsync-provider-throwing_init.so"), HasSubstr("failed to initialise"),
               HasSubstr("cannot reach the license server")));
}

TEST(PluginRegistry, DuplicateNameIsRefusedNamingBothFiles) {
  Registry reg(host());
  auto errors = reg.load_directories({kRoot / "good", kRoot / "duplicate"});
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], AllOf(HasSubstr((kRoot / "duplicate").string()),
                               HasSubstr("provider plugin 'echo' is already loaded from"),
                               HasSubstr((kRoot / "good").string())));
  EXPECT_THAT(reg.all(), SizeIs(2));  // the first one stays usable
}

TEST(PluginRegistry, MissingDirectoryIsReported) {
  Registry reg(host());
  auto errors = reg.load_directories({kRoot / "no-such-dir"});
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], HasSubstr("plugin directory does not exist"));
}

TEST(PluginRegistry, BadFileNameIsRefused) {
  Registry reg(host());
  EXPECT_THROW(
      {
        try {
          reg.load_file(kRoot / "good" / "libsomething.so");
        } catch (const PluginError& e) {
          EXPECT_THAT(e.what(), HasSubstr("expected cardsync-<provider|storage>-<name>.so"));
          throw;
        }
      },
      PluginError);
}

TEST(PluginRegistry, LibraryOutlivesRegistryWhileAnInstanceLives) {
  std::unique_ptr<Instance> inst;
  {
    Registry reg(host());
    ASSERT_TRUE(reg.load_directories({kRoot / "good"}).empty());
    inst = Instance::create(reg.find(Kind::provider, "echo"), R"({"prefix":"x"})");
  }
  // The registry is gone; the instance still calls into mapped code.
  EXPECT_EQ(inst->library().name(), "echo");
  EXPECT_EQ(std::string(inst->library().provider()->job_types[0]), "echo.say");
}

TEST(PluginRegistry, FailingCreateNamesPluginAndMessage) {
  Registry reg(host());
  ASSERT_TRUE(reg.load_directories({kRoot / "good"}).empty());
  try {
    Instance::create(reg.find(Kind::provider, "echo"), R"({"prefix":"refuse"})");
    FAIL() << "create should fail";
  } catch (const PluginError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("provider plugin 'echo'"),
                                HasSubstr("prefix 'refuse' is not allowed")));
  }
}

}  // namespace
}  // namespace cardsync::plugin
