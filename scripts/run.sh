#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and starts the console with a demo fleet.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # No screen (ssh, a container): the same backend, headless, with its HTTP API.
  echo "no display: starting the backend headless (the console needs a screen; try xvfb-run for screenshots)"
  exec "$BUILD_DIR/app/backend/drone-backend" --http "${HTTP_PORT:-8080}" --fleet "${FLEET:-200}" \
    --time-scale "${TIME_SCALE:-10}" --data-dir "${DATA_DIR:-drone-data}" "$@"
fi
exec "$BUILD_DIR/app/console/drone-console" --fleet "${FLEET:-200}" --data-dir "${DATA_DIR:-drone-data}" "$@"
