#include "config/env_substitution.hpp"

#include <cctype>

#include "config/json_pointer.hpp"

namespace cardsync::config {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  return true;
}

void substitute_value(rapidjson::Value& value, rapidjson::Document::AllocatorType& alloc,
                      const std::string& path, const EnvLookup& env, const std::string& file,
                      std::vector<Diagnostic>& diagnostics,
                      std::vector<Substitution>& substitutions) {
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (text.find('$') == std::string_view::npos) return;
    ExpandedString expanded = expand_env(text, env);
    for (auto& error : expanded.errors) {
      diagnostics.push_back(Diagnostic{file, path, std::move(error)});
    }
    if (expanded.substituted) {
      substitutions.push_back(Substitution{path, std::string(text), expanded.whole});
    }
    if (expanded.text != text) {
      value.SetString(expanded.text.data(), static_cast<rapidjson::SizeType>(expanded.text.size()),
                      alloc);
    }
  } else if (value.IsObject()) {
    // Indexing instead of a range-for: comparing RapidJSON's mutable member iterators is
    // ambiguous in C++20 (clang's ambiguous-reversed-operator).
    for (rapidjson::SizeType i = 0; i < value.MemberCount(); ++i) {
      auto& member = value.MemberBegin()[i];
      substitute_value(member.value, alloc,
                       append_pointer(path, std::string_view(member.name.GetString(),
                                                             member.name.GetStringLength())),
                       env, file, diagnostics, substitutions);
    }
  } else if (value.IsArray()) {
    std::size_t index = 0;
    for (auto& element : value.GetArray()) {
      substitute_value(element, alloc, append_pointer(path, index++), env, file, diagnostics,
                       substitutions);
    }
  }
}

}  // namespace

ExpandedString expand_env(std::string_view text, const EnvLookup& env) {
  ExpandedString out;
  std::size_t expressions = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      out.text.append(text.substr(pos));
      break;
    }
    out.text.append(text.substr(pos, dollar - pos));
    if (text.compare(dollar, 3, "$${") == 0) {
      out.text.append("${");
      pos = dollar + 3;
      ++expressions;  // a literal "${" means the string is not one bare expression
      continue;
    }
    if (text.compare(dollar, 2, "${") != 0) {
      out.text += '$';
      pos = dollar + 1;
      continue;
    }
    const std::size_t close = text.find('}', dollar + 2);
    if (close == std::string_view::npos) {
      out.errors.push_back("unterminated \"${\" at character " + std::to_string(dollar + 1) +
                           " (missing \"}\"; write \"$${\" for a literal \"${\")");
      out.text.append(text.substr(dollar));
      ++expressions;
      break;
    }
    const std::string_view expression = text.substr(dollar, close - dollar + 1);
    const std::string_view body = text.substr(dollar + 2, close - dollar - 2);
    const std::size_t sep = body.find(":-");
    const std::string_view name = body.substr(0, sep);
    std::optional<std::string_view> fallback;
    if (sep != std::string_view::npos) fallback = body.substr(sep + 2);
    ++expressions;
    pos = close + 1;
    const bool spans_text = dollar == 0 && pos == text.size();
    if (!valid_name(name)) {
      out.errors.push_back("invalid variable name \"" + std::string(name) + "\" in \"" +
                           std::string(expression) +
                           "\" (use letters, digits and _, not starting with a digit)");
      out.text.append(expression);
      continue;
    }
    std::optional<std::string> value = env(name);
    if (fallback && (!value || value->empty())) value = std::string(*fallback);
    if (!value) {
      out.errors.push_back("environment variable " + std::string(name) + " is not set and \"" +
                           std::string(expression) + "\" has no default (set it, or write \"${" +
                           std::string(name) + ":-default}\")");
      out.text.append(expression);
      continue;
    }
    out.text.append(*value);
    out.substituted = true;
    out.whole = spans_text;
  }
  if (expressions != 1) out.whole = false;
  return out;
}

std::vector<Diagnostic> substitute_env(rapidjson::Document& doc, const EnvLookup& env,
                                       const std::string& file,
                                       std::vector<Substitution>& substitutions) {
  std::vector<Diagnostic> diagnostics;
  substitute_value(doc, doc.GetAllocator(), "", env, file, diagnostics, substitutions);
  return diagnostics;
}

}  // namespace cardsync::config
