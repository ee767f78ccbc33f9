#include "plugin/file_trust.hpp"

#include <sys/stat.h>

#include <system_error>

namespace cardsync::plugin {
namespace {

std::optional<std::string> check(const std::filesystem::path& path, const char* what,
                                 unsigned euid) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return path.string() + ": cannot inspect the " + what + " before loading a plugin from it";
  }
  if (st.st_uid != 0 && st.st_uid != euid) {
    return path.string() + ": the " + what + " is owned by user " + std::to_string(st.st_uid) +
           ", neither root nor this process's user " + std::to_string(euid) +
           "; a plugin runs as this process, so only a file you or root own is loaded (chown it)";
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return path.string() + ": the " + what +
           " is writable by group or others, so anyone could replace the plugin; chmod go-w it";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> untrusted_reason(const std::filesystem::path& path, unsigned euid) {
  std::error_code ec;
  const auto target = std::filesystem::canonical(path, ec);
  if (ec) return path.string() + ": cannot resolve the plugin file: " + ec.message();
  if (auto problem = check(target, "plugin file", euid)) return problem;
  return check(target.parent_path(), "directory holding the plugin file", euid);
}

std::optional<std::string> untrusted_directory_reason(const std::filesystem::path& dir,
                                                      unsigned euid) {
  std::error_code ec;
  const auto target = std::filesystem::canonical(dir, ec);
  if (ec) return dir.string() + ": cannot resolve the plugin directory: " + ec.message();
  return check(target, "plugin directory", euid);
}

}  // namespace cardsync::plugin
