#include "error_rules.hpp"

#include <algorithm>
#include <set>

#include "value_spec.hpp"

namespace cardsync::rest {
namespace {

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<Action> action_named(std::string_view name) {
  if (name == "ok") return Action::ok;
  if (name == "retry") return Action::retry;
  if (name == "permanent") return Action::permanent;
  if (name == "fatal") return Action::fatal;
  if (name == "empty") return Action::empty;
  if (name == "not_found") return Action::not_found;
  if (name == "invalid") return Action::invalid;
  return std::nullopt;
}

}  // namespace

Action default_action(int status) {
  if (status >= 200 && status <= 299) return Action::ok;
  if (status == 408 || status == 429 || status >= 500) return Action::retry;
  if (status == 401 || status == 403) return Action::fatal;
  return Action::permanent;
}

ErrorRules ErrorRules::parse(const rapidjson::Value* spec, const TemplateRules& rules,
                             Problems& problems, const std::string& pointer) {
  ErrorRules out;
  if (spec == nullptr || !spec->IsArray()) return out;
  for (rapidjson::SizeType i = 0; i < spec->Size(); ++i) {
    const rapidjson::Value& r = (*spec)[i];
    const std::string at = pointer + "/" + std::to_string(i);
    if (!r.IsObject()) continue;
    Rule rule;
    if (const auto* v = member(r, "status"); v != nullptr && v->IsArray()) {
      for (const auto& s : v->GetArray()) {
        if (s.IsInt()) rule.statuses.push_back(s.GetInt());
      }
    }
    if (const auto* v = member(r, "pointer"); v != nullptr && v->IsString()) {
      if (check_pointer({v->GetString(), v->GetStringLength()}, problems, at + "/pointer")) {
        rule.pointer.emplace(v->GetString(), v->GetStringLength());
      }
    }
    if (const auto* v = member(r, "equals")) {
      rule.equals = std::make_shared<rapidjson::Document>();
      rule.equals->CopyFrom(*v, rule.equals->GetAllocator());
    }
    if (const auto* v = member(r, "contains"); v != nullptr && v->IsString()) {
      rule.contains = v->GetString();
    }
    if ((rule.equals || rule.contains) && !rule.pointer) {
      problems.add(at, "equals and contains need a pointer to compare");
    }
    if (const auto* v = member(r, "action"); v != nullptr && v->IsString()) {
      if (auto a = action_named(v->GetString())) rule.action = *a;
    }
    if (const auto* v = member(r, "message"); v != nullptr && v->IsString()) {
      rule.message =
          Template({v->GetString(), v->GetStringLength()}, rules, problems, at + "/message");
    }
    out.rules_.push_back(std::move(rule));
  }
  return out;
}

std::optional<Verdict> ErrorRules::match(int status, const rapidjson::Value* body,
                                         const Scope& scope) const {
  for (const auto& rule : rules_) {
    if (!rule.statuses.empty() &&
        std::find(rule.statuses.begin(), rule.statuses.end(), status) == rule.statuses.end()) {
      continue;
    }
    if (rule.pointer) {
      const rapidjson::Value* v = body != nullptr ? rule.pointer->Get(*body) : nullptr;
      if (v == nullptr || v->IsNull()) continue;
      if (rule.equals && !(*v == *rule.equals)) continue;
      if (rule.contains) {
        if (!v->IsString()) continue;
        if (std::string_view(v->GetString(), v->GetStringLength()).find(*rule.contains) ==
            std::string_view::npos) {
          continue;
        }
      }
    }
    Verdict verdict;
    verdict.action = rule.action;
    if (!rule.message.empty()) verdict.message = rule.message.text(scope);
    return verdict;
  }
  return std::nullopt;
}

}  // namespace cardsync::rest
