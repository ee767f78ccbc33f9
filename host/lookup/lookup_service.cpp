#include "lookup/lookup_service.hpp"

#include <utility>

namespace cardsync::lookup {
namespace {

const rapidjson::Value* member(const rapidjson::Value* obj, std::string_view key) {
  if (obj == nullptr || !obj->IsObject()) return nullptr;
  auto it = obj->FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == obj->MemberEnd() ? nullptr : &it->value;
}

std::string kind_names(const plugin::ProviderLookups& lookups) {
  std::string out;
  for (const auto& k : lookups.kinds()) out += (out.empty() ? "" : ", ") + k.name;
  return out;
}

}  // namespace

LookupService::LookupService(const pipeline::PipelineParts& parts,
                             const std::vector<std::shared_ptr<plugin::ProviderRuntime>>& providers,
                             const rapidjson::Value* providers_config)
    : clock_(parts.clock) {
  for (const auto& p : providers) {
    Entry& e = providers_[std::string(p->name())];
    e.provider = p;
    const rapidjson::Value* section = member(providers_config, p->name());
    for (const auto& kind : p->lookups().kinds()) {
      e.caches.emplace(kind.name, std::make_unique<FetchThroughCache>(
                                      parts, p, kind, read_lookup_options(kind, section)));
    }
  }
}

std::vector<LookupService::ProviderLookupInfo> LookupService::catalog() const {
  std::vector<ProviderLookupInfo> out;
  for (const auto& [name, e] : providers_) {
    if (e.caches.empty()) continue;
    out.push_back({name, e.provider->lookups().kinds()});
  }
  return out;
}

std::string LookupService::with_lookups() const {
  std::string list;
  for (const auto& info : catalog()) {
    std::string kinds;
    for (const auto& k : info.kinds) kinds += (kinds.empty() ? "" : ", ") + k.name;
    list += (list.empty() ? "" : "; ") + info.provider + " (" + kinds + ")";
  }
  return list.empty() ? "no configured provider has lookups" : "providers with lookups: " + list;
}

std::variant<FetchThroughCache*, LookupRefusal, LookupAnswer> LookupService::resolve(
    std::string_view provider, std::string_view kind, std::string_view input, std::string& key) {
  auto it = providers_.find(provider);
  if (it == providers_.end()) {
    return LookupRefusal{
        LookupRefusal::Why::no_such_provider,
        "no provider \"" + std::string(provider) + "\" is configured; " + with_lookups()};
  }
  Entry& e = it->second;
  if (e.caches.empty()) {
    return LookupRefusal{
        LookupRefusal::Why::no_lookups,
        "provider \"" + std::string(provider) + "\" has no lookups; " + with_lookups()};
  }
  const plugin::LookupKind* k = e.provider->lookups().find(kind);
  if (k == nullptr) {
    const std::string names = kind_names(e.provider->lookups());
    return LookupRefusal{LookupRefusal::Why::no_such_kind,
                         kind.empty()
                             ? "provider \"" + std::string(provider) +
                                   "\" has several lookups; choose one with kind: " + names
                             : "provider \"" + std::string(provider) + "\" has no lookup \"" +
                                   std::string(kind) + "\"; its lookups: " + names};
  }
  const plugin::NormalisedKey n = e.provider->lookups().normalise(*k, input);
  if (!n.key) {
    LookupAnswer a;
    a.provider = std::string(provider);
    a.kind = k->name;
    a.status = LookupStatus::invalid;
    a.message = n.problem;
    return a;
  }
  key = *n.key;
  return e.caches.find(k->name)->second.get();
}

CachedLookup LookupService::from_cache(std::string_view provider, std::string_view kind,
                                       std::string_view input, std::string_view request_id) {
  std::string key;
  auto r = resolve(provider, kind, input, key);
  if (auto* refusal = std::get_if<LookupRefusal>(&r)) return std::move(*refusal);
  if (auto* answer = std::get_if<LookupAnswer>(&r)) return std::move(*answer);
  FetchThroughCache* cache = std::get<FetchThroughCache*>(r);
  if (auto a = cache->cached(key, request_id)) return std::move(*a);
  return LookupMiss{std::string(provider), cache->kind().name, std::move(key)};
}

LookupAnswer LookupService::fetch(const LookupMiss& miss, std::string_view request_id,
                                  Clock::SteadyTime asked_at) {
  std::string key;
  auto r = resolve(miss.provider, miss.kind, miss.key, key);
  if (auto* cache = std::get_if<FetchThroughCache*>(&r)) {
    return (*cache)->fetch(key, request_id, asked_at + (*cache)->options().deadline);
  }
  // A miss names a provider and kind resolved a moment ago: only a caller's own making
  // reaches here.
  LookupAnswer a;
  a.provider = miss.provider;
  a.kind = miss.kind;
  a.key = miss.key;
  a.status = LookupStatus::invalid;
  a.message = "not a lookup this process serves";
  if (auto* answer = std::get_if<LookupAnswer>(&r)) a.message = answer->message;
  return a;
}

std::variant<LookupAnswer, LookupRefusal> LookupService::lookup(std::string_view provider,
                                                                std::string_view kind,
                                                                std::string_view input,
                                                                std::string_view request_id) {
  auto r = from_cache(provider, kind, input, request_id);
  if (auto* refusal = std::get_if<LookupRefusal>(&r)) return std::move(*refusal);
  if (auto* answer = std::get_if<LookupAnswer>(&r)) return std::move(*answer);
  return fetch(std::get<LookupMiss>(r), request_id, clock_.now());
}

}  // namespace cardsync::lookup
