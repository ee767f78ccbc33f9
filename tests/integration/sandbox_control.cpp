#include "integration/sandbox_control.hpp"

#include <curl/curl.h>

#include <memory>
#include <stdexcept>

namespace cardsync::integration {
namespace {

std::uint64_t member_u64(const rapidjson::Value& obj, std::string_view key) {
  if (!obj.IsObject()) return 0;
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it != obj.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
}

const rapidjson::Value* member(const rapidjson::Value& obj, std::string_view key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string member_string(const rapidjson::Value& obj, std::string_view key) {
  const auto* v = member(obj, key);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                                       : std::string();
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

std::uint64_t UpstreamStats::total() const {
  return member_u64(doc, "total");
}

std::uint64_t UpstreamStats::count(std::string_view route, std::string_view status) const {
  const auto* requests = member(doc, "requests");
  const auto* by_status = requests != nullptr ? member(*requests, route) : nullptr;
  return by_status != nullptr ? member_u64(*by_status, status) : 0;
}

std::uint64_t UpstreamStats::route_total(std::string_view route) const {
  const auto* requests = member(doc, "requests");
  const auto* by_status = requests != nullptr ? member(*requests, route) : nullptr;
  std::uint64_t n = 0;
  if (by_status != nullptr && by_status->IsObject()) {
    for (const auto& s : by_status->GetObject()) n += s.value.IsUint64() ? s.value.GetUint64() : 0;
  }
  return n;
}

std::uint64_t UpstreamStats::fault(std::string_view name) const {
  const auto* faults = member(doc, "faults");
  return faults != nullptr ? member_u64(*faults, name) : 0;
}

std::uint64_t UpstreamStats::served(std::string_view kind) const {
  const auto* served = member(doc, "served");
  return served != nullptr ? member_u64(*served, kind) : 0;
}

SandboxControl::SandboxControl(std::string root) : root_(std::move(root)) {}

rapidjson::Document SandboxControl::call(const std::string& path, bool post) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  const std::string url = root_ + path;
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (post) {
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, "");
  }
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    throw std::runtime_error(url + ": " + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (status != 200 || doc.HasParseError()) {
    throw std::runtime_error(url + ": HTTP " + std::to_string(status) + ": " + body);
  }
  return doc;
}

rapidjson::Document SandboxControl::get(const std::string& path) const {
  return call(path, false);
}

rapidjson::Document SandboxControl::post(const std::string& path) const {
  return call(path, true);
}

UpstreamTruth SandboxControl::truth() const {
  const auto doc = get("/_sandbox/truth?invalid=1");
  UpstreamTruth t;
  t.games = member_u64(doc, "games");
  t.sets = member_u64(doc, "sets");
  t.cards = member_u64(doc, "cards");
  t.variants = member_u64(doc, "variants");
  t.checksum = member_string(doc, "checksum");
  if (const auto* invalid = member(doc, "invalid")) {
    t.invalid_cards = member_u64(*invalid, "cards");
    t.invalid_variants = member_u64(*invalid, "variants");
    t.invalid_card_items = member_u64(*invalid, "card_items");
    t.invalid_variant_items = member_u64(*invalid, "variant_items");
  }
  if (const auto* items = member(doc, "invalid_items"); items != nullptr && items->IsArray()) {
    for (const auto& item : items->GetArray()) {
      t.invalid_items.push_back({member_string(item, "kind"), member_string(item, "id"),
                                 member_string(item, "card_id"), member_string(item, "defect"),
                                 member_string(item, "path")});
    }
  }
  return t;
}

UpstreamStats SandboxControl::stats() const {
  return UpstreamStats{get("/_sandbox/stats")};
}

void SandboxControl::reset_stats() const {
  post("/_sandbox/reset-stats");
}

std::uint64_t SandboxControl::mutate(double fraction) const {
  return member_u64(post("/_sandbox/mutate?fraction=" + std::to_string(fraction)), "mutated");
}

void SandboxControl::outage(double seconds) const {
  post("/_sandbox/outage?duration=" + std::to_string(seconds));
}

}  // namespace cardsync::integration
