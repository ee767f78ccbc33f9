// PluginStorage over the `memo` test storage: calls reach the plugin, an operation it does
// not offer comes back as a PERMANENT StorageError naming the storage and the operation, and
// only storage plugins are accepted.
#include "plugin/plugin_storage.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "plugin/plugin_registry.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::HasSubstr;

class PluginStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<Registry>(std::make_shared<HostServices>(HostServices::LogFn{}));
    ASSERT_TRUE(
        registry_->load_directories({std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) / "good"})
            .empty());
  }
  std::shared_ptr<Instance> create(Kind kind, const std::string& name, const char* config) {
    return Instance::create(registry_->find(kind, name), config);
  }

  std::unique_ptr<Registry> registry_;
};

TEST_F(PluginStorageTest, CallsReachThePlugin) {
  PluginStorage storage(create(Kind::storage, "memo", "{}"));
  EXPECT_NO_THROW(storage.migrate());
  EXPECT_EQ(storage.instance().library().name(), "memo");
  EXPECT_FALSE(storage.notifies_jobs());
  EXPECT_FALSE(storage.wait_for_jobs(0)) << "a storage that cannot notify leaves it to polling";
}

TEST_F(PluginStorageTest, AnOperationThePluginLacksIsAPermanentStorageError) {
  PluginStorage storage(create(Kind::storage, "memo", "{}"));
  try {
    storage.stats();
    FAIL() << "expected a StorageError";
  } catch (const queue::StorageError& e) {
    EXPECT_EQ(e.status(), CS_PERMANENT);
    EXPECT_THAT(e.what(), HasSubstr("storage 'memo' stats: "));
    EXPECT_THAT(e.what(), HasSubstr("not supported by this plugin"));
  }
}

TEST_F(PluginStorageTest, AProviderIsRefused) {
  try {
    PluginStorage storage(create(Kind::provider, "echo", R"({"channel":"c"})"));
    FAIL() << "expected a PluginError";
  } catch (const PluginError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not a storage plugin"));
  }
}

}  // namespace
}  // namespace cardsync::plugin
