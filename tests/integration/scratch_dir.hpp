#pragma once
// A fresh directory per test run (config, database, logs), removed afterwards unless the
// test failed, so a failure can be looked at.

#include <filesystem>
#include <string>

namespace cardsync::integration {

class ScratchDir {
 public:
  // Creates <temp>/<prefix>-XXXXXX. Throws std::system_error when it cannot.
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Leave the directory behind when this object goes away.
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace cardsync::integration
