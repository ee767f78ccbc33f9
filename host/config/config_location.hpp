#pragma once
// Which config file a command reads, and why that one: `--config`, then `$CARDSYNC_CONFIG`,
// then ./cardsync.json, then $XDG_CONFIG_HOME/cardsync/cardsync.json (~/.config when unset),
// then /etc/cardsync/cardsync.json. A service and a shell in $HOME then read the same file
// unless one of them is told otherwise, and the answer says which rule picked it.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "config/env_lookup.hpp"

namespace cardsync::config {

// The parts of the machine the lookup reads; tests substitute their own.
struct ConfigPlaces {
  std::filesystem::path working_dir;  // where ./cardsync.json is looked for
  std::filesystem::path system_dir;   // /etc/cardsync
  unsigned current_uid = 0;
  // The owner of a regular file, or nullopt when there is none at that path.
  std::function<std::optional<unsigned>(const std::filesystem::path&)> file_owner;

  // This process's working directory and uid, /etc/cardsync, and stat(2).
  static ConfigPlaces of_this_process();
};

struct ConfigLocation {
  std::filesystem::path file;  // as named on the command line or in the variable, else absolute
  std::string why;             // e.g. "given by --config"
  // The directory relative paths inside the file are resolved against.
  std::filesystem::path directory() const;
};

// The printable reason no file could be used (nothing found, or a ./cardsync.json that
// another user owns), naming every place that was looked at.
struct ConfigLookupFailure {
  std::string message;
};

std::variant<ConfigLocation, ConfigLookupFailure> locate_config(
    const std::optional<std::filesystem::path>& flag, const EnvLookup& env,
    const ConfigPlaces& places);

}  // namespace cardsync::config
