#include "plugin/provider_runtime.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "plugin/call_error.hpp"

// The host's side of cs_emit: where a provider call's output is collected.
struct cs_emit {
  cardsync::plugin::ProviderOutput* out;
  std::string_view source;
  std::string_view request_id;
};

namespace cardsync::plugin {
namespace {

std::string str(cs_str s) {
  return s.data == nullptr ? std::string() : std::string(s.data, s.len);
}

// Emit callbacks are called from plugin code through C: they must not throw. A failed
// allocation loses that one emission, which the job's next attempt repeats.
template <class Fn>
void guard(Fn&& fn) noexcept {
  try {
    fn();
  } catch (...) {  // NOLINT(bugprone-empty-catch): see above
  }
}

const cs_emit_api kEmitApi = {
    sizeof(cs_emit_api),
    // request
    [](cs_emit* e, const cs_request* r) {
      guard([&] {
        HttpRequest req;
        req.method = str(r->method);
        req.url = str(r->url);
        for (size_t i = 0; i < r->header_count; ++i) {
          req.headers.add(str(r->headers[i].name), str(r->headers[i].value));
        }
        req.body = str(r->body);
        e->out->requests.push_back(std::move(req));
      });
    },
    // record
    [](cs_emit* e, const cs_record* r) {
      guard([&] {
        queue::RecordItem item;
        item.kind = static_cast<cs_record_kind>(r->kind);
        item.key = str(r->key);
        item.parent_key = str(r->parent_key);
        item.source = std::string(e->source);
        item.core_json = str(r->core_json);
        item.raw_json = str(r->raw_json);
        e->out->records.push_back(std::move(item));
      });
    },
    // reject
    [](cs_emit* e, cs_str reason, cs_str path, cs_str raw) {
      guard([&] { e->out->rejects.push_back({str(reason), str(path), str(raw)}); });
    },
    // job
    [](cs_emit* e, cs_str type, cs_str key, cs_str payload) {
      guard([&] {
        queue::NewJob job;
        job.type = str(type);
        job.key = str(key);
        job.payload = str(payload);
        job.request_id = std::string(e->request_id);  // follow-ups carry the run's id
        e->out->jobs.push_back(std::move(job));
      });
    },
    // cursor
    [](cs_emit* e, cs_str cursor) { guard([&] { e->out->cursor = str(cursor); }); },
    // rate_limits
    [](cs_emit* e, int64_t per_minute, int64_t remaining_today) {
      e->out->rate_per_minute = per_minute;
      e->out->remaining_today = remaining_today;
    }};

cs_str view(const std::string& s) {
  return cs_str{s.data(), s.size()};
}

// The job as its plugin names it: the instance's job type turned back into the plugin's.
struct JobView {
  JobView(const queue::StoredJob& j, const JobTypeNames& names)
      : type(names.to_plugin(j.type)), job{sizeof(cs_job),     j.id,
                                           view(type),         view(j.key),
                                           view(j.payload),    view(j.cursor),
                                           view(j.request_id), j.attempts} {}
  std::string type;
  cs_job job;
};

// The first byte past the 1.3 members: a vtable this long may describe its instances.
constexpr std::size_t kVtableSizeV1_3 =
    offsetof(cs_provider_vtable, describe) + sizeof(cs_provider_vtable::describe);

}  // namespace

ProviderRuntime::ProviderRuntime(std::unique_ptr<Instance> instance, std::optional<UrlScope> scope,
                                 std::string instance_name)
    : instance_(std::move(instance)),
      vtable_(instance_->library().provider()),
      name_(instance_name.empty() ? std::string(instance_->library().name())
                                  : std::move(instance_name)),
      names_(name_, vtable_ != nullptr && vtable_->service != nullptr ? vtable_->service : ""),
      scope_(std::move(scope)) {
  if (vtable_ == nullptr) throw std::invalid_argument("not a provider plugin");
  // A plugin whose streams come from its config describes each instance; the copy carries
  // the instance's job types, schemas and lookups in place of the static ones. Only the
  // bytes the plugin's vtable has are copied: an older minor's is shorter than ours, and the
  // members it lacks stay zero (ProviderLookups reads its struct_size the same way).
  cs_provider_vtable described{};
  std::memcpy(&described, vtable_, std::min<std::size_t>(vtable_->struct_size, sizeof described));
  if (vtable_->struct_size >= kVtableSizeV1_3 && vtable_->describe != nullptr) {
    cs_instance_description d{};
    d.struct_size = sizeof(d);
    vtable_->describe(instance_->handle(), &d);
    described.job_types = d.job_types;
    described.item_schemas = d.item_schemas;
    described.lookups = d.lookups;
    described.lookup_count = d.lookup_count;
  }
  for (const char* const* t = described.job_types; t != nullptr && *t != nullptr; ++t) {
    if (!names_.convertible(*t)) {
      throw std::invalid_argument(
          "provider plugin '" + std::string(plugin()) + "' serves the job type \"" + *t +
          "\", which does not start with its service \"" + vtable_->service +
          ".\", so it cannot run as instance '" + name_ + "'");
    }
    job_types_.push_back(names_.to_host(*t));
  }
  lookups_ = plugin::ProviderLookups(described, instance_->handle(), name(), job_types_, &names_);
}

bool ProviderRuntime::serves(std::string_view job_type) const {
  for (const auto& t : job_types_) {
    if (t == job_type) return true;
  }
  return false;
}

std::optional<std::string> ProviderRuntime::out_of_scope(const HttpRequest& request) const {
  if (!scope_ || scope_->allows(request.url)) return std::nullopt;
  return "provider '" + std::string(name()) + "' asked for " + url_without_query(request.url) +
         ", which is outside its base_url " + scope_->base_url() + "; refused without sending it";
}

ProviderResult ProviderRuntime::plan(std::string_view spec) const {
  ProviderResult r;
  cs_emit e{&r.output, name(), {}};
  cs_error err;
  r.status =
      vtable_->plan(instance_->handle(), cs_str{spec.data(), spec.size()}, &kEmitApi, &e, &err);
  if (r.status != CS_OK) r.error = describe_failure(r.status, err);
  return finish(std::move(r));
}

ProviderResult ProviderRuntime::start(const queue::StoredJob& job) const {
  ProviderResult r;
  cs_emit e{&r.output, name(), job.request_id};
  cs_error err;
  JobView jv(job, names_);
  r.status = vtable_->start(instance_->handle(), &jv.job, &kEmitApi, &e, &err);
  if (r.status != CS_OK) r.error = describe_failure(r.status, err);
  return finish(std::move(r));
}

ProviderResult ProviderRuntime::handle(const queue::StoredJob& job, const HttpRequest& request,
                                       const HttpResponse& response) const {
  ProviderResult r;
  cs_emit e{&r.output, name(), job.request_id};
  cs_error err;
  JobView jv(job, names_);

  std::vector<cs_header> req_headers;
  for (const auto& [k, v] : request.headers) req_headers.push_back({view(k), view(v)});
  cs_request req{sizeof(cs_request), view(request.method), view(request.url),
                 req_headers.data(), req_headers.size(),   view(request.body)};
  std::vector<cs_header> res_headers;
  for (const auto& [k, v] : response.headers) res_headers.push_back({view(k), view(v)});
  cs_response res{sizeof(cs_response), response.status, res_headers.data(), res_headers.size(),
                  view(response.body)};

  r.status = vtable_->handle(instance_->handle(), &jv.job, &req, &res, &kEmitApi, &e, &err);
  if (r.status != CS_OK) r.error = describe_failure(r.status, err);
  return finish(std::move(r));
}

ProviderResult ProviderRuntime::finish(ProviderResult r) const {
  if (names_.renames()) {
    for (auto& job : r.output.jobs) job.type = names_.to_host(job.type);
  }
  return r;
}

bool ProviderRuntime::disable(const std::string& reason) {
  std::lock_guard lock(mu_);
  if (disabled_.load(std::memory_order_relaxed)) return false;
  disabled_reason_ = reason;
  disabled_.store(true, std::memory_order_release);
  return true;
}

std::string ProviderRuntime::disabled_reason() const {
  std::lock_guard lock(mu_);
  return disabled_reason_;
}

}  // namespace cardsync::plugin
