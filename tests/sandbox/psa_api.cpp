#include "sandbox/psa_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "sandbox/psa_certs.hpp"
#include "sandbox/router.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

ApiResponse finish(unsigned status, rapidjson::StringBuffer& buf) {
  return ApiResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

ApiResponse no_data_found(bool null_cert) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  if (null_cert) {
    w.Key("PSACert");
    w.Null();
    w.Key("DNACert");
    w.Null();
  }
  w.Key("IsValidRequest");
  w.Bool(true);
  w.Key("ServerMessage");
  w.String("No data found");
  w.EndObject();
  return finish(200, buf);
}

ApiResponse empty_request() {
  ApiResponse r;
  r.status = 204;
  r.content_type = "application/json; charset=utf-8";
  return r;
}

void write_psa_cert(Writer& w, const PsaCert& c) {
  w.StartObject();
  w.Key("CertNumber");
  str(w, c.number);
  w.Key("SpecID");
  w.Int64(c.spec_id);
  w.Key("SpecNumber");
  str(w, "0" + std::to_string(c.spec_id));
  w.Key("LabelType");
  w.String("LighthouseLabel");
  w.Key("ReverseBarCode");
  w.Bool(false);
  w.Key("Year");
  str(w, c.year);
  w.Key("Brand");
  str(w, c.brand);
  w.Key("Category");
  str(w, c.category);
  w.Key("CardNumber");
  str(w, c.card_number);
  w.Key("Subject");
  str(w, c.subject);
  w.Key("Variety");
  str(w, c.variety);
  w.Key("IsPSADNA");
  w.Bool(false);
  w.Key("IsDualCert");
  w.Bool(false);
  w.Key("GradeDescription");
  str(w, c.grade);
  w.Key("CardGrade");
  str(w, c.grade);
  w.Key("TotalPopulation");
  w.Int64(c.total_population);
  w.Key("TotalPopulationWithQualifier");
  w.Int64(0);
  w.Key("PopulationHigher");
  w.Int64(c.population_higher);
  w.Key("ItemStatus");
  w.String("Completed");
  w.EndObject();
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (auto part = text.substr(0, comma); !part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

PsaApi::PsaApi(PsaOptions options, FaultInjector& faults)
    : options_(std::move(options)), usage_(options_.daily_quota, 0, faults.clock()) {}

void PsaApi::add_routes(Router& router) {
  router.add(
      http::verb::get, "/publicapi/cert/GetByCertNumber/{cert}",
      [this](const ApiRequest& r) { return cert(r); }, this);
  router.add(
      http::verb::get, "/publicapi/cert/GetImagesByCertNumber/{cert}",
      [this](const ApiRequest& r) { return images(r); }, this);
}

void PsaApi::add_control_routes(Router& router) {
  router.add(
      http::verb::get, "/_sandbox/truth/psa", [this](const ApiRequest& r) { return truth(r); },
      nullptr);
}

ApiResponse PsaApi::error(unsigned status, std::string_view /*code*/,
                          std::string_view message) const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("Message");
  str(w, message);
  w.EndObject();
  return finish(status, buf);
}

std::optional<ApiResponse> PsaApi::admit(const ApiRequest& req) {
  // PSA answers a missing or wrong token with a bare 500, which is why a client can only
  // infer bad credentials from 500s that persist.
  std::string_view auth = req.header("Authorization");
  constexpr std::string_view kScheme = "bearer ";
  bool scheme = auth.size() > kScheme.size();
  for (std::size_t i = 0; scheme && i < kScheme.size(); ++i) {
    scheme = std::tolower(static_cast<unsigned char>(auth[i])) == kScheme[i];
  }
  if (!scheme || auth.substr(kScheme.size()) != options_.token) {
    return error(500, "", "An error has occurred.");
  }
  UsageSnapshot used;
  if (usage_.admit(used) != QuotaVerdict::kAdmitted) {
    return error(429, "",
                 "API calls quota exceeded! maximum admitted " +
                     std::to_string(options_.daily_quota) + " per Day.");
  }
  return std::nullopt;
}

ApiResponse PsaApi::cert(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  const PsaCert c = psa_cert(req.path_params.at("cert"));
  switch (c.status) {
    case PsaCertStatus::kInvalid:
      return error(400, "", "The request is invalid: bad certificate number.");
    case PsaCertStatus::kEmpty:
      return empty_request();
    case PsaCertStatus::kNotFound:
      return no_data_found(false);
    case PsaCertStatus::kNotFoundNullCert:
      return no_data_found(true);
    case PsaCertStatus::kFound:
      break;
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("PSACert");
  write_psa_cert(w, c);
  w.Key("DNACert");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return finish(200, buf);
}

ApiResponse PsaApi::images(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  const PsaCert c = psa_cert(req.path_params.at("cert"));
  if (c.status == PsaCertStatus::kInvalid) {
    return error(400, "", "The request is invalid: bad certificate number.");
  }
  if (c.status == PsaCertStatus::kEmpty) return empty_request();
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const auto& image : c.images) {
    w.StartObject();
    w.Key("IsFrontImage");
    w.Bool(image.front);
    w.Key("ImageURL");
    str(w, image.url);
    w.EndObject();
  }
  w.EndArray();
  return finish(200, buf);
}

ApiResponse PsaApi::truth(const ApiRequest& req) const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("rules");
  w.String(
      "digits as requested: non-digits or > 10 digits -> 400; only zeros -> 204; ending 000 -> "
      "200 No data found; ending 999 -> the same with PSACert null; else found, images by the "
      "last digit: 1 back first, 2 none, else front first");
  w.Key("daily_quota");
  w.Uint64(options_.daily_quota);
  w.Key("examples");
  w.StartObject();
  const std::pair<const char*, std::string_view> examples[] = {
      {"found", PsaExamples::kFound},
      {"back_first", PsaExamples::kBackFirst},
      {"no_images", PsaExamples::kNoImages},
      {"leading_zeros", PsaExamples::kLeadingZeros},
      {"not_found", PsaExamples::kNotFound},
      {"not_found_null_cert", PsaExamples::kNotFoundNullCert},
      {"invalid", PsaExamples::kInvalid},
      {"empty", PsaExamples::kEmpty}};
  for (const auto& [name, number] : examples) {
    w.Key(name);
    str(w, number);
  }
  w.EndObject();
  w.Key("certs");
  w.StartArray();
  for (const auto& number : split_commas(req.query.get("certs").value_or(""))) {
    const PsaCert c = psa_cert(number);
    w.StartObject();
    w.Key("cert");
    str(w, c.number);
    w.Key("status");
    str(w, to_string(c.status));
    if (c.status == PsaCertStatus::kFound) {
      w.Key("grade");
      str(w, c.grade);
      w.Key("subject");
      str(w, c.subject);
      w.Key("year");
      str(w, c.year);
      w.Key("brand");
      str(w, c.brand);
      w.Key("spec_id");
      w.Int64(c.spec_id);
      w.Key("population");
      w.Int64(c.total_population);
      w.Key("population_higher");
      w.Int64(c.population_higher);
      w.Key("images");
      w.StartObject();
      for (const auto& image : c.images) {
        w.Key(image.front ? "front" : "back");
        str(w, image.url);
      }
      w.EndObject();
      w.Key("served_order");
      w.StartArray();
      for (const auto& image : c.images) w.String(image.front ? "front" : "back");
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return finish(200, buf);
}

}  // namespace cardsync::sandbox
