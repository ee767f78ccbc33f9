#include "record_mapping.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <set>
#include <utility>

namespace cardsync::rest {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::array<std::pair<std::string_view, cs_record_kind>, 6> kKinds{{
    {"game", CS_RECORD_GAME},
    {"set", CS_RECORD_SET},
    {"card", CS_RECORD_CARD},
    {"variant", CS_RECORD_VARIANT},
    {"graded_cert", CS_RECORD_GRADED_CERT},
    {"cert_image", CS_RECORD_CERT_IMAGE},
}};

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

void write(Writer& w, const Scalar& s) {
  if (const auto* i = std::get_if<std::int64_t>(&s)) {
    w.Int64(*i);
  } else if (const auto* d = std::get_if<double>(&s)) {
    w.Double(*d);
  } else if (const auto* b = std::get_if<bool>(&s)) {
    w.Bool(*b);
  } else if (const auto* t = std::get_if<std::string>(&s)) {
    w.String(t->data(), static_cast<rapidjson::SizeType>(t->size()));
  } else {
    w.Null();
  }
}

}  // namespace

const std::vector<CoreField>& core_fields(cs_record_kind kind) {
  static const std::vector<CoreField> game{
      {"name", true}, {"cards_count", false}, {"sets_count", false}, {"last_updated", false}};
  static const std::vector<CoreField> set{
      {"name", true}, {"release_date", false}, {"cards_count", false}};
  static const std::vector<CoreField> card{{"name", true},
                                           {"game", false},
                                           {"number", false},
                                           {"rarity", false},
                                           {"tcgplayer_id", false}};
  static const std::vector<CoreField> variant{
      {"condition", true}, {"printing", false},     {"language", false}, {"price_cents", false},
      {"currency", true},  {"last_updated", false}, {"sku", false}};
  static const std::vector<CoreField> graded_cert{{"grade", true},
                                                  {"grade_value", false},
                                                  {"subject", false},
                                                  {"year", false},
                                                  {"brand", false},
                                                  {"category", false},
                                                  {"card_number", false},
                                                  {"variety", false},
                                                  {"spec_id", false},
                                                  {"population", false},
                                                  {"population_higher", false},
                                                  {"not_found", false},
                                                  {"image_count", false}};
  static const std::vector<CoreField> cert_image{{"side", true}, {"url", true}};
  switch (kind) {
    case CS_RECORD_GAME:
      return game;
    case CS_RECORD_SET:
      return set;
    case CS_RECORD_CARD:
      return card;
    case CS_RECORD_VARIANT:
      return variant;
    case CS_RECORD_GRADED_CERT:
      return graded_cert;
    case CS_RECORD_CERT_IMAGE:
      return cert_image;
  }
  return game;
}

std::optional<cs_record_kind> kind_named(std::string_view name) {
  for (const auto& [n, k] : kKinds) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string kind_name(cs_record_kind kind) {
  for (const auto& [n, k] : kKinds) {
    if (k == kind) return std::string(n);
  }
  return "record";
}

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

RecordMapping RecordMapping::parse(const rapidjson::Value& spec, const TemplateRules& rules,
                                   Problems& problems, const std::string& pointer) {
  RecordMapping out;
  if (!spec.IsObject()) return out;
  if (const auto* v = member(spec, "kind"); v != nullptr && v->IsString()) {
    if (auto k = kind_named(v->GetString())) out.kind_ = *k;
  }
  if (const auto* v = member(spec, "key"); v != nullptr && v->IsString()) {
    out.key_ = Template({v->GetString(), v->GetStringLength()}, rules, problems, pointer + "/key");
  }
  if (const auto* v = member(spec, "parent"); v != nullptr && v->IsString()) {
    out.parent_ =
        Template({v->GetString(), v->GetStringLength()}, rules, problems, pointer + "/parent");
  }
  if (const auto* each = member(spec, "each"); each != nullptr && each->IsObject()) {
    const rapidjson::Value* array = member(*each, "array");
    const rapidjson::Value* entries = member(*each, "entries");
    if ((array == nullptr) == (entries == nullptr)) {
      problems.add(pointer + "/each", "each takes exactly one of array and entries");
    } else {
      const rapidjson::Value& p = array != nullptr ? *array : *entries;
      out.each_ = array != nullptr ? Each::array : Each::entries;
      out.raw_ = Raw::entry;
      if (p.IsString()) {
        out.each_pointer_text_ = p.GetString();
        if (check_pointer(out.each_pointer_text_, problems,
                          pointer + "/each/" + (array != nullptr ? "array" : "entries"))) {
          out.each_pointer_.emplace(out.each_pointer_text_.c_str());
        }
      }
    }
  }
  const auto& fields = core_fields(out.kind_);
  out.fields_.resize(fields.size());
  std::set<std::string> names;
  for (const auto& f : fields) names.insert(f.name);
  if (const auto* v = member(spec, "fields"); v != nullptr && v->IsObject()) {
    for (const auto& m : v->GetObject()) {
      const std::string name = m.name.GetString();
      const std::string at = pointer + "/fields/" + pointer_token(name);
      std::size_t i = 0;
      while (i < fields.size() && name != fields[i].name) ++i;
      if (i == fields.size()) {
        problems.add(at,
                     "\"" + name + "\" is not a core field of a " + kind_name(out.kind_) +
                         " record (docs/canonical-records.md)",
                     name, similar_names(name, names));
        continue;
      }
      out.fields_[i] = ValueSpec::parse(m.value, rules, problems, at);
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].required && !out.fields_[i]) {
      problems.add(
          pointer + "/fields",
          "a " + kind_name(out.kind_) + " record needs the core field \"" + fields[i].name + "\"");
    }
  }
  if (const auto* v = member(spec, "skip_when_null"); v != nullptr && v->IsArray()) {
    for (rapidjson::SizeType k = 0; k < v->Size(); ++k) {
      if (!(*v)[k].IsString()) continue;
      const std::string name = (*v)[k].GetString();
      std::size_t i = 0;
      while (i < fields.size() && name != fields[i].name) ++i;
      if (i == fields.size()) {
        problems.add(
            pointer + "/skip_when_null/" + std::to_string(k),
            "\"" + name + "\" is not a core field of a " + kind_name(out.kind_) + " record", name,
            similar_names(name, names));
      } else {
        out.skip_when_null_.push_back(i);
      }
    }
  }
  if (const auto* v = member(spec, "raw"); v != nullptr && v->IsString()) {
    const std::string raw = v->GetString();
    if (raw == "item") out.raw_ = Raw::item;
    if (raw == "entry") out.raw_ = Raw::entry;
    if (raw == "none") out.raw_ = Raw::none;
    if (raw == "entry" && out.each_ == Each::none) {
      problems.add(pointer + "/raw", "raw \"entry\" needs each");
    }
  }
  return out;
}

std::optional<MappingFailure> RecordMapping::map(Scope scope, const std::string& raw_item,
                                                 std::vector<MappedRecord>& out,
                                                 const sdk::ParsedBody* body) const {
  if (each_ == Each::none) return map_one(scope, raw_item, out, body);
  const rapidjson::Value* list =
      each_pointer_ && scope.item != nullptr ? each_pointer_->Get(*scope.item) : nullptr;
  // Nothing to iterate (absent or null) makes no record: a card without prices.
  if (list == nullptr || list->IsNull()) return std::nullopt;
  const std::size_t mark = out.size();
  const auto fail = [&](std::optional<MappingFailure> f) {
    out.resize(mark);
    return f;
  };
  if (each_ == Each::array && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      scope.entry = &(*list)[i];
      scope.entry_key = std::to_string(i);
      if (auto f = map_one(scope, raw_item, out, body)) {
        f->path = each_pointer_text_ + "/" + std::to_string(i) + f->path;
        return fail(std::move(f));
      }
    }
    return std::nullopt;
  }
  if (each_ == Each::entries && list->IsObject()) {
    for (const auto& m : list->GetObject()) {
      scope.entry = &m.value;
      scope.entry_key = std::string(m.name.GetString(), m.name.GetStringLength());
      if (auto f = map_one(scope, raw_item, out, body)) {
        f->path = each_pointer_text_ + "/" + pointer_token(*scope.entry_key) + f->path;
        return fail(std::move(f));
      }
    }
    return std::nullopt;
  }
  return fail(MappingFailure{"type: expected " +
                                 std::string(each_ == Each::array ? "an array" : "an object") +
                                 " to make " + kind_name(kind_) + " records from",
                             each_pointer_text_});
}

std::optional<MappingFailure> RecordMapping::map_one(const Scope& scope, const std::string& raw,
                                                     std::vector<MappedRecord>& out,
                                                     const sdk::ParsedBody* body) const {
  const auto& names = core_fields(kind_);
  std::vector<Scalar> values(fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i]) values[i] = fields_[i]->evaluate(scope);
  }
  for (std::size_t i : skip_when_null_) {
    if (is_null(values[i])) return std::nullopt;
  }
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (names[i].required && is_null(values[i])) {
      return MappingFailure{
          "mapping: the " + kind_name(kind_) + " field \"" + names[i].name + "\" has no value", ""};
    }
  }
  const Template::Rendered key = key_.render(scope);
  if (!key.complete || key.text.empty()) {
    return MappingFailure{
        "mapping: the " + kind_name(kind_) + " key " + key_.source() + " has no value", ""};
  }
  MappedRecord rec;
  rec.kind = kind_;
  rec.key = key.text;
  rec.parent = parent_.text(scope);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    w.Key(names[i].name);
    write(w, values[i]);
  }
  w.EndObject();
  rec.core_json.assign(buf.GetString(), buf.GetSize());
  switch (raw_) {
    case Raw::item:
      rec.raw_json = raw;
      break;
    case Raw::entry:
      if (scope.entry == nullptr) {
        rec.raw_json = "{}";
      } else {
        rec.raw_json = body != nullptr ? body->raw(*scope.entry) : json_text(*scope.entry);
      }
      break;
    case Raw::none:
      rec.raw_json = "{}";
      break;
  }
  out.push_back(std::move(rec));
  return std::nullopt;
}

}  // namespace cardsync::rest
