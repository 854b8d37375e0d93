#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz and runs each for SECONDS; fails on any crash, leak, timeout or OOM.
# Usage: scripts/fuzz.sh SECONDS [TARGET...]   (docs/fuzzing.md; FUZZ_SEED, FUZZ_BUILD_DIR override the defaults)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2; exit 2
fi
seconds=$1; shift
build=$(realpath -m "${FUZZ_BUILD_DIR:-build-fuzz}")
seed=${FUZZ_SEED:-2026}
if [ $# -gt 0 ]; then targets=("$@"); else
  targets=(); for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

if [ ! -f "$build/build.ninja" ]; then
  mkdir -p "$build"
  # -O1 and line tables only: quicker to build, still exact stack traces.
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DDD_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; exit 1; }
  rm -f "$build/configure.log"
fi
# One target per lock hold: other builds get the two cores in between.
for t in "${targets[@]}"; do
  flock /tmp/dd-build.lock cmake --build "$build" -j2 --target "$t" >"$build/fuzz-build.log" 2>&1 \
    || { tail -40 "$build/fuzz-build.log" >&2; echo "$t: BUILD FAILED ($build/fuzz-build.log)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/dd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
# Quiet services: thousands of refused inputs a second would otherwise be logged.
export QT_LOGGING_RULES="*.debug=false;*.info=false;*.warning=false"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
failed=0
for t in "${targets[@]}"; do
  corpus="$work/$t"; artifacts="$build/fuzz-artifacts/$t"; log="$build/fuzz-logs/$t.log"
  mkdir -p "$corpus"; rm -rf "$artifacts"; mkdir -p "$artifacts"
  # A temp copy: what the run discovers never grows the repository's corpus.
  [ -d "tests/fuzz/corpus/$t" ] && cp -r "tests/fuzz/corpus/$t/." "$corpus/"
  dict=(); [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  (cd "$work" && TMPDIR="$work" "$build/tests/fuzz/$t" -seed="$seed" -max_total_time="$seconds" \
     -rss_limit_mb=2048 -timeout=10 -detect_leaks=1 -print_final_stats=1 \
     -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus") >"$log" 2>&1
  rc=$?
  artifact=$(ls "$artifacts" 2>/dev/null | head -1)
  if [ $rc -eq 0 ] && [ -z "$artifact" ]; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    echo "$t: ok ${runs:-?} runs in ${seconds}s"
    continue
  fi
  failed=1
  case "$artifact" in
    crash-*) echo "$t: CRASH (artifact: $artifacts/$artifact)" ;;
    leak-*) echo "$t: LEAK (artifact: $artifacts/$artifact)" ;;
    timeout-*) echo "$t: TIMEOUT (artifact: $artifacts/$artifact)" ;;
    oom-*) echo "$t: OOM (artifact: $artifacts/$artifact)" ;;
    slow-unit-*) echo "$t: SLOW (artifact: $artifacts/$artifact)" ;;
    "") if grep -q "LeakSanitizer" "$log"; then echo "$t: LEAK (log: $log)"
        elif grep -q "out-of-memory" "$log"; then echo "$t: OOM (log: $log)"
        else echo "$t: FAILED exit $rc (log: $log)"; fi ;;
    *) echo "$t: FAILED (artifact: $artifacts/$artifact)" ;;
  esac
done
exit $failed
