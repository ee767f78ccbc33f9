// The log table: appends, paged queries and retention.

#include <string_view>
#include <vector>

#include "sqlite_sql.hpp"
#include "sqlite_storage.hpp"

namespace cardsync::sqlite {

void SqliteStorage::append_logs(const std::vector<LogRow>& rows) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  for (const LogRow& r : rows) {
    Statement st = writer_->prepare(sql::kAppendLog);
    st.bind(1, r.ts_ms);
    st.bind(2, static_cast<int64_t>(r.level));
    st.bind(3, r.request_id);
    st.bind(4, r.message);
    st.bind(5, r.fields_json.empty() ? std::string_view("{}") : r.fields_json);
    st.run();
  }
  tx.commit();
}

void SqliteStorage::query_logs(const LogQuery& query, const sdk::LogVisitor& visit) {
  ReadLease conn(*this);
  Statement st =
      (*conn).prepare(query.request_id.empty() ? sql::kQueryLogs : sql::kQueryLogsByRequest);
  st.bind(1, query.after_id);
  st.bind(2, static_cast<int64_t>(query.min_level));
  st.bind(3, query.since_ms);
  st.bind(4, query.limit > 0 ? query.limit : int64_t{-1});
  if (!query.request_id.empty()) st.bind(5, query.request_id);
  while (st.step()) {
    sdk::LogRow row{st.integer(0), static_cast<cs_log_level>(st.integer(2)),
                    st.integer(1), st.text(3),
                    st.text(4),    st.text(5)};
    if (!visit(row)) break;
  }
}

int64_t SqliteStorage::delete_logs_before(int64_t before_ms) {
  std::lock_guard lock(write_mu_);
  WriteTransaction tx(*writer_);
  int64_t deleted = 0;
  {
    Statement st = writer_->prepare(sql::kDeleteLogs);
    st.bind(1, before_ms);
    deleted = st.run();
  }
  tx.commit();
  return deleted;
}

}  // namespace cardsync::sqlite
