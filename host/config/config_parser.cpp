#include "config/config_parser.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include <rapidjson/error/en.h>

#include "config/json_pointer.hpp"
#include "config/text_position.hpp"

namespace cardsync::config {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseCommentsFlag |
                                 rapidjson::kParseTrailingCommasFlag |
                                 rapidjson::kParseValidateEncodingFlag;

// RapidJSON keeps every duplicate member and lookups silently pick the first one; a config
// whose second "level" is ignored is a bug waiting to happen, so it is an error.
void find_duplicate_keys(const rapidjson::Value& value, const std::string& path,
                         const std::string& file, std::vector<Diagnostic>& out) {
  if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string_view name(it->name.GetString(), it->name.GetStringLength());
      const std::string child = append_pointer(path, name);
      for (auto earlier = value.MemberBegin(); earlier != it; ++earlier) {
        if (earlier->name == it->name) {
          out.push_back(Diagnostic{file, child,
                                   "duplicate key \"" + std::string(name) +
                                       "\" (each key may appear only once in an object)"});
          break;
        }
      }
      find_duplicate_keys(it->value, child, file, out);
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      find_duplicate_keys(value[i], append_pointer(path, i), file, out);
    }
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

ParseResult parse_text(std::string_view text, std::string file_label, const EnvLookup& env) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  const std::size_t skipped = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  const std::string_view json = text.substr(skipped);

  ParsedConfig parsed;
  parsed.file = std::move(file_label);
  parsed.doc.Parse<kParseFlags>(json.data(), json.size());
  if (parsed.doc.HasParseError()) {
    const TextPosition pos = position_of(json, parsed.doc.GetErrorOffset());
    return std::vector<Diagnostic>{
        Diagnostic{parsed.file, "",
                   "invalid JSON at line " + std::to_string(pos.line) + ", column " +
                       std::to_string(pos.column) + ": " +
                       rapidjson::GetParseError_En(parsed.doc.GetParseError())}};
  }

  find_duplicate_keys(parsed.doc, "", parsed.file, parsed.problems);
  if (!env) return parsed;
  auto env_problems = substitute_env(parsed.doc, env, parsed.file, parsed.substitutions);
  parsed.problems.insert(parsed.problems.end(), std::make_move_iterator(env_problems.begin()),
                         std::make_move_iterator(env_problems.end()));
  return parsed;
}

ParseResult parse_file(const std::filesystem::path& path, const EnvLookup& env) {
  const std::string label = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return std::vector<Diagnostic>{
        Diagnostic{label, "", "cannot read config file: it is a directory, not a JSON file"}};
  }
  errno = 0;
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(label.c_str(), "rb"));
  if (!file) {
    const int err = errno;
    return std::vector<Diagnostic>{
        Diagnostic{label, "", "cannot read config file: " + std::generic_category().message(err)}};
  }
  std::string text;
  char buffer[1 << 14];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get()) != 0) {
    const int err = errno;
    return std::vector<Diagnostic>{
        Diagnostic{label, "", "cannot read config file: " + std::generic_category().message(err)}};
  }
  return parse_text(text, label, env);
}

}  // namespace cardsync::config
