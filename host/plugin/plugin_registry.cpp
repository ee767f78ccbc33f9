#include "plugin/plugin_registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <regex>
#include <system_error>

#include "plugin/file_trust.hpp"

namespace cardsync::plugin {

std::vector<std::string> Registry::load_directories(
    const std::vector<std::filesystem::path>& dirs) {
  static const std::regex plugin_file(R"(cardsync-(provider|storage)-[A-Za-z0-9_.-]+\.so)");
  std::vector<std::string> errors;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      errors.push_back(dir.string() +
                       ": plugin directory does not exist; fix plugin_dirs in the config");
      continue;
    }
    if (auto problem = untrusted_directory_reason(dir, ::geteuid())) {
      errors.push_back(*problem);
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (std::regex_match(entry.path().filename().string(), plugin_file)) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());  // deterministic: which duplicate wins is stable
    for (const auto& file : files) {
      try {
        load_file(file);
      } catch (const PluginError& e) {
        errors.emplace_back(e.what());
      }
    }
  }
  return errors;
}

std::shared_ptr<const Library> Registry::load_file(const std::filesystem::path& path) {
  auto lib = Library::open(path, host_);
  auto key = std::make_pair(lib->kind(), std::string(lib->name()));
  if (auto it = libs_.find(key); it != libs_.end()) {
    throw PluginError(path.string() + ": " + std::string(to_string(lib->kind())) + " plugin '" +
                      key.second + "' is already loaded from " + it->second->path().string() +
                      "; remove one of the two files or take one directory out of plugin_dirs");
  }
  lib->initialise();
  libs_.emplace(std::move(key), lib);
  return lib;
}

std::shared_ptr<const Library> Registry::find(Kind kind, const std::string& name) const {
  auto it = libs_.find({kind, name});
  return it == libs_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Library>> Registry::all() const {
  std::vector<std::shared_ptr<const Library>> out;
  out.reserve(libs_.size());
  for (const auto& [key, lib] : libs_) out.push_back(lib);
  return out;
}

}  // namespace cardsync::plugin
