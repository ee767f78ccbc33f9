#include "rest_provider.hpp"

#include <cardsync/validation.hpp>

#include <cmath>

#include "job_cursor.hpp"
#include "manifest_inspection.hpp"
#include "page_handler.hpp"
#include "rest_request.hpp"

namespace cardsync::embedded {
extern const std::string_view rest_manifest_schema;
}  // namespace cardsync::embedded

namespace cardsync::rest {
namespace {

// The options with the manifest's defaults for the ones left out, base_url included.
rapidjson::Document options_of(const rapidjson::Value& section, const rapidjson::Value& manifest) {
  rapidjson::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  for (const auto& m : section.GetObject()) {
    if (std::string_view(m.name.GetString()) == RestProvider::kDocumentKey) continue;
    out.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
  }
  const rapidjson::Document schema = config_schema_of(manifest);
  for (const auto& p : schema["properties"].GetObject()) {
    auto d = p.value.FindMember("default");
    if (d != p.value.MemberEnd() && !out.HasMember(p.name)) {
      out.AddMember(rapidjson::Value(p.name, a), rapidjson::Value(d->value, a), a);
    }
  }
  return out;
}

}  // namespace

const char* manifest_schema_json() {
  // cardsync_embed terminates the bytes with a NUL.
  return embedded::rest_manifest_schema.data();
}

std::string RestProvider::inspect_document(const rapidjson::Value& manifest) {
  return inspect_manifest(manifest);
}

RestProvider::RestProvider(const rapidjson::Value& config) {
  if (!config.IsObject()) throw sdk::Fatal("the rest provider's config section is not an object");
  auto doc = config.FindMember(kDocumentKey);
  if (doc == config.MemberEnd() || !doc->value.IsObject()) {
    throw sdk::Fatal("the rest provider needs `manifest`, the parsed manifest object");
  }
  Problems problems;
  manifest_ = Manifest::parse(doc->value, problems);
  if (!problems.empty()) {
    throw sdk::Fatal("the manifest has problems:\n" + problems.summary());
  }
  config_ = options_of(config, doc->value);
  // `config check` validated the section already; this catches a host that did not. Keys the
  // manifest does not declare are the host's (resilience, plugin...), not checked here.
  rapidjson::Document options_schema = config_schema_of(doc->value);
  options_schema.RemoveMember("additionalProperties");
  if (auto bad = sdk::ItemSchema(json_text(options_schema)).validate(config_)) {
    throw sdk::Fatal("option " +
                     (bad->json_path.empty() ? std::string("section") : bad->json_path.substr(1)) +
                     ": " + bad->reason);
  }
  auto base = config_.FindMember("base_url");
  if (base == config_.MemberEnd() || !base->value.IsString()) {
    throw sdk::Fatal("no base_url: the manifest gives none and the config section neither");
  }
  base_url_ = base->value.GetString();
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (base_url_.rfind("http://", 0) != 0 && base_url_.rfind("https://", 0) != 0) {
    throw sdk::Fatal("base_url must start with http:// or https://, not " + base_url_);
  }

  for (const auto& s : manifest_->streams) job_types_.push_back(s.job_type.c_str());
  job_types_.push_back(nullptr);
  item_schemas_ = "{";
  for (const auto& s : manifest_->streams) {
    if (item_schemas_.size() > 1) item_schemas_ += ",";
    item_schemas_ += "\"" + s.name + "\":" + s.schema_text;
  }
  item_schemas_ += "}";
  for (const auto& l : manifest_->lookups) {
    lookups_.push_back(sdk::lookup_kind({
        .record_kind = l.record_kind,
        .name = l.name.c_str(),
        .job_type = l.job_type.c_str(),
        .description = l.description.c_str(),
        .key_example = l.key_example.c_str(),
        .child_kind = l.child_kind,
        .child_field = l.child_field.empty() ? nullptr : l.child_field.c_str(),
        .ttl_seconds = l.ttl_seconds,
        .not_found_ttl_seconds = l.not_found_ttl_seconds,
    }));
  }
}

void RestProvider::describe(cs_instance_description& out) const {
  out.job_types = job_types_.data();
  out.item_schemas = item_schemas_.c_str();
  out.lookups = lookups_.empty() ? nullptr : lookups_.data();
  out.lookup_count = lookups_.size();
}

const Stream& RestProvider::stream_of(const Job& job) const {
  const Stream* s = manifest_->stream_for_job(job.type);
  if (s == nullptr) throw sdk::Permanent("unknown job type " + std::string(job.type));
  return *s;
}

void RestProvider::plan(std::string_view /*spec*/, Emitter& out) {
  Scope scope;
  scope.config = &config_;
  scope.tables = &manifest_->tables;
  for (const auto& entry : manifest_->plan) {
    const std::string type = std::string(kJobTypePrefix) + entry.stream;
    if (entry.for_each.empty()) {
      out.job(type, entry.key.text(scope));
      continue;
    }
    auto list = config_.FindMember(entry.for_each.c_str());
    if (list == config_.MemberEnd() || !list->value.IsArray()) continue;
    for (const auto& element : list->value.GetArray()) {
      scope.each = &element;
      const Template::Rendered key = entry.key.render(scope);
      if (key.complete && !key.text.empty()) out.job(type, key.text);
    }
    scope.each = nullptr;
  }
}

void RestProvider::start(const Job& job, Emitter& out) {
  const Stream& stream = stream_of(job);
  if (manifest_->rate.per_minute) out.rate_limits(std::llround(*manifest_->rate.per_minute), -1);
  bool readable = true;
  const JobCursor cursor = JobCursor::parse(job.cursor, &readable);
  if (!readable && stream.lookup < 0) {
    sdk::Log::warn(job.request_id, "unreadable rest cursor; starting the job over",
                   {{"job_type", job.type}, {"job_key", job.key}});
  }
  const JobContext ctx{*manifest_, stream, config_, base_url_, job};
  const rapidjson::Document payload = payload_of(job);
  Scope scope = job_scope(ctx, payload, cursor);
  const PageState state = cursor.next.value_or(stream.paging.first());
  stream.paging.expose(state, scope);
  out.request(build_request(*manifest_, stream, state, scope, base_url_));
}

void RestProvider::handle(const Job& job, const Request& request, const Response& response,
                          Emitter& out) {
  const JobContext ctx{*manifest_, stream_of(job), config_, base_url_, job};
  handle_page(ctx, request, response, out);
}

std::string RestProvider::normalise_key(std::string_view kind, std::string_view input) const {
  for (const auto& l : manifest_->lookups) {
    if (l.name == kind) return l.key_rule.normalise(input);
  }
  throw sdk::Permanent("this manifest has no lookup named \"" + std::string(kind) + "\"");
}

const cs_plugin_descriptor* rest_descriptor() noexcept {
  return sdk::descriptor<RestProvider>();
}

}  // namespace cardsync::rest
