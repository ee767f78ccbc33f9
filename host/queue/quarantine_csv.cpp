#include "queue/quarantine_csv.hpp"

#include "queue/failed_jobs_csv.hpp"

namespace cardsync::queue {

void write_quarantine_csv(std::ostream& out, const std::vector<StoredQuarantine>& items) {
  out << "id,at,source,job_type,job_key,reason,json_path,request_id,raw_item\r\n";
  for (const auto& q : items) {
    out << q.id << ',' << iso8601_utc(q.at_ms) << ',' << csv_field(q.source) << ','
        << csv_field(q.job_type) << ',' << csv_field(q.job_key) << ',' << csv_field(q.reason) << ','
        << csv_field(q.json_path) << ',' << csv_field(q.request_id) << ',' << csv_field(q.raw_item)
        << "\r\n";
  }
}

}  // namespace cardsync::queue
