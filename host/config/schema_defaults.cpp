// CompiledSchema::apply_defaults: the schema's "default" values, filled in after validation so
// the host reads one complete document instead of repeating each default in code.

#include "config/compiled_schema.hpp"
#include "config/schema_node.hpp"

namespace cardsync::config {

using rapidjson::Value;

void CompiledSchema::apply_defaults(rapidjson::Document& doc) const {
  fill_defaults(doc, root_, doc.GetAllocator());
}

void CompiledSchema::fill_defaults(Value& value, const Value& node,
                                   rapidjson::Document::AllocatorType& alloc) const {
  if (value.IsArray()) {
    if (const Value* items = items_schema(node)) {
      for (auto& element : value.GetArray()) fill_defaults(element, *items, alloc);
    }
    return;
  }
  if (!value.IsObject()) return;
  const Value* props = member_of(node, "properties");
  const bool container = plugin_containers_.count(&node) != 0;
  if (props != nullptr && props->IsObject()) {
    for (const auto& p : props->GetObject()) {
      if (!value.HasMember(p.name)) {
        // An absent plugin section stays absent: adding it would switch the plugin on.
        if (container) continue;
        if (const Value* def = member_of(p.value, "default")) {
          value.AddMember(Value(p.name, alloc), Value(*def, alloc), alloc);
        } else if (member_of(p.value, "properties") != nullptr) {
          Value object(rapidjson::kObjectType);
          fill_defaults(object, p.value, alloc);
          if (object.MemberCount() > 0) value.AddMember(Value(p.name, alloc), object, alloc);
          continue;
        } else {
          continue;
        }
      }
      fill_defaults(value[p.name], p.value, alloc);
    }
  }
  if (const Value* extra = member_of(node, "additionalProperties"); extra && extra->IsObject()) {
    // Indexing instead of a range-for: comparing RapidJSON's mutable member iterators is
    // ambiguous in C++20 (clang's ambiguous-reversed-operator).
    for (rapidjson::SizeType i = 0; i < value.MemberCount(); ++i) {
      auto& m = value.MemberBegin()[i];
      if (props == nullptr || member_of(*props, as_view(m.name)) == nullptr) {
        fill_defaults(m.value, *extra, alloc);
      }
    }
  }
}

}  // namespace cardsync::config
