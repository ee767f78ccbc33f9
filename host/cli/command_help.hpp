#pragma once
// Each command's own `--help` (`cardsync queue --help`): its usage, one line on what it does,
// and its options, instead of the whole global help.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::cli {

// The help of `command` (a command word as typed: "queue", "token"...); nullopt for a word
// that is no command. `args` are the words after it: `cardsync <provider> lookup --help` is the
// help of `lookup`.
std::optional<std::string> command_help(std::string_view command,
                                        const std::vector<std::string>& args);

}  // namespace cardsync::cli
