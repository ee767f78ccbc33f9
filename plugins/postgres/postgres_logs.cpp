// The log table: appends, paged queries and retention.

#include <string_view>
#include <vector>

#include "postgres_sql.hpp"
#include "postgres_storage.hpp"

namespace cardsync::postgres {

void PostgresStorage::append_logs(const std::vector<LogRow>& rows) {
  if (rows.empty()) return;
  std::vector<int64_t> ts;
  std::vector<int64_t> levels;
  std::vector<std::string_view> request_ids;
  std::vector<std::string_view> messages;
  std::vector<std::string_view> fields;
  for (const LogRow& r : rows) {
    ts.push_back(r.ts_ms);
    levels.push_back(static_cast<int64_t>(r.level));
    request_ids.push_back(r.request_id);
    messages.push_back(r.message);
    fields.push_back(r.fields_json.empty() ? std::string_view("{}") : r.fields_json);
  }
  auto conn = pool_.acquire();
  conn->exec(sql::kAppendLogs, Params()
                                   .int8_array(ts)
                                   .int8_array(levels)
                                   .text_array(request_ids)
                                   .text_array(messages)
                                   .text_array(fields));
}

void PostgresStorage::query_logs(const LogQuery& query, const sdk::LogVisitor& visit) {
  Params p;
  p.int8(query.after_id)
      .int8(static_cast<int64_t>(query.min_level))
      .int8(query.since_ms)
      .limit(query.limit);
  if (!query.request_id.empty()) p.text(query.request_id);
  Result r;
  {
    auto conn = pool_.acquire();
    r = conn->exec(query.request_id.empty() ? sql::kQueryLogs : sql::kQueryLogsByRequest, p);
  }
  for (int i = 0; i < r.rows(); ++i) {
    sdk::LogRow row{r.integer(i, 0), static_cast<cs_log_level>(r.integer(i, 2)),
                    r.integer(i, 1), r.text(i, 3),
                    r.text(i, 4),    r.text(i, 5)};
    if (!visit(row)) break;
  }
}

int64_t PostgresStorage::delete_logs_before(int64_t before_ms) {
  auto conn = pool_.acquire();
  return conn->exec(sql::kDeleteLogs, Params().int8(before_ms)).affected();
}

}  // namespace cardsync::postgres
