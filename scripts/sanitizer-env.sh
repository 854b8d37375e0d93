#!/usr/bin/env bash
# Sourced with address,undefined or thread: the build dir, CMake flag and runtime options of that sanitizer build.
# scripts/test.sh --sanitize sources it; source it by hand to run one sanitized test binary the same way.
case "${1:-}" in
  address,undefined|undefined,address) BUILD_DIR=build-asan-ubsan ;;
  thread) BUILD_DIR=build-tsan ;;
  *) echo "--sanitize takes address,undefined or thread (got '${1:-}')" >&2; return 2 2>/dev/null || exit 2 ;;
esac
export BUILD_DIR
export CMAKE_ARGS="-DDD_SANITIZE=$1" # scripts/build.sh passes it when it configures a new dir
# Absolute paths: every test runs in its own working directory, child processes (drone-backend) inherit these.
dd_supp="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sanitizers"
# Stop at the first finding so the test that caused it fails; leaks are findings too.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_odr_violation=2"
export LSAN_OPTIONS="suppressions=$dd_supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$dd_supp/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:die_after_fork=0:suppressions=$dd_supp/tsan.supp"
unset dd_supp
