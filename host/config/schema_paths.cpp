// CompiledSchema::resolve_paths: strings the schema marks `"format": "path"` or
// `"format": "file"` name files on disk. A relative one means relative to the config file, not
// to whatever directory the process happens to start in, so a service and a shell read and
// write the same files. A "file" must already exist; saying so while the config is checked
// beats a failure deep inside a library on first use.

#include <unistd.h>

#include "config/compiled_schema.hpp"
#include "config/json_pointer.hpp"
#include "config/schema_node.hpp"

namespace cardsync::config {

using rapidjson::Value;

std::vector<Diagnostic> CompiledSchema::resolve_paths(rapidjson::Document& doc,
                                                      const std::filesystem::path& base,
                                                      const std::string& file) const {
  std::vector<Diagnostic> out;
  resolve_paths_in(doc, root_, "", base, file, doc.GetAllocator(), out);
  return out;
}

void CompiledSchema::resolve_paths_in(Value& value, const Value& node, const std::string& pointer,
                                      const std::filesystem::path& base, const std::string& file,
                                      rapidjson::Document::AllocatorType& alloc,
                                      std::vector<Diagnostic>& out) const {
  if (value.IsString()) {
    const Value* format = member_of(node, "format");
    if (format == nullptr || !format->IsString()) return;
    const std::string_view kind = as_view(*format);
    if (kind != "path" && kind != "file") return;
    std::filesystem::path p(std::string(value.GetString(), value.GetStringLength()));
    if (p.empty()) return;  // an empty string is an unset option
    if (p.is_relative()) {
      p = (base / p).lexically_normal();
      value.SetString(p.c_str(), static_cast<rapidjson::SizeType>(p.native().size()), alloc);
    }
    std::error_code ec;
    if (kind == "file" &&
        (!std::filesystem::is_regular_file(p, ec) || ::access(p.c_str(), R_OK) != 0)) {
      out.push_back(Diagnostic{file, pointer,
                               "no readable file at \"" + p.string() +
                                   "\" (a relative path is relative to the config file)"});
    }
    return;
  }
  if (value.IsArray()) {
    if (const Value* items = items_schema(node)) {
      rapidjson::SizeType i = 0;
      for (auto& element : value.GetArray()) {
        resolve_paths_in(element, *items, append_pointer(pointer, std::size_t{i++}), base, file,
                         alloc, out);
      }
    }
    return;
  }
  if (!value.IsObject()) return;
  const Value* props = member_of(node, "properties");
  const Value* extra = member_of(node, "additionalProperties");
  // Indexing instead of a range-for: comparing RapidJSON's mutable member iterators is
  // ambiguous in C++20 (clang's ambiguous-reversed-operator).
  for (rapidjson::SizeType i = 0; i < value.MemberCount(); ++i) {
    auto& m = value.MemberBegin()[i];
    const Value* child = props != nullptr ? member_of(*props, as_view(m.name)) : nullptr;
    if (child == nullptr && extra != nullptr && extra->IsObject()) child = extra;
    if (child == nullptr) continue;
    resolve_paths_in(m.value, *child, append_pointer(pointer, as_view(m.name)), base, file, alloc,
                     out);
  }
}

}  // namespace cardsync::config
