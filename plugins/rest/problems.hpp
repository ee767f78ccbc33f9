#pragma once
// What is wrong with a manifest beyond its JSON Schema, collected rather than thrown so that
// `cardsync manifest check` shows every problem at once. Each problem names the JSON pointer
// of the offending value and, when a name was not one of a known set, what was found and
// the names it could have meant (the host turns those into "did you mean").

#include <cardsync/validation.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cardsync::rest {

struct Problem {
  std::string pointer;
  std::string message;
  std::string found;
  std::vector<std::string> candidates;
};

class Problems {
 public:
  void add(std::string pointer, std::string message, std::string found = {},
           std::vector<std::string> candidates = {}) {
    list_.push_back(
        {std::move(pointer), std::move(message), std::move(found), std::move(candidates)});
  }
  bool empty() const { return list_.empty(); }
  const std::vector<Problem>& list() const { return list_; }
  // "<pointer>: <message>" for each problem, one a line: the message create() fails with.
  std::string summary() const;

 private:
  std::vector<Problem> list_;
};

// One JSON Pointer token: the SDK's.
using sdk::pointer_token;

}  // namespace cardsync::rest
