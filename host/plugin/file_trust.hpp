#pragma once
// Whether a plugin file may be loaded at all. dlopen() runs a library's constructors before
// any check of ours, so a file someone else could have planted or changed is refused before
// it is opened: the file (after resolving symlinks) and the directory holding it must be
// owned by root or by this process's user, and writable by neither group nor others.

#include <filesystem>
#include <optional>
#include <string>

namespace cardsync::plugin {

// nullopt when `path` may be loaded; otherwise why not, naming the file or directory and the
// remedy. `euid` is the user the process runs as (geteuid() in production).
std::optional<std::string> untrusted_reason(const std::filesystem::path& path, unsigned euid);

// The same for a directory of plugins (owner and permissions of the directory itself).
std::optional<std::string> untrusted_directory_reason(const std::filesystem::path& dir,
                                                      unsigned euid);

}  // namespace cardsync::plugin
