#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs the whole suite through CTest.
# --sanitize address,undefined|thread: the same in build-asan-ubsan / build-tsan (docs/sanitizers.md);
# --only REGEX (ctest -R), --label L (ctest -L) pick tests; --no-build runs what the dir already has.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest_picks=(); no_build=""
while [ $# -gt 0 ]; do
  case "$1" in
    # A sanitized tree is not what we package: its .debs would depend on libasan/libtsan, so no packaging test there.
    --sanitize) source scripts/sanitizer-env.sh "${2:-}"; ctest_picks+=(-LE packaging); shift 2 ;;
    --only) ctest_picks+=(-R "$2"); shift 2 ;;
    --label) ctest_picks+=(-L "$2"); shift 2 ;;
    --no-build) no_build=1; shift ;;
    *) echo "usage: scripts/test.sh [--sanitize address,undefined|thread] [--only REGEX] [--label L] [--no-build]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh
[ -n "$no_build" ] || scripts/build.sh
export QT_QPA_PLATFORM=offscreen
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 300 -j "${TEST_JOBS:-2}" "${ctest_picks[@]}"
# The whole suite (no picks, no sanitizer) also fuzzes every parser of untrusted input for
# FUZZ_SECONDS each (default 30; 0 skips): docs/fuzzing.md.
if [ ${#ctest_picks[@]} -eq 0 ]; then
  cd - >/dev/null
  [ "${FUZZ_SECONDS:-30}" = 0 ] || scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
  # ...and runs the whole suite again under ASan+UBSan in build-asan-ubsan (docs/sanitizers.md);
  # SANITIZE_SUITE=thread picks TSan instead, SANITIZE_SUITE= (empty) skips it.
  if [ -n "${SANITIZE_SUITE-address,undefined}" ]; then
    (unset BUILD_DIR; exec scripts/test.sh --sanitize "${SANITIZE_SUITE-address,undefined}")
  fi
fi
