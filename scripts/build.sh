#!/usr/bin/env bash
# Configures (once) and builds incrementally with Ninja and ccache into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-} # e.g. -DDD_SANITIZE=thread
fi
cmake --build "$BUILD_DIR" -j "$JOBS"
