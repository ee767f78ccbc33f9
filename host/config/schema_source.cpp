#include "config/schema_source.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include "config/schema_error.hpp"
#include "config/text_position.hpp"

namespace cardsync::config {
namespace {

constexpr int kMaxRefDepth = 32;

bool is_data_keyword(std::string_view name) {
  // Their values are instances, not schemas: a "$ref" member inside them is plain data.
  return name == "enum" || name == "default" || name == "examples" || name == "const";
}

void inline_refs(rapidjson::Value& node, const rapidjson::Value& original_root,
                 rapidjson::Document::AllocatorType& alloc, const std::string& what, int depth) {
  if (node.IsArray()) {
    for (auto& element : node.GetArray()) inline_refs(element, original_root, alloc, what, depth);
    return;
  }
  if (!node.IsObject()) return;
  if (node.HasMember("$ref")) {
    const rapidjson::Value& ref = node["$ref"];
    if (!ref.IsString() || ref.GetStringLength() == 0 || ref.GetString()[0] != '#') {
      throw SchemaError(what + ": only local \"$ref\"s (\"#/...\") are supported");
    }
    const std::string target(ref.GetString() + 1, ref.GetStringLength() - 1);
    if (depth >= kMaxRefDepth) {
      throw SchemaError(what + ": \"$ref\": \"#" + target +
                        "\" is recursive, which is not supported");
    }
    const rapidjson::Pointer pointer(target.c_str(), target.size());
    const rapidjson::Value* resolved = pointer.IsValid() ? pointer.Get(original_root) : nullptr;
    if (resolved == nullptr) {
      throw SchemaError(what + ": \"$ref\": \"#" + target + "\" points at nothing");
    }
    // Draft-04: members beside "$ref" are ignored, so the target replaces the whole node.
    node.CopyFrom(*resolved, alloc);
    inline_refs(node, original_root, alloc, what, depth + 1);
    return;
  }
  // Indexing instead of a range-for: comparing RapidJSON's mutable member iterators is
  // ambiguous in C++20 (clang's ambiguous-reversed-operator).
  for (rapidjson::SizeType i = 0; i < node.MemberCount(); ++i) {
    auto& member = node.MemberBegin()[i];
    if (!is_data_keyword(
            std::string_view(member.name.GetString(), member.name.GetStringLength()))) {
      inline_refs(member.value, original_root, alloc, what, depth);
    }
  }
}

void close_objects(rapidjson::Value& node, rapidjson::Document::AllocatorType& alloc) {
  if (!node.IsObject()) return;
  // HasMember + operator[] and indexing: comparing RapidJSON's mutable member iterators is
  // ambiguous in C++20 (clang's ambiguous-reversed-operator).
  if (node.HasMember("properties") && node["properties"].IsObject()) {
    if (!node.HasMember("additionalProperties") && !node.HasMember("patternProperties")) {
      node.AddMember("additionalProperties", false, alloc);
    }
    rapidjson::Value& properties = node["properties"];
    for (rapidjson::SizeType i = 0; i < properties.MemberCount(); ++i) {
      close_objects(properties.MemberBegin()[i].value, alloc);
    }
  }
  for (const char* child : {"items", "additionalProperties"}) {
    if (node.HasMember(child)) close_objects(node[child], alloc);
  }
}

}  // namespace

rapidjson::Document load_schema(std::string_view json, const std::string& what) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(json.data(),
                                                                                 json.size());
  if (doc.HasParseError()) {
    const TextPosition pos = position_of(json, doc.GetErrorOffset());
    throw SchemaError(what + ": invalid JSON at line " + std::to_string(pos.line) + ", column " +
                      std::to_string(pos.column) + ": " +
                      rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) throw SchemaError(what + ": a JSON Schema must be a JSON object");
  rapidjson::Document original;
  original.CopyFrom(doc, original.GetAllocator());
  inline_refs(doc, original, doc.GetAllocator(), what, 0);
  doc.RemoveMember("definitions");  // everything they held is inlined now
  close_objects(doc, doc.GetAllocator());
  return doc;
}

}  // namespace cardsync::config
