#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang-14, ASan + UBSan; only tests/fuzz and
# the libraries it links) and runs each for N seconds over its committed corpus and dictionary.
#   scripts/fuzz.sh [--seconds N] [TARGET...]     (default 60 s; every target when none named)
# Targets are the directories of tests/fuzz/corpus/. New inputs libFuzzer finds go to
# build/fuzz/corpus/<target>/ (the committed corpus stays as it is); a crash, leak, timeout or
# sanitizer report stops that target, its reproducer is written under build/fuzz/artifacts/
# and printed, and the script exits 1 after running the rest. docs/fuzzing.md says how to
# turn a reproducer into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
while (($#)); do
  case "$1" in
    --seconds)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || {
        echo "fuzz.sh: --seconds needs a positive whole number" >&2
        exit 2
      }
      seconds=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "fuzz.sh: unknown option $1 (expected --seconds N)" >&2
      exit 2
      ;;
    *)
      targets+=("$1")
      shift
      ;;
  esac
done

corpora=tests/fuzz/corpus
if ((${#targets[@]} == 0)); then
  for dir in "$corpora"/*/; do targets+=("$(basename "$dir")"); done
fi
for t in "${targets[@]}"; do
  if [[ ! -d "$corpora/$t" ]]; then
    echo "fuzz.sh: no target '$t' (targets: $(ls "$corpora" | tr '\n' ' '))" >&2
    exit 2
  fi
done

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for t in "${targets[@]}"; do
  work=build/fuzz/corpus/$t
  artifacts=build/fuzz/artifacts/$t
  log=build/fuzz/logs/$t.log
  rm -rf "$artifacts"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  args=("-max_total_time=$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        "-artifact_prefix=$artifacts/")
  [[ -f tests/fuzz/$t.dict ]] && args+=("-dict=tests/fuzz/$t.dict")
  echo "== fuzz $t (${seconds}s)"
  if build/fuzz/bin/fuzz_"$t" "${args[@]}" "$work" "$corpora/$t" >"$log" 2>&1; then
    # The final status line: executions, edge coverage (cov), features (ft), exec/s.
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || tail -1 "$log"
  else
    grep -E 'ERROR: |runtime error|SUMMARY' "$log" | head -5 || true
    for reproducer in "$artifacts"/*; do
      [[ -e "$reproducer" ]] && echo "fuzz.sh: $t: reproducer $reproducer (full log: $log)"
    done
    failed+=("$t")
  fi
done

if ((${#failed[@]})); then
  echo "fuzz.sh: crashed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds}s each with no crash"
