#!/usr/bin/env bash
# Writes the upgrade fixtures (README.md beside this script): a database written by the
# cardsync built in BUILD_DIR, synced from the sandbox, for SQLite and for PostgreSQL, dumped
# as SQL. Run it with the build of the release whose databases the next release must open.
#
#   tests/integration/upgrade/make-fixtures.sh BUILD_DIR PG_URL
#
# PG_URL is a throwaway server (scripts/pg-test-server.sh url ...); the script creates and
# drops the schema cardsync_upgrade_fixture there.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR PG_URL" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
pg_url=$2
out=$(cd "$(dirname "$0")" && pwd)
cardsync="$build/bin/cardsync"
schema=cardsync_upgrade_fixture
# The catalog the tests' in-process sandbox serves too (upgrade_test.cpp: kCatalog).
catalog=(--seed 18 --games 2 --sets-per-game 2 --cards-per-set 6 --variants-per-card 3
  --invalid-rate 0.1)

work=$(mktemp -d)
sandbox_pid=
cleanup() {
  [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  if [[ -n ${KEEP_FIXTURE_WORK:-} ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$build/bin/cardsync-sandbox" --port 0 "${catalog[@]}" >"$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/sandbox.out")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "the sandbox did not start: $(cat "$work/sandbox.out")" >&2; exit 1; }
sandbox="http://127.0.0.1:$port"
faults() { curl -fsS -X POST "$sandbox/_sandbox/faults?$1" >/dev/null; }

# Logs are kept forever so the fixture's log rows are part of what an upgrade must keep.
# Jobs get the default 5 attempts, except while the upstream fails (1 attempt and no HTTP
# retries), so a failure fails its job at once.
write_config() {  # storage-section max-attempts max-retries mode
  cat >"$work/cardsync.json" <<JSON
{
  "providers": {
    "justtcg": {"base_url": "$sandbox/v1", "api_key": "tcg_sandbox", "plan": "enterprise",
                "mode": "$4", "page_size": 2},
    "psa": {"base_url": "$sandbox/publicapi", "token": "psa_sandbox"}
  },
  "storage": $1,
  "pipeline": {"workers": 2, "idle_poll_ms": 50, "lease_seconds": 30, "max_attempts": $2,
               "retry_base_ms": 50, "retry_cap_ms": 1000, "batch": {"max_age_ms": 50}},
  "resilience": {"retry": {"max_retries": $3}},
  "log": {"level": "info", "format": "json", "retention_days": 0}
}
JSON
}
cs() { "$cardsync" --config "$work/cardsync.json" "$@"; }

# count SQL: a number from the database being written (engine-specific client).
populate() {  # storage-section count-command...
  local storage=$1
  shift
  local count=("$@")
  write_config "$storage" 5 2 incremental
  # A clean incremental sync: the catalog, quarantined invalid items, sync cursors, logs.
  cs run --once >"$work/run1.out" 2>&1
  # Graded certs and their images, and a number PSA has no data for.
  for cert in 10000021 10000017 10000032 10000000; do
    cs lookup psa "$cert" >/dev/null 2>&1 || true
  done
  # Failed jobs with their error history: the upstream fails every request.
  faults "fail_rate=1"
  write_config "$storage" 1 0 incremental
  cs run --once >"$work/run2.out" 2>&1 || true
  # Live jobs: a full resync (an incremental one would find nothing changed: one page per set)
  # killed midway leaves jobs processing under a lease, one with a page checkpoint, and others
  # queued.
  faults "fail_rate=0&latency_ms=1500"
  write_config "$storage" 5 2 full
  "$cardsync" --config "$work/cardsync.json" run --once >"$work/run3.out" 2>&1 &
  local run_pid=$!
  for _ in $(seq 200); do
    [[ $("${count[@]}" "SELECT count(*) FROM sync_queue WHERE state = 'processing' AND cursor <> ''") -ge 1 &&
      $("${count[@]}" "SELECT count(*) FROM sync_queue WHERE state = 'queued'") -ge 1 ]] && break
    sleep 0.05
  done
  kill -KILL "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  faults "latency_ms=0"
  for state in done failed processing queued; do
    local n
    n=$("${count[@]}" "SELECT count(*) FROM sync_queue WHERE state = '$state'")
    [[ $n -gt 0 ]] || { echo "no $state job in the fixture" >&2; exit 1; }
  done
}

header() {  # engine
  echo "-- cardsync upgrade fixture ($1), schema version $2: written by $("$cardsync" --version)"
  echo "-- built from commit ${FIXTURE_COMMIT:-$(git -C "$out" rev-parse --short HEAD)}, synced"
  echo "-- from cardsync-sandbox ${catalog[*]}; regenerate with make-fixtures.sh (README.md)"
}

# SQLite
db="$work/fixture.db"
sqlite_count() { sqlite3 "$db" "$1"; }
populate "{\"sqlite\": {\"path\": \"$db\"}}" sqlite_count
version=$(sqlite3 "$db" "SELECT version FROM cardsync_schema")
{
  header sqlite "$version"
  sqlite3 "$db" .dump
} >"$out/sqlite-v$version.sql"
written=("$out/sqlite-v$version.sql")

# PostgreSQL
psql -qX -v ON_ERROR_STOP=1 "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
pg_count() { psql -qXAt "$pg_url" -c "SET search_path TO $schema; $1" 2>/dev/null | tail -1 || echo 0; }
populate "{\"postgres\": {\"url\": \"$pg_url\", \"schema\": \"$schema\"}}" pg_count
version=$(pg_count "SELECT version FROM cardsync_schema")
{
  header postgres "$version"
  # \restrict and \unrestrict (pg_dump 15.14 on) are psql commands; the tests restore with libpq.
  pg_dump --schema="$schema" --inserts --no-owner --no-privileges "$pg_url" |
    grep -Ev '^\\(un)?restrict '
} >"$out/postgres-v$version.sql"
written+=("$out/postgres-v$version.sql")
psql -qX "$pg_url" -c "DROP SCHEMA $schema CASCADE" >/dev/null
echo "wrote ${written[*]}"
