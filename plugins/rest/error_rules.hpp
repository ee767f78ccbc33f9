#pragma once
// How a manifest reads answers: rules tried in order, each matching statuses and/or a body
// pointer (present, equal to a value, or containing text), deciding an action and a message
// template. No rule matching: 2xx is OK, 408/429/5xx RETRY, 401/403 FATAL, anything else
// PERMANENT. Compiled once; classify() is pure: thread-safe.

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "template.hpp"

namespace cardsync::rest {

enum class Action { ok, retry, permanent, fatal, empty, not_found, invalid };

struct Verdict {
  Action action = Action::ok;
  std::string message;  // empty for ok
};

class ErrorRules {
 public:
  // `spec` may be null (no rules).
  static ErrorRules parse(const rapidjson::Value* spec, const TemplateRules& rules,
                          Problems& problems, const std::string& pointer);
  // The first matching rule's verdict; `body` is null when the body is not JSON.
  std::optional<Verdict> match(int status, const rapidjson::Value* body, const Scope& scope) const;

 private:
  struct Rule {
    std::vector<int> statuses;
    std::optional<rapidjson::Pointer> pointer;
    std::shared_ptr<rapidjson::Document> equals;
    std::optional<std::string> contains;
    Action action = Action::permanent;
    Template message;
  };
  std::vector<Rule> rules_;
};

// The default reading of a status no rule matched.
Action default_action(int status);

}  // namespace cardsync::rest
