// The failed-jobs CSV export (`queue failed --csv`, the admin API) with job fields an
// upstream or a plugin controls: types, keys, request ids, error messages and payloads of any
// bytes. Property: a strict RFC 4180 reader (csv_reader.hpp) reads back one header and one
// record of 12 fields per job, every text field exactly as stored (with the apostrophe that
// keeps formula-like text as text), and the errors column is JSON holding every message.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "csv_reader.hpp"
#include "queue/failed_jobs_csv.hpp"

namespace {

using cardsync::queue::StoredJob;
using cardsync::queue::StoredJobError;

// The next NUL-separated piece of the input (all of the rest when there is no NUL).
std::string next_field(std::string_view& in) {
  const size_t end = in.find('\0');
  std::string out(in.substr(0, end));
  in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
  return out;
}

std::string as_cell(const std::string& value) {
  const bool formula_like =
      !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
  return formula_like ? "'" + value : value;
}

void check_equal(const std::string& cell, const std::string& stored) {
  if (cell != as_cell(stored)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int64_t created_at_ms = 0;
  if (size >= sizeof created_at_ms) {
    std::memcpy(&created_at_ms, data, sizeof created_at_ms);
    data += sizeof created_at_ms;
    size -= sizeof created_at_ms;
  }
  std::string_view in(reinterpret_cast<const char*>(data), size);

  std::vector<StoredJob> jobs;
  while (!in.empty() && jobs.size() < 4) {
    StoredJob job;
    job.id = static_cast<int64_t>(jobs.size()) + 1;
    job.type = next_field(in);
    job.key = next_field(in);
    job.request_id = next_field(in);
    job.payload = next_field(in);
    job.created_at_ms = created_at_ms;
    job.updated_at_ms = created_at_ms / 3;
    const int errors = in.empty() ? 0 : static_cast<unsigned char>(in.front()) % 3;
    for (int e = 0; e < errors; ++e) {
      StoredJobError error;
      error.attempt = e + 1;
      error.at_ms = created_at_ms - e;
      error.http_status = 500 + e;
      error.message = next_field(in);
      error.request_id = job.request_id;
      job.errors.push_back(std::move(error));
    }
    job.attempts = static_cast<int>(job.errors.size());
    job.max_attempts = 5;
    jobs.push_back(std::move(job));
  }

  std::ostringstream out;
  cardsync::queue::write_failed_jobs_csv(out, jobs);
  const auto records = cardsync::fuzz::read_csv(out.str());
  if (!records || records->size() != jobs.size() + 1) std::abort();
  for (const auto& record : *records) {
    if (record.size() != 12) std::abort();
  }
  for (size_t j = 0; j < jobs.size(); ++j) {
    const auto& job = jobs[j];
    const auto& row = (*records)[j + 1];
    if (row[0] != std::to_string(job.id)) std::abort();
    check_equal(row[1], job.type);
    check_equal(row[2], job.key);
    check_equal(row[5], cardsync::queue::iso8601_utc(job.created_at_ms));
    check_equal(row[7], job.request_id);
    check_equal(row[8], job.errors.empty() ? std::string() : job.errors.back().message);
    check_equal(row[10], job.payload);
    rapidjson::Document errors;
    if (errors.Parse(row[11].data(), row[11].size()).HasParseError() || !errors.IsArray() ||
        errors.Size() != job.errors.size()) {
      std::abort();
    }
    for (rapidjson::SizeType e = 0; e < errors.Size(); ++e) {
      const auto& message = errors[e]["message"];
      if (std::string(message.GetString(), message.GetStringLength()) != job.errors[e].message) {
        std::abort();
      }
    }
  }
  return 0;
}
