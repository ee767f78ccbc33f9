#include "config/config_location.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <system_error>
#include <vector>

namespace cardsync::config {
namespace {

constexpr const char* kFileName = "cardsync.json";

struct Candidate {
  std::filesystem::path file;
  std::string where;  // how the place is described to the user
};

// $XDG_CONFIG_HOME when it is set to an absolute path (the XDG spec says to ignore a relative
// one), else $HOME/.config; nothing when neither is usable.
std::optional<Candidate> user_candidate(const EnvLookup& env) {
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    std::filesystem::path dir(*xdg);
    if (dir.is_absolute())
      return Candidate{dir / "cardsync" / kFileName, "$XDG_CONFIG_HOME/cardsync"};
  }
  if (auto home = env("HOME"); home && !home->empty()) {
    return Candidate{std::filesystem::path(*home) / ".config" / "cardsync" / kFileName,
                     "~/.config/cardsync"};
  }
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& items, const char* last_word) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(" ") + last_word + " " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

ConfigPlaces ConfigPlaces::of_this_process() {
  ConfigPlaces p;
  std::error_code ec;
  p.working_dir = std::filesystem::current_path(ec);
  p.system_dir = "/etc/cardsync";
  p.current_uid = ::geteuid();
  p.file_owner = [](const std::filesystem::path& file) -> std::optional<unsigned> {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return st.st_uid;
  };
  return p;
}

std::filesystem::path ConfigLocation::directory() const {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  return (ec ? file : absolute).parent_path();
}

std::variant<ConfigLocation, ConfigLookupFailure> locate_config(
    const std::optional<std::filesystem::path>& flag, const EnvLookup& env,
    const ConfigPlaces& places) {
  // A file the user named is used as named; reading it reports it when it is missing.
  if (flag) return ConfigLocation{*flag, "given by --config"};
  if (auto from_env = env("CARDSYNC_CONFIG"); from_env && !from_env->empty()) {
    return ConfigLocation{std::filesystem::path(*from_env), "given by $CARDSYNC_CONFIG"};
  }

  std::vector<std::string> passed = {"--config", "$CARDSYNC_CONFIG"};
  const auto local = places.working_dir / kFileName;
  if (auto owner = places.file_owner(local)) {
    // Whoever can write the config decides which plugins this process loads, so a file
    // merely lying in the working directory must be one this user or root put there.
    if (*owner != 0 && *owner != places.current_uid) {
      return ConfigLookupFailure{
          local.string() + " is owned by uid " + std::to_string(*owner) + ", neither you (uid " +
          std::to_string(places.current_uid) +
          ") nor root: cardsync does not pick up a config another user can change; name it "
          "with --config or $CARDSYNC_CONFIG if you trust it"};
    }
    return ConfigLocation{local, "found in the working directory; no " + joined(passed, "or")};
  }
  passed.emplace_back("./" + std::string(kFileName));

  std::vector<std::string> looked = {local.string()};
  if (auto user = user_candidate(env)) {
    looked.push_back(user->file.string());
    if (places.file_owner(user->file)) {
      return ConfigLocation{user->file, "found at " + user->where + "; no " + joined(passed, "or")};
    }
    passed.push_back(user->where + "/" + kFileName);
  }
  const auto system = places.system_dir / kFileName;
  looked.push_back(system.string());
  if (places.file_owner(system)) {
    return ConfigLocation{
        system, "found at " + places.system_dir.string() + "; no " + joined(passed, "or")};
  }
  return ConfigLookupFailure{
      "no config file: none given by --config or $CARDSYNC_CONFIG, and none at " +
      joined(looked, "or") +
      "; copy cardsync.example.json (shipped in share/cardsync/, and in config/ of the source) "
      "to one of these and edit it"};
}

}  // namespace cardsync::config
