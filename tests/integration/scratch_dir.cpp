#include "integration/scratch_dir.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace cardsync::integration {

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = buf.data();
}

ScratchDir::~ScratchDir() {
  if (keep_) return;
  std::error_code ec;  // best effort: a leftover temp directory is not worth a crash
  std::filesystem::remove_all(path_, ec);
}

}  // namespace cardsync::integration
