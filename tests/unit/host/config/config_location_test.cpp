// Which config file is read, and the reason given for it, on an injected machine: the files
// that exist and their owners are a map, so every rule of the lookup order is exercised
// without touching the real /etc or $HOME.
#include "config/config_location.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "fake_env.hpp"

namespace cardsync::config {
namespace {

using fixtures::fake_env;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr unsigned kMe = 1000;

class ConfigLookup : public ::testing::Test {
 protected:
  ConfigPlaces places() {
    ConfigPlaces p;
    p.working_dir = "/work/shop";
    p.system_dir = "/etc/cardsync";
    p.current_uid = kMe;
    p.file_owner = [this](const std::filesystem::path& f) -> std::optional<unsigned> {
      auto it = files_.find(f.string());
      if (it == files_.end()) return std::nullopt;
      return it->second;
    };
    return p;
  }
  std::variant<ConfigLocation, ConfigLookupFailure> locate(
      std::map<std::string, std::string, std::less<>> env,
      const std::optional<std::filesystem::path>& flag = std::nullopt) {
    return locate_config(flag, fake_env(std::move(env)), places());
  }
  static ConfigLocation found(const std::variant<ConfigLocation, ConfigLookupFailure>& r) {
    if (const auto* f = std::get_if<ConfigLookupFailure>(&r)) {
      ADD_FAILURE() << f->message;
      return {};
    }
    return std::get<ConfigLocation>(r);
  }
  static std::string failure(const std::variant<ConfigLocation, ConfigLookupFailure>& r) {
    if (const auto* l = std::get_if<ConfigLocation>(&r)) {
      ADD_FAILURE() << "unexpectedly found " << l->file;
      return {};
    }
    return std::get<ConfigLookupFailure>(r).message;
  }

  std::map<std::string, unsigned> files_;  // path -> owner uid
};

TEST_F(ConfigLookup, FlagWinsOverEverythingElse) {
  files_ = {{"/work/shop/cardsync.json", kMe}, {"/etc/cardsync/cardsync.json", 0}};
  auto l = found(locate({{"CARDSYNC_CONFIG", "/srv/env.json"}}, "mine.json"));
  EXPECT_EQ(l.file, "mine.json");
  EXPECT_EQ(l.why, "given by --config");
}

TEST_F(ConfigLookup, VariableWinsOverTheWorkingDirectory) {
  files_ = {{"/work/shop/cardsync.json", kMe}};
  auto l = found(locate({{"CARDSYNC_CONFIG", "/srv/env.json"}, {"HOME", "/home/me"}}));
  EXPECT_EQ(l.file, "/srv/env.json");
  EXPECT_EQ(l.why, "given by $CARDSYNC_CONFIG");
}

TEST_F(ConfigLookup, AnEmptyVariableIsUnset) {
  files_ = {{"/work/shop/cardsync.json", kMe}};
  EXPECT_EQ(found(locate({{"CARDSYNC_CONFIG", ""}})).file, "/work/shop/cardsync.json");
}

TEST_F(ConfigLookup, WorkingDirectoryBeforeUserAndSystem) {
  files_ = {{"/work/shop/cardsync.json", kMe},
            {"/home/me/.config/cardsync/cardsync.json", kMe},
            {"/etc/cardsync/cardsync.json", 0}};
  auto l = found(locate({{"HOME", "/home/me"}}));
  EXPECT_EQ(l.file, "/work/shop/cardsync.json");
  EXPECT_EQ(l.why, "found in the working directory; no --config or $CARDSYNC_CONFIG");
  EXPECT_EQ(l.directory(), "/work/shop");
}

TEST_F(ConfigLookup, RootOwnedFileInTheWorkingDirectoryIsUsed) {
  files_ = {{"/work/shop/cardsync.json", 0}};
  EXPECT_EQ(found(locate({})).file, "/work/shop/cardsync.json");
}

TEST_F(ConfigLookup, AnotherUsersFileInTheWorkingDirectoryIsRefused) {
  files_ = {{"/work/shop/cardsync.json", 4242}, {"/etc/cardsync/cardsync.json", 0}};
  EXPECT_THAT(failure(locate({})), AllOf(HasSubstr("/work/shop/cardsync.json"),
                                         HasSubstr("uid 4242"), HasSubstr("--config")));
}

TEST_F(ConfigLookup, AnotherUsersFileIsUsedWhenNamed) {
  files_ = {{"/work/shop/cardsync.json", 4242}};
  EXPECT_EQ(found(locate({}, "/work/shop/cardsync.json")).file, "/work/shop/cardsync.json");
}

TEST_F(ConfigLookup, XdgConfigHomeBeforeHomeAndSystem) {
  files_ = {{"/xdg/cardsync/cardsync.json", kMe},
            {"/home/me/.config/cardsync/cardsync.json", kMe},
            {"/etc/cardsync/cardsync.json", 0}};
  auto l = found(locate({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/me"}}));
  EXPECT_EQ(l.file, "/xdg/cardsync/cardsync.json");
  EXPECT_EQ(l.why,
            "found at $XDG_CONFIG_HOME/cardsync; no --config, $CARDSYNC_CONFIG or ./cardsync.json");
}

TEST_F(ConfigLookup, HomeConfigWhenXdgIsUnsetOrRelative) {
  files_ = {{"/home/me/.config/cardsync/cardsync.json", kMe}};
  auto l = found(locate({{"XDG_CONFIG_HOME", "relative"}, {"HOME", "/home/me"}}));
  EXPECT_EQ(l.file, "/home/me/.config/cardsync/cardsync.json");
  EXPECT_EQ(l.why, "found at ~/.config/cardsync; no --config, $CARDSYNC_CONFIG or ./cardsync.json");
}

TEST_F(ConfigLookup, SystemFileLast) {
  files_ = {{"/etc/cardsync/cardsync.json", 0}};
  auto l = found(locate({{"HOME", "/home/me"}}));
  EXPECT_EQ(l.file, "/etc/cardsync/cardsync.json");
  EXPECT_EQ(l.why,
            "found at /etc/cardsync; no --config, $CARDSYNC_CONFIG, ./cardsync.json or "
            "~/.config/cardsync/cardsync.json");
  EXPECT_EQ(l.directory(), "/etc/cardsync");
}

TEST_F(ConfigLookup, SystemFileWithoutAnyHome) {
  files_ = {{"/etc/cardsync/cardsync.json", 0}};
  EXPECT_EQ(found(locate({})).why,
            "found at /etc/cardsync; no --config, $CARDSYNC_CONFIG or ./cardsync.json");
}

TEST_F(ConfigLookup, NothingFoundNamesEveryPlaceLookedAt) {
  EXPECT_THAT(failure(locate({{"XDG_CONFIG_HOME", "/xdg"}})),
              AllOf(HasSubstr("--config"), HasSubstr("$CARDSYNC_CONFIG"),
                    HasSubstr("/work/shop/cardsync.json"), HasSubstr("/xdg/cardsync/cardsync.json"),
                    HasSubstr("/etc/cardsync/cardsync.json"), HasSubstr("cardsync.example.json")));
}

TEST(ConfigLocation, RelativeFlagResolvesAgainstTheWorkingDirectory) {
  const ConfigLocation l{"conf/cardsync.json", "given by --config"};
  EXPECT_EQ(l.directory(), std::filesystem::current_path() / "conf");
}

}  // namespace
}  // namespace cardsync::config
