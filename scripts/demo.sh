#!/usr/bin/env bash
# The README's first command: on a fresh Debian 12 machine as root, installs what is missing,
# builds only what it runs (the `demo` preset: target cardsync_runtime, the binary, the shipped
# plugins and the sandbox, with precompiled headers; scripts/test.sh builds everything) and
# runs the main job: a full JustTCG sync into ./cardsync.db.
# Without JUSTTCG_API_KEY it syncs from the local sandbox upstream (tests/sandbox), which
# serves a deterministic catalog with the real API's shapes and quirks.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset demo >/dev/null
cmake --build --preset demo -j "$(nproc)"
bin=build/release/bin

sandbox_pid=""
cleanup() { [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [[ -z ${JUSTTCG_API_KEY:-} ]]; then
  # 3 games x 8 sets x 60 cards x 5 variants = 7,200 price points, with a few bad items.
  coproc SANDBOX { exec "$bin/cardsync-sandbox" --port 0 --seed 42 --games 3 --sets-per-game 8 \
    --cards-per-set 60 --variants-per-card 5 --invalid-rate 0.01; }
  sandbox_pid=$SANDBOX_PID
  read -r line <&"${SANDBOX[0]}"
  port=${line##*:}
  export JUSTTCG_BASE_URL="http://127.0.0.1:$port/v1" JUSTTCG_API_KEY=tcg_sandbox JUSTTCG_PLAN=enterprise
  echo "demo: no JUSTTCG_API_KEY set, syncing from the local sandbox at $JUSTTCG_BASE_URL"
fi

"$bin/cardsync" --config config/demo.json run --once

cat <<'MSG'

The data is in ./cardsync.db (SQLite). For example:
  sqlite3 cardsync.db 'select count(*) from variants'
  sqlite3 cardsync.db "select key, json_extract(core_json, '$.price_cents') from variants limit 5"
  sqlite3 cardsync.db 'select reason, json_path from quarantine'
  build/release/bin/cardsync --config config/demo.json config show
Run it again: an incremental sync fetches only what changed.
MSG
