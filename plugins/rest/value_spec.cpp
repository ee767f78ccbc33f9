#include "value_spec.hpp"

#include <cardsync/decimal.hpp>

#include <set>
#include <utility>

#include "time_format.hpp"

namespace cardsync::rest {
namespace {

const std::set<std::string>& spec_keys() {
  static const std::set<std::string> keys{"pointer", "from",      "const",  "template",
                                          "first",   "transform", "format", "zero_is_null",
                                          "map",     "then"};
  return keys;
}

std::optional<Transform> transform_named(std::string_view name) {
  if (name == "cents") return Transform::cents;
  if (name == "epoch") return Transform::epoch;
  if (name == "date") return Transform::date;
  if (name == "int") return Transform::to_int;
  if (name == "string") return Transform::to_string;
  if (name == "length") return Transform::length;
  return std::nullopt;
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

Scalar text_of(const Scalar& s) {
  if (const auto* i = std::get_if<std::int64_t>(&s)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&s)) {
    rapidjson::Value v(*d);
    return scalar_text(v).value_or("");
  }
  if (const auto* b = std::get_if<bool>(&s)) return std::string(*b ? "true" : "false");
  return s;
}

}  // namespace

Scalar scalar_of(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return v.IsTrue();
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) return v.GetDouble();
  return {};
}

bool check_pointer(std::string_view text, Problems& problems, const std::string& pointer) {
  // Placeholders stand for one token's text: check the pointer with a stand-in.
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close == std::string_view::npos) break;
      plain += "x";
      i = close;
    } else {
      plain += text[i];
    }
  }
  const rapidjson::Pointer p(plain.data(), plain.size());
  if (!plain.empty() && (plain[0] != '/' || !p.IsValid())) {
    problems.add(pointer, "\"" + std::string(text) +
                              "\" is not a JSON pointer (\"\" for the whole value, else "
                              "\"/member/0/...\", ~0 for ~ and ~1 for /)");
    return false;
  }
  return true;
}

ValueSpec ValueSpec::parse(const rapidjson::Value& spec, const TemplateRules& rules,
                           Problems& problems, const std::string& pointer) {
  ValueSpec out;
  if (spec.IsString()) {
    out.template_ = Template({spec.GetString(), spec.GetStringLength()}, rules, problems, pointer);
    if (out.template_.constant()) {
      out.constant_ = std::string(spec.GetString(), spec.GetStringLength());
    } else {
      out.kind_ = Kind::text;
    }
    return out;
  }
  if (!spec.IsObject()) {
    out.constant_ = scalar_of(spec);
    return out;
  }
  for (const auto& m : spec.GetObject()) {
    const std::string key = m.name.GetString();
    if (spec_keys().count(key) == 0) {
      problems.add(pointer + "/" + pointer_token(key), "unknown key \"" + key + "\" in a field",
                   key, similar_names(key, spec_keys()));
    }
  }
  int forms = 0;
  if (const auto* v = member(spec, "pointer"); v != nullptr && v->IsString()) {
    ++forms;
    out.kind_ = Kind::pointer;
    const std::string text(v->GetString(), v->GetStringLength());
    if (check_pointer(text, problems, pointer + "/pointer")) {
      out.pointer_template_ = Template(text, rules, problems, pointer + "/pointer");
      if (out.pointer_template_.constant()) {
        out.pointer_ = std::make_shared<rapidjson::Pointer>(text.data(), text.size());
      }
    }
  }
  if (const auto* v = member(spec, "const")) {
    ++forms;
    out.kind_ = Kind::constant;
    out.constant_ = scalar_of(*v);
  }
  if (const auto* v = member(spec, "template"); v != nullptr && v->IsString()) {
    ++forms;
    out.kind_ = Kind::text;
    out.template_ =
        Template({v->GetString(), v->GetStringLength()}, rules, problems, pointer + "/template");
  }
  if (const auto* v = member(spec, "first"); v != nullptr && v->IsArray()) {
    ++forms;
    out.kind_ = Kind::first;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      out.first_.push_back(
          parse((*v)[i], rules, problems, pointer + "/first/" + std::to_string(i)));
    }
  }
  if (forms != 1) {
    problems.add(pointer, "a field object takes exactly one of pointer, const, template, first");
  }
  if (const auto* v = member(spec, "from"); v != nullptr && v->IsString()) {
    const std::string from = v->GetString();
    static const std::set<std::string> kFrom{"item", "entry", "body", "parent"};
    if (from == "entry") {
      out.from_ = From::entry;
    } else if (from == "body") {
      out.from_ = From::body;
    } else if (from == "parent") {
      out.from_ = From::parent;
    } else if (from != "item") {
      problems.add(pointer + "/from", "unknown source \"" + from + "\"", from,
                   similar_names(from, kFrom));
    }
  }
  if (const auto* v = member(spec, "transform"); v != nullptr && v->IsString()) {
    const std::string name = v->GetString();
    if (auto t = transform_named(name)) {
      out.transform_ = *t;
    } else {
      static const std::set<std::string> kTransforms{"cents", "epoch",  "date",
                                                     "int",   "string", "length"};
      problems.add(pointer + "/transform", "unknown transform \"" + name + "\"", name,
                   similar_names(name, kTransforms));
    }
  }
  if (const auto* v = member(spec, "format"); v != nullptr && v->IsString()) {
    out.format_ = v->GetString();
    if (auto bad = check_time_format(out.format_); !bad.empty()) {
      problems.add(pointer + "/format", bad);
    }
  }
  if (const auto* v = member(spec, "zero_is_null"); v != nullptr && v->IsBool()) {
    out.zero_is_null_ = v->IsTrue();
  }
  if (const auto* v = member(spec, "map"); v != nullptr && v->IsString()) {
    out.map_ = v->GetString();
    if (rules.table_names.count(out.map_) == 0) {
      problems.add(pointer + "/map", "\"" + out.map_ + "\" is not a table of `tables`", out.map_,
                   similar_names(out.map_, rules.table_names));
    }
  }
  if (const auto* v = member(spec, "then")) out.then_ = scalar_of(*v);
  return out;
}

const rapidjson::Value* ValueSpec::read_pointer(const Scope& scope) const {
  const rapidjson::Value* root = scope.item;
  if (from_ == From::entry) root = scope.entry;
  if (from_ == From::body) root = scope.body;
  if (from_ == From::parent) root = scope.parent;
  if (root == nullptr) return nullptr;
  if (pointer_) return pointer_->Get(*root);
  const Template::Rendered text = pointer_template_.render(scope);
  if (!text.complete) return nullptr;
  const rapidjson::Pointer p(text.text.data(), text.text.size());
  return p.IsValid() ? p.Get(*root) : nullptr;
}

Scalar ValueSpec::evaluate(const Scope& scope) const {
  switch (kind_) {
    case Kind::constant:
      return apply_modifiers(constant_, nullptr, scope);
    case Kind::text: {
      const Template::Rendered r = template_.render(scope);
      return apply_modifiers(r.complete ? Scalar(r.text) : Scalar(), nullptr, scope);
    }
    case Kind::pointer: {
      const rapidjson::Value* v = read_pointer(scope);
      return apply_modifiers(v == nullptr ? Scalar() : scalar_of(*v), v, scope);
    }
    case Kind::first:
      for (const auto& spec : first_) {
        Scalar s = spec.evaluate(scope);
        if (!is_null(s)) return apply_modifiers(std::move(s), nullptr, scope);
      }
      return {};
  }
  return {};
}

Scalar ValueSpec::apply_modifiers(Scalar value, const rapidjson::Value* json,
                                  const Scope& scope) const {
  switch (transform_) {
    case Transform::none:
      break;
    case Transform::cents: {
      std::optional<std::int64_t> cents;
      if (json != nullptr) {
        cents = sdk::to_cents(*json);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        cents = sdk::scale_decimal(*s, 2, sdk::Rounding::half_away_from_zero);
      } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        cents = *i * 100;
      }
      value = cents && !(zero_is_null_ && *cents == 0) ? Scalar(*cents) : Scalar();
      break;
    }
    case Transform::epoch:
    case Transform::date: {
      std::optional<std::int64_t> epoch;
      if (const auto* s = std::get_if<std::string>(&value)) {
        epoch = parse_time(*s, format_);
      } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        epoch = *i;
      }
      if (!epoch) {
        value = Scalar();
      } else if (transform_ == Transform::date) {
        value = iso_date(*epoch);
      } else {
        value = *epoch;
      }
      break;
    }
    case Transform::to_int: {
      std::optional<std::int64_t> n;
      if (json != nullptr) {
        n = sdk::scale_json_number(*json, 0, sdk::Rounding::toward_zero);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        n = sdk::scale_decimal(*s, 0, sdk::Rounding::toward_zero);
      } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        n = *i;
      }
      value = n ? Scalar(*n) : Scalar();
      break;
    }
    case Transform::to_string:
      value = text_of(value);
      break;
    case Transform::length:
      if (json != nullptr && json->IsArray()) {
        value = static_cast<std::int64_t>(json->Size());
      } else if (json != nullptr && json->IsObject()) {
        value = static_cast<std::int64_t>(json->MemberCount());
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        value = static_cast<std::int64_t>(s->size());
      } else {
        value = Scalar();
      }
      break;
  }
  if (!map_.empty() && scope.tables != nullptr) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      auto table = scope.tables->find(map_);
      if (table != scope.tables->end()) {
        auto hit = table->second.find(*s);
        if (hit != table->second.end()) value = hit->second;
      }
    }
  }
  if (then_ && !is_null(value)) value = *then_;
  return value;
}

}  // namespace cardsync::rest
