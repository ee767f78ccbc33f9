#pragma once
// Every plugin library found in the configured directories, at most one per (kind, name).

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugin/plugin_library.hpp"

namespace cardsync::plugin {

class Registry {
 public:
  explicit Registry(std::shared_ptr<HostServices> host) : host_(std::move(host)) {}

  // Loads every cardsync-<kind>-<name>.so in `dirs`, in order. Each unusable file gives one
  // message (naming the file, the problem and the remedy); good files still load. A missing
  // directory is an error too, and so is a directory or file someone else could have planted
  // (file_trust.hpp): it is refused before it is opened. Not thread-safe: call during start-up.
  std::vector<std::string> load_directories(const std::vector<std::filesystem::path>& dirs);
  // Loads one file; throws PluginError (also for a duplicate name or an untrusted file).
  std::shared_ptr<const Library> load_file(const std::filesystem::path& path);

  // nullptr when absent. Thread-safe after start-up.
  std::shared_ptr<const Library> find(Kind kind, const std::string& name) const;
  // Sorted by kind, then name.
  std::vector<std::shared_ptr<const Library>> all() const;

 private:
  std::shared_ptr<HostServices> host_;
  std::map<std::pair<Kind, std::string>, std::shared_ptr<const Library>> libs_;
};

}  // namespace cardsync::plugin
