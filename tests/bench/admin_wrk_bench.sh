#!/usr/bin/env bash
# The admin server under load (issue 8): `wrk` with 64 connections for 10 s against
# GET /api/v1/queue/stats (an authenticated JSON endpoint that queries the queue) on a SQLite
# database holding JOBS jobs across all states, against a cached PSA cert lookup
# (GET /api/v1/psa/certs/{cert}, PSA served by the local sandbox, the cert fetched once
# before the run), and against /healthz as the transport's ceiling. Prints wrk's figures
# (requests/s, latency percentiles with --latency).
#
# usage: tests/bench/admin_wrk_bench.sh [BUILD_DIR]   (a Release or RelWithDebInfo build)
# env:   JOBS (default 100000), DURATION (10s), CONNECTIONS (64), THREADS (2)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
bin=$build/bin/cardsync
jobs=${JOBS:-100000}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
command -v wrk >/dev/null || { echo "admin_wrk_bench: wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }
[[ -x $bin ]] || { echo "admin_wrk_bench: no $bin; build the cardsync target first" >&2; exit 2; }

work=$(mktemp -d)
server=
upstream=
cleanup() {
  [[ -n $server ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [[ -n $upstream ]] && kill -TERM "$upstream" 2>/dev/null && wait "$upstream" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The PSA upstream: the sandbox, quota off (the bench fetches one cert).
"$build/bin/cardsync-sandbox" --psa-daily-quota 0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
upstream=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break
  sleep 0.1
done
psa_root=$(grep -o '127.0.0.1:[0-9]*' "$work/sandbox.out" | head -1)
[[ -n $psa_root ]] || { cat "$work/sandbox.err" >&2; exit 1; }

secret=$(openssl rand -hex 32)
cat >"$work/cardsync.json" <<JSON
{
  "providers": {"psa": {"base_url": "http://$psa_root/publicapi", "token": "psa_sandbox",
                        "daily_quota": 0, "schedule": {"on_start": false}}},
  "storage": {"sqlite": {"path": "$work/cardsync.db"}},
  "log": {"level": "warn", "format": "json"},
  "admin": {"listen": "127.0.0.1:0", "threads": 2, "auth": {"hs256_secret": "$secret"}}
}
JSON

# Migrate, then fill the queue directly (the fastest way to a realistic table).
"$bin" --config "$work/cardsync.json" queue stats >/dev/null
now_ms=$(($(date +%s) * 1000))
sqlite3 "$work/cardsync.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $jobs)
INSERT INTO sync_queue (type, key, state, attempts, max_attempts, run_at_ms, created_at_ms,
                        updated_at_ms)
SELECT CASE i % 4 WHEN 0 THEN 'justtcg.cards' WHEN 1 THEN 'justtcg.sets'
                  WHEN 2 THEN 'psa.cert' ELSE 'justtcg.games' END,
       'k' || i,
       CASE WHEN i % 10 < 6 THEN 'done' WHEN i % 10 < 8 THEN 'queued'
            WHEN i % 10 < 9 THEN 'failed' ELSE 'done' END,
       1, 5, $now_ms + (i % 1000) * 1000, $now_ms, $now_ms
FROM n;
SQL

"$bin" --config "$work/cardsync.json" serve >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)
[[ -n $url ]] || { cat "$work/serve.err" >&2; exit 1; }

# An HS256 operator token, signed with openssl (no extra tooling).
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
payload=$(printf '{"sub":"bench","role":"viewer","exp":%s}' "$(($(date +%s) + 3600))" | b64)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64)
export CARDSYNC_TOKEN="$header.$payload.$signature"

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CARDSYNC_TOKEN" \
  "$url/api/v1/queue/stats")
[[ $status == 200 ]] || { echo "admin_wrk_bench: queue/stats answered $status" >&2; exit 1; }

cert=10000013
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CARDSYNC_TOKEN" \
  "$url/api/v1/psa/certs/$cert")
[[ $status == 200 ]] || { echo "admin_wrk_bench: the first lookup of $cert answered $status" >&2; exit 1; }

echo "== $jobs jobs in SQLite; wrk -t$threads -c$connections -d$duration --latency"
for path in /api/v1/queue/stats "/api/v1/psa/certs/$cert" /healthz; do
  echo "== GET $path"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/admin_wrk_auth.lua" \
    "$url$path"
done
