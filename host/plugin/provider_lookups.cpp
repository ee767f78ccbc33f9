#include "plugin/provider_lookups.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include "plugin/call_error.hpp"

namespace cardsync::plugin {
namespace {

// The first byte past the 1.2 members: a vtable this long declares lookups.
constexpr std::size_t kVtableSizeV1_2 =
    offsetof(cs_provider_vtable, normalise_key) + sizeof(cs_provider_vtable::normalise_key);

std::string text(const char* s) {
  return s == nullptr ? std::string() : std::string(s);
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

ProviderLookups::ProviderLookups(const cs_provider_vtable& vtable, void* instance,
                                 std::string_view provider,
                                 const std::vector<std::string>& job_types,
                                 const JobTypeNames* names)
    : instance_(instance) {
  if (vtable.struct_size < kVtableSizeV1_2 || vtable.lookup_count == 0) return;
  const std::string who = "provider '" + std::string(provider) + "'";
  if (vtable.lookups == nullptr || vtable.normalise_key == nullptr) {
    throw std::invalid_argument(who + " declares lookups without the lookups table or " +
                                "normalise_key");
  }
  normalise_ = vtable.normalise_key;
  for (std::size_t i = 0; i < vtable.lookup_count; ++i) {
    const auto& c = *static_cast<const cs_lookup_kind*>(cs_array_at(vtable.lookups, i));
    LookupKind k;
    k.name = text(c.name);
    k.job_type = names != nullptr ? names->to_host(text(c.job_type)) : text(c.job_type);
    k.description = text(c.description);
    k.key_example = text(c.key_example);
    k.record_kind = static_cast<cs_record_kind>(c.record_kind);
    k.child_kind = c.child_kind;
    k.child_field = text(c.child_field);
    k.ttl = std::chrono::seconds(std::max<int64_t>(1, c.ttl_seconds));
    k.not_found_ttl = std::chrono::seconds(std::max<int64_t>(1, c.not_found_ttl_seconds));
    if (!valid_name(k.name)) {
      throw std::invalid_argument(who + " declares a lookup named \"" + k.name +
                                  "\"; names are [a-z0-9_]+");
    }
    if (find(k.name) != nullptr) {
      throw std::invalid_argument(who + " declares the lookup \"" + k.name + "\" twice");
    }
    if (std::find(job_types.begin(), job_types.end(), k.job_type) == job_types.end()) {
      throw std::invalid_argument(who + "'s lookup \"" + k.name + "\" names the job type \"" +
                                  k.job_type + "\", which the provider does not serve");
    }
    if (k.child_kind != 0 && k.child_field.empty()) {
      throw std::invalid_argument(who + "'s lookup \"" + k.name +
                                  "\" has child records but no child_field to answer them in");
    }
    kinds_.push_back(std::move(k));
  }
}

const LookupKind* ProviderLookups::find(std::string_view kind) const {
  if (kind.empty()) return kinds_.size() == 1 ? &kinds_.front() : nullptr;
  for (const auto& k : kinds_) {
    if (k.name == kind) return &k;
  }
  return nullptr;
}

NormalisedKey ProviderLookups::normalise(const LookupKind& kind, std::string_view input) const {
  NormalisedKey out;
  if (normalise_ == nullptr) {
    out.problem = "this provider offers no lookups";
    return out;
  }
  std::string key;
  bool visited = false;
  auto visit = [](void* ctx, cs_str value) {
    auto* k = static_cast<std::pair<std::string*, bool*>*>(ctx);
    k->first->assign(value.data == nullptr ? "" : value.data, value.len);
    *k->second = true;
  };
  std::pair<std::string*, bool*> ctx{&key, &visited};
  cs_error err;
  const cs_status status = normalise_(instance_, cs_str{kind.name.data(), kind.name.size()},
                                      cs_str{input.data(), input.size()}, visit, &ctx, &err);
  if (status != CS_OK) {
    out.problem = describe_failure(status, err);
  } else if (!visited || key.empty()) {
    out.problem = "the provider accepted the key but gave no canonical form";
  } else {
    out.key = std::move(key);
  }
  return out;
}

}  // namespace cardsync::plugin
