#include "manifest_model.hpp"

#include <utility>

#include "time_format.hpp"
#include "value_spec.hpp"

namespace cardsync::rest {
namespace {

using rapidjson::Value;

const Value* member(const Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string text(const Value& obj, const char* name, std::string fallback = {}) {
  const Value* v = member(obj, name);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                                       : std::move(fallback);
}

Template template_at(const Value& obj, const char* name, const TemplateRules& rules,
                     Problems& problems, const std::string& pointer) {
  const Value* v = member(obj, name);
  if (v == nullptr || !v->IsString()) return {};
  return Template({v->GetString(), v->GetStringLength()}, rules, problems, pointer + "/" + name);
}

NamedTemplates named_templates(const Value* obj, const TemplateRules& rules, Problems& problems,
                               const std::string& pointer) {
  NamedTemplates out;
  if (obj == nullptr || !obj->IsObject()) return out;
  for (const auto& m : obj->GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString()) continue;
    out.emplace_back(name, Template({m.value.GetString(), m.value.GetStringLength()}, rules,
                                    problems, pointer + "/" + pointer_token(name)));
  }
  return out;
}

std::optional<rapidjson::Pointer> pointer_at(const Value& obj, const char* name, Problems& problems,
                                             const std::string& pointer) {
  const Value* v = member(obj, name);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  if (!check_pointer({v->GetString(), v->GetStringLength()}, problems, pointer + "/" + name)) {
    return std::nullopt;
  }
  return rapidjson::Pointer(v->GetString(), v->GetStringLength());
}

std::optional<Reading> reading(const Value* spec, Problems& problems, const std::string& pointer) {
  if (spec == nullptr || !spec->IsObject()) return std::nullopt;
  Reading r;
  r.header = text(*spec, "header");
  r.pointer = pointer_at(*spec, "pointer", problems, pointer);
  if (r.header.empty() == !r.pointer.has_value()) {
    problems.add(pointer, "say where the number is: exactly one of header and pointer");
  }
  return r;
}

void check_stream_name(const std::string& name, const std::set<std::string>& known,
                       Problems& problems, const std::string& pointer, const char* what) {
  if (known.count(name) == 0) {
    problems.add(pointer, std::string(what) + " \"" + name + "\" is not a stream of the manifest",
                 name, similar_names(name, known));
  }
}

void check_list_option(const Value& manifest, const std::string& option, Problems& problems,
                       const std::string& pointer, const std::set<std::string>& names) {
  const Value* decl = member(manifest, "config");
  const Value* opt = decl != nullptr ? member(*decl, option.c_str()) : nullptr;
  if (opt == nullptr) {
    problems.add(pointer, "\"" + option + "\" is not an option the manifest's config declares",
                 option, similar_names(option, names));
    return;
  }
  const Value* type = member(*opt, "type");
  if (type == nullptr || !type->IsString() || std::string_view(type->GetString()) != "array") {
    problems.add(pointer, "config option \"" + option + "\" must be a list (type array)");
  }
}

Stream parse_stream(const Value& s, const TemplateRules& rules, Problems& problems,
                    const std::string& at) {
  Stream out;
  out.name = text(s, "name");
  out.job_type = std::string(kJobTypePrefix) + out.name;
  if (const Value* req = member(s, "request"); req != nullptr && req->IsObject()) {
    const std::string rp = at + "/request";
    out.request.method = text(*req, "method", "GET");
    out.request.path = template_at(*req, "path", rules, problems, rp);
    if (!out.request.path.source().empty() && out.request.path.source()[0] != '/') {
      problems.add(rp + "/path", "a path starts with / (it is appended to base_url)");
    }
    out.request.query = named_templates(member(*req, "query"), rules, problems, rp + "/query");
    out.request.headers =
        named_templates(member(*req, "headers"), rules, problems, rp + "/headers");
    if (member(*req, "body") != nullptr) {
      out.request.body = template_at(*req, "body", rules, problems, rp);
    }
  }
  out.paging = Paging::parse(member(s, "paging"), rules, problems, at + "/paging");
  out.items_text = text(s, "items");
  if (!out.items_text.empty() && check_pointer(out.items_text, problems, at + "/items")) {
    out.items.emplace(out.items_text.c_str());
  }
  if (const Value* schema = member(s, "item_schema"); schema != nullptr && schema->IsObject()) {
    out.schema_text = json_text(*schema);
    try {
      out.schema = std::make_shared<const sdk::ItemSchema>(out.schema_text);
    } catch (const std::exception& e) {
      problems.add(at + "/item_schema",
                   std::string("the item schema does not compile: ") + e.what());
    }
  }
  for (const char* list : {"records", "page_records"}) {
    const Value* v = member(s, list);
    if (v == nullptr || !v->IsArray()) continue;
    auto& into = std::string_view(list) == "records" ? out.records : out.page_records;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      into.push_back(RecordMapping::parse((*v)[i], rules, problems,
                                          at + "/" + list + "/" + std::to_string(i)));
    }
  }
  out.records_from = text(s, "records_from");
  if (!out.records_from.empty() &&
      (member(s, "records") != nullptr || member(s, "item_schema") != nullptr)) {
    problems.add(at + "/records_from",
                 "a stream with records_from declares no records or item_schema of its own");
  }
  if (const Value* v = member(s, "children"); v != nullptr && v->IsArray()) {
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const std::string cp = at + "/children/" + std::to_string(i);
      Child c;
      c.stream = text((*v)[i], "stream");
      c.key = template_at((*v)[i], "key", rules, problems, cp);
      c.payload = named_templates(member((*v)[i], "payload"), rules, problems, cp + "/payload");
      c.if_listed_in = text((*v)[i], "if_listed_in");
      out.children.push_back(std::move(c));
    }
  }
  if (const Value* v = member(s, "incremental"); v != nullptr && v->IsObject()) {
    Incremental inc;
    const std::string ip = at + "/incremental";
    if (text(*v, "source") == "max_seen") inc.source = Incremental::Source::max_seen;
    inc.pointer = pointer_at(*v, "pointer", problems, ip);
    inc.format = text(*v, "format", "epoch");
    if (auto bad = check_time_format(inc.format); !bad.empty()) {
      problems.add(ip + "/format", bad);
    }
    if (inc.source == Incremental::Source::max_seen && !inc.pointer) {
      problems.add(ip + "/pointer", "max_seen needs the pointer of the value to track");
    }
    out.incremental = std::move(inc);
  }
  out.errors = ErrorRules::parse(member(s, "errors"), rules, problems, at + "/errors");
  return out;
}

}  // namespace

std::unique_ptr<Manifest> Manifest::parse(const Value& manifest, Problems& problems) {
  auto out = std::make_unique<Manifest>();
  if (!manifest.IsObject()) {
    problems.add("", "a manifest is a JSON object");
    return out;
  }
  out->name = text(manifest, "name", out->name);
  out->base_url = text(manifest, "base_url");
  while (!out->base_url.empty() && out->base_url.back() == '/') out->base_url.pop_back();

  TemplateRules rules;
  rules.config_names.insert("base_url");
  if (const Value* config = member(manifest, "config"); config != nullptr && config->IsObject()) {
    for (const auto& m : config->GetObject()) {
      const std::string name = m.name.GetString();
      if (name == "base_url" || name == "manifest" || name == "plugin") {
        problems.add("/config/" + pointer_token(name),
                     "\"" + name + "\" is not a manifest option: the plugin or the host owns it");
      }
      rules.config_names.insert(name);
    }
  }
  if (const Value* tables = member(manifest, "tables"); tables != nullptr && tables->IsObject()) {
    for (const auto& t : tables->GetObject()) {
      auto& table = out->tables[t.name.GetString()];
      rules.table_names.insert(t.name.GetString());
      if (!t.value.IsObject()) continue;
      for (const auto& e : t.value.GetObject()) {
        if (e.value.IsString()) table.emplace(e.name.GetString(), e.value.GetString());
      }
    }
  }
  out->config_names = rules.config_names;
  out->headers = named_templates(member(manifest, "headers"), rules, problems, "/headers");

  if (const Value* auth = member(manifest, "auth"); auth != nullptr && auth->IsObject()) {
    const std::string type = text(*auth, "type");
    out->auth.type = type == "header"  ? Auth::Type::header
                     : type == "query" ? Auth::Type::query
                                       : Auth::Type::bearer;
    out->auth.name = text(*auth, "name");
    out->auth.value = template_at(*auth, "value", rules, problems, "/auth");
    if (out->auth.type != Auth::Type::bearer && out->auth.name.empty()) {
      problems.add("/auth/name", "header and query auth need the name to send the value under");
    }
  }
  if (const Value* rate = member(manifest, "rate_limit"); rate != nullptr && rate->IsObject()) {
    if (const Value* v = member(*rate, "requests_per_second"); v != nullptr && v->IsNumber()) {
      out->rate.per_minute = v->GetDouble() * 60;
    }
    if (const Value* v = member(*rate, "requests_per_minute"); v != nullptr && v->IsNumber()) {
      if (out->rate.per_minute) {
        problems.add("/rate_limit", "give requests_per_second or requests_per_minute, not both");
      }
      out->rate.per_minute = v->GetDouble();
    }
    if (const Value* v = member(*rate, "daily_quota"); v != nullptr && v->IsInt64()) {
      out->rate.daily_quota = v->GetInt64();
    }
    out->rate.remaining = reading(member(*rate, "remaining"), problems, "/rate_limit/remaining");
    out->rate.limit_per_minute =
        reading(member(*rate, "limit_per_minute"), problems, "/rate_limit/limit_per_minute");
  }
  out->errors = ErrorRules::parse(member(manifest, "errors"), rules, problems, "/errors");

  if (const Value* streams = member(manifest, "streams");
      streams != nullptr && streams->IsArray()) {
    std::set<std::string> seen;
    for (rapidjson::SizeType i = 0; i < streams->Size(); ++i) {
      const std::string at = "/streams/" + std::to_string(i);
      out->streams.push_back(parse_stream((*streams)[i], rules, problems, at));
      if (!seen.insert(out->streams.back().name).second) {
        problems.add(at + "/name", "a second stream named \"" + out->streams.back().name + "\"");
      }
    }
  }
  const std::set<std::string> names = out->stream_names();
  for (std::size_t i = 0; i < out->streams.size(); ++i) {
    Stream& shared = out->streams[i];
    if (shared.records_from.empty()) continue;
    const std::string at = "/streams/" + std::to_string(i) + "/records_from";
    check_stream_name(shared.records_from, names, problems, at, "records_from names stream");
    const Stream* source = out->stream_named(shared.records_from);
    if (source == nullptr) continue;
    if (!source->records_from.empty()) {
      problems.add(at, "stream \"" + source->name + "\" takes its records from another stream too");
      continue;
    }
    shared.records = source->records;
    shared.schema = source->schema;
    shared.schema_text = source->schema_text;
  }
  for (std::size_t i = 0; i < out->streams.size(); ++i) {
    const Stream& s = out->streams[i];
    for (std::size_t c = 0; c < s.children.size(); ++c) {
      const std::string at = "/streams/" + std::to_string(i) + "/children/" + std::to_string(c);
      check_stream_name(s.children[c].stream, names, problems, at + "/stream", "child stream");
      if (!s.children[c].if_listed_in.empty()) {
        check_list_option(manifest, s.children[c].if_listed_in, problems, at + "/if_listed_in",
                          rules.config_names);
      }
    }
  }
  if (const Value* plan = member(manifest, "plan"); plan != nullptr && plan->IsArray()) {
    for (rapidjson::SizeType i = 0; i < plan->Size(); ++i) {
      const std::string at = "/plan/" + std::to_string(i);
      PlanEntry p;
      p.stream = text((*plan)[i], "stream");
      check_stream_name(p.stream, names, problems, at + "/stream", "plan stream");
      p.key = template_at((*plan)[i], "key", rules, problems, at);
      if (member((*plan)[i], "key") == nullptr) p.key = Template("all", rules, problems, at);
      p.for_each = text((*plan)[i], "for_each");
      if (!p.for_each.empty()) {
        check_list_option(manifest, p.for_each, problems, at + "/for_each", rules.config_names);
      }
      out->plan.push_back(std::move(p));
    }
  }
  if (const Value* lookups = member(manifest, "lookups");
      lookups != nullptr && lookups->IsArray()) {
    for (rapidjson::SizeType i = 0; i < lookups->Size(); ++i) {
      const Value& l = (*lookups)[i];
      const std::string at = "/lookups/" + std::to_string(i);
      Lookup lookup;
      lookup.name = text(l, "name");
      lookup.stream = text(l, "stream");
      lookup.job_type = std::string(kJobTypePrefix) + lookup.stream;
      lookup.description = text(l, "description", "an item by its key");
      lookup.key_example = text(l, "key_example");
      lookup.child_field = text(l, "child_field");
      if (auto k = kind_named(text(l, "record_kind"))) lookup.record_kind = *k;
      if (auto k = kind_named(text(l, "child_kind"))) lookup.child_kind = *k;
      if ((lookup.child_kind != 0) != !lookup.child_field.empty()) {
        problems.add(at, "child_kind and child_field go together");
      }
      if (const Value* v = member(l, "ttl_seconds"); v != nullptr && v->IsInt64()) {
        lookup.ttl_seconds = v->GetInt64();
      }
      if (const Value* v = member(l, "not_found_ttl_seconds"); v != nullptr && v->IsInt64()) {
        lookup.not_found_ttl_seconds = v->GetInt64();
      }
      lookup.key_rule = KeyRule::parse(member(l, "normalise"), problems, at + "/normalise");
      for (Stream& stream : out->streams) {
        if (stream.name != lookup.stream) continue;
        if (stream.lookup >= 0) {
          problems.add(at + "/stream", "stream \"" + lookup.stream + "\" serves another lookup");
        }
        stream.lookup = static_cast<int>(i);
      }
      check_stream_name(lookup.stream, names, problems, at + "/stream", "lookup stream");
      for (std::size_t k = 0; k < i; ++k) {
        if (out->lookups[k].name == lookup.name) {
          problems.add(at + "/name", "a second lookup named \"" + lookup.name + "\"");
        }
      }
      out->lookups.push_back(std::move(lookup));
    }
  }
  return out;
}

const Stream* Manifest::stream_for_job(std::string_view job_type) const {
  for (const auto& s : streams) {
    if (s.job_type == job_type) return &s;
  }
  return nullptr;
}

const Stream* Manifest::stream_named(std::string_view name) const {
  for (const auto& s : streams) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::set<std::string> Manifest::stream_names() const {
  std::set<std::string> out;
  for (const auto& s : streams) out.insert(s.name);
  return out;
}

}  // namespace cardsync::rest
