// A plugin file anyone but root or this user could have planted or changed is refused before
// it is opened (its constructors would run as this process).

#include "plugin/file_trust.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plugin/plugin_registry.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace fs = std::filesystem;
using perms = fs::perms;

const fs::path kGood = fs::path(CARDSYNC_TEST_PLUGIN_ROOT) / "good" / "cardsync-provider-echo.so";

class FileTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("cardsync-file-trust-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "plugins");
    fs::permissions(root_, perms::owner_all | perms::group_read | perms::group_exec |
                               perms::others_read | perms::others_exec);
    fs::permissions(root_ / "plugins", perms::owner_all | perms::group_read | perms::group_exec |
                                           perms::others_read | perms::others_exec);
    plugin_ = root_ / "plugins" / kGood.filename();
    fs::copy_file(kGood, plugin_);
    fs::permissions(plugin_, perms::owner_all | perms::group_read | perms::others_read);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::vector<std::string> load(const fs::path& dir) {
    Registry registry(std::make_shared<HostServices>(HostServices::LogFn{}));
    auto errors = registry.load_directories({dir});
    loaded_ = registry.all().size();
    return errors;
  }

  fs::path root_;
  fs::path plugin_;
  std::size_t loaded_ = 0;
};

TEST_F(FileTrustTest, AFileOwnedByThisUserInAPrivateDirectoryLoads) {
  EXPECT_THAT(load(root_ / "plugins"), SizeIs(0));
  EXPECT_EQ(loaded_, 1u);
}

TEST_F(FileTrustTest, AWorldWritableDirectoryIsRefusedBeforeAnythingInItIsOpened) {
  fs::permissions(root_ / "plugins", perms::all);
  const auto errors = load(root_ / "plugins");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], AllOf(HasSubstr("plugin directory is writable by group or others"),
                               HasSubstr("chmod go-w")));
  EXPECT_EQ(loaded_, 0u);
}

TEST_F(FileTrustTest, AGroupWritableFileIsRefused) {
  fs::permissions(plugin_, perms::group_write, fs::perm_options::add);
  const auto errors = load(root_ / "plugins");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], AllOf(HasSubstr(plugin_.string()),
                               HasSubstr("plugin file is writable by group or others")));
  EXPECT_EQ(loaded_, 0u);
}

TEST_F(FileTrustTest, ASymlinkIsJudgedByItsTarget) {
  fs::create_directories(root_ / "drop");
  fs::permissions(root_ / "drop", perms::all);  // like /tmp without the sticky bit
  fs::copy_file(kGood, root_ / "drop" / "planted.so");
  fs::create_directories(root_ / "linked");
  fs::permissions(root_ / "linked", perms::owner_all | perms::group_read | perms::group_exec |
                                        perms::others_read | perms::others_exec);
  fs::create_symlink(root_ / "drop" / "planted.so", root_ / "linked" / kGood.filename());
  const auto errors = load(root_ / "linked");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], HasSubstr("directory holding the plugin file is writable"));
  EXPECT_EQ(loaded_, 0u);
}

TEST_F(FileTrustTest, AFileOwnedByAnotherUserIsRefused) {
  // Giving a file away needs root, which CI's test run is.
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown the file";
  ASSERT_EQ(::chown(plugin_.c_str(), 4242, 4242), 0);
  const auto errors = load(root_ / "plugins");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], AllOf(HasSubstr("owned by user 4242"), HasSubstr("chown")));
  EXPECT_EQ(loaded_, 0u);
  EXPECT_EQ(untrusted_reason(plugin_, 4242), std::nullopt) << "its owner may load it";
}

}  // namespace
}  // namespace cardsync::plugin
