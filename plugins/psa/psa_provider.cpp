#include "psa_provider.hpp"

#include <rapidjson/document.h>

#include <utility>

#include "cert_number.hpp"
#include "psa_cursor.hpp"
#include "psa_records.hpp"
#include "psa_response.hpp"

namespace cardsync::psa {
namespace {

constexpr std::string_view kCertPath = "/cert/GetByCertNumber/";
constexpr std::string_view kImagesPath = "/cert/GetImagesByCertNumber/";

// A job key must already be a normalised cert number: the host normalises what people type
// before it enqueues, so anything else is a bug or a hand-made job, never sent to PSA.
std::string cert_of(const sdk::Job& job) {
  CertNumber n = normalise_cert_number(job.key);
  if (!n.digits || *n.digits != job.key) {
    throw sdk::Permanent("psa.cert job key \"" + std::string(job.key).substr(0, 40) +
                         "\" is not a cert number (" +
                         (n.problem.empty() ? "only digits, e.g. 12345678" : n.problem) + ")");
  }
  return *n.digits;
}

std::string json_pointer_index(rapidjson::SizeType i) {
  return "/" + std::to_string(i);
}

}  // namespace

PsaProvider::PsaProvider(const rapidjson::Value& config) : PsaProvider(Config::from_json(config)) {}

PsaProvider::PsaProvider(Config config) : config_(std::move(config)), schemas_(item_schemas()) {}

sdk::Request PsaProvider::cert_request(std::string_view cert) const {
  Request r;
  r.url = config_.base_url + std::string(kCertPath) + std::string(cert);
  r.headers = {{"Authorization", "bearer " + config_.token}, {"Accept", "application/json"}};
  return r;
}

sdk::Request PsaProvider::images_request(std::string_view cert) const {
  Request r = cert_request(cert);
  r.url = config_.base_url + std::string(kImagesPath) + std::string(cert);
  return r;
}

void PsaProvider::plan(std::string_view spec, Emitter& out) {
  rapidjson::Document doc;
  doc.Parse(spec.data(), spec.size());
  if (spec.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw sdk::Permanent(
        "a psa sync needs the certs to fetch: {\"certs\": [\"12345678\", ...]}; lookups "
        "(`cardsync psa lookup`) fetch certs on demand");
  }
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("certs") ||
      !doc["certs"].IsArray()) {
    throw sdk::Permanent("psa sync spec must be {\"certs\": [\"12345678\", ...]}");
  }
  for (const auto& c : doc["certs"].GetArray()) {
    if (!c.IsString()) throw sdk::Permanent("psa sync spec: every cert must be a string");
    CertNumber n = normalise_cert_number({c.GetString(), c.GetStringLength()});
    if (!n.digits) {
      throw sdk::Permanent("psa sync spec: \"" + std::string(c.GetString()).substr(0, 40) +
                           "\": " + n.problem);
    }
    out.job(kCertJob, *n.digits);
  }
}

std::string PsaProvider::normalise_key(std::string_view kind, std::string_view input) const {
  if (kind != "cert") throw sdk::Permanent("the psa provider looks up only certs");
  CertNumber n = normalise_cert_number(input);
  if (!n.digits) throw sdk::Permanent(n.problem);
  return *n.digits;
}

void PsaProvider::start(const Job& job, Emitter& out) {
  if (job.type != kCertJob) {
    throw sdk::Permanent("the psa provider has no job type \"" + std::string(job.type) + "\"");
  }
  const std::string cert = cert_of(job);
  // Resuming after the cert was fetched: only the images are missing. Any other cursor (the
  // last job's "found" / "not_found" / "invalid") means a fresh fetch.
  if (PendingImages::parse(job.cursor)) {
    out.request(images_request(cert));
    return;
  }
  out.request(cert_request(cert));
}

void PsaProvider::handle(const Job& job, const Request& request, const Response& response,
                         Emitter& out) {
  if (job.type != kCertJob) {
    throw sdk::Permanent("the psa provider has no job type \"" + std::string(job.type) + "\"");
  }
  const std::string cert = cert_of(job);
  if (quota_spent(response)) {
    // What PSA's 429 means is this provider's knowledge; what to do about it (send nothing
    // more until 00:00 UTC, snooze the job until then) is the host's, told through the
    // reported quota. The Retry below is for a host that does not act on the report.
    out.rate_limits(-1, 0);
  }
  if (request.url.find(kImagesPath) != std::string::npos) {
    handle_images(job, cert, request, response, out);
  } else {
    handle_cert(job, cert, request, response, out);
  }
}

void PsaProvider::handle_cert(const Job& job, const std::string& cert, const Request& request,
                              const Response& response, Emitter& out) const {
  // Permanent, but facts worth remembering rather than failures: the job completes with the
  // not_found or invalid cursor, which the host keeps (with its time) as the cert's sync
  // cursor, so asking again for the same number spends no call until the cache forgets it.
  if (auto invalid = invalid_cert(response, request, config_)) {
    complete_invalid(job, cert, *invalid, out);
    return;
  }
  check_status(response, request, Endpoint::cert, config_);
  rapidjson::Document doc;
  parse_body(response, request, config_, doc);
  if (auto invalid = invalid_request(doc, cert)) {
    complete_invalid(job, cert, *invalid, out);
    return;
  }
  const rapidjson::Value* psa_cert = found_cert(doc);
  if (psa_cert == nullptr) {
    sdk::Log::info(job.request_id, "psa: no such cert", {{"cert", cert}});
    out.cursor(kNotFoundCursor);
    return;
  }
  if (auto bad = schemas_.cert.validate(*psa_cert)) {
    throw sdk::Permanent("PSA sent cert " + cert + " in an unexpected shape: " + bad->reason +
                         " at /PSACert" + bad->json_path);
  }
  out.cursor(PendingImages{std::string(response.body)}.to_json());
  out.request(images_request(cert));
}

void PsaProvider::complete_invalid(const Job& job, const std::string& cert, const std::string& why,
                                   Emitter& out) {
  sdk::Log::info(job.request_id, "psa: invalid cert number", {{"cert", cert}, {"reason", why}});
  out.cursor(kInvalidCursor);
}

void PsaProvider::handle_images(const Job& job, const std::string& cert, const Request& request,
                                const Response& response, Emitter& out) const {
  auto pending = PendingImages::parse(job.cursor);
  if (!pending) {
    // The host hands back the checkpoint emitted with the cert answer; without it the cert
    // must be fetched again.
    throw sdk::Retry("psa: the checkpoint holding cert " + cert +
                     " is missing; the job fetches the cert again");
  }
  check_status(response, request, Endpoint::images, config_);
  rapidjson::Document images;
  if (response.status != 204 && response.status != 404) {
    parse_body(response, request, config_, images);
  }

  rapidjson::Document cert_doc;
  cert_doc.Parse(pending->cert_body.data(), pending->cert_body.size());
  const rapidjson::Value* psa_cert = cert_doc.HasParseError() ? nullptr : found_cert(cert_doc);
  if (psa_cert == nullptr) {
    throw sdk::Retry("psa: the checkpoint of cert " + cert + " is unreadable; fetching it again");
  }

  // The side comes from IsFrontImage, never from the position: PSA does not promise an order.
  struct Image {
    std::string side, url, raw;
  };
  std::vector<Image> kept;
  if (images.IsArray()) {
    for (rapidjson::SizeType i = 0; i < images.Size(); ++i) {
      const rapidjson::Value& item = images[i];
      if (auto bad = schemas_.image.validate(item)) {
        out.reject(bad->reason, json_pointer_index(i) + bad->json_path, compact_json(item));
        continue;
      }
      std::string side = item["IsFrontImage"].GetBool() ? "front" : "back";
      bool duplicate = false;
      for (const auto& k : kept) duplicate = duplicate || k.side == side;
      if (duplicate) {
        out.reject("duplicate: a second " + side + " image for the cert",
                   json_pointer_index(i) + "/IsFrontImage", compact_json(item));
        continue;
      }
      kept.push_back({std::move(side),
                      std::string(item["ImageURL"].GetString(), item["ImageURL"].GetStringLength()),
                      compact_json(item)});
    }
  } else if (!images.IsNull() && !images.IsObject()) {
    // An object is PSA's "No data found" shape: no images. Anything else is not PSA's answer.
    throw sdk::Retry("PSA sent a malformed image list for " + describe(request, config_));
  }

  out.record(CS_RECORD_GRADED_CERT, cert, "", cert_core(*psa_cert, static_cast<int>(kept.size())),
             pending->cert_body);
  for (const auto& image : kept) {
    out.record(CS_RECORD_CERT_IMAGE, cert + "/" + image.side, cert,
               image_core(image.side, image.url), image.raw);
  }
  out.cursor(kFoundCursor);
}

}  // namespace cardsync::psa
