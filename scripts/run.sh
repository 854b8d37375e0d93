#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and starts the product.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
if [ -x "$BUILD_DIR/app/console/drone-console" ]; then
  exec "$BUILD_DIR/app/console/drone-console" --fleet "${FLEET:-200}" "$@"
elif [ -x "$BUILD_DIR/app/backend/drone-backend" ]; then
  exec "$BUILD_DIR/app/backend/drone-backend" --http "${HTTP_PORT:-8080}" --fleet "${FLEET:-200}" "$@"
else
  # Until the backend lands, the runnable product is the mesh and its benchmarks.
  exec "$BUILD_DIR/app/bench/drone-bench" mesh --quick
fi
