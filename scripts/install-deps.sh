#!/usr/bin/env bash
# Installs the Debian 12 packages the build, tests and console need; a no-op when present.
set -euo pipefail
PKGS=(build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-declarative-dev qt6-websockets-dev qt6-httpserver-dev
  qt6-shadertools-dev qt6-declarative-dev-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtquick-shapes
  qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
  qml6-module-qttest libqt6sql6-sqlite
  libprotobuf-dev protobuf-compiler libzmq3-dev cppzmq-dev libsqlite3-dev libtcmalloc-minimal4
  dpkg-dev file desktop-file-utils python3
  xvfb xauth fonts-dejavu-core libgl1-mesa-dri prometheus nginx
  clang libclang-rt-14-dev) # clang + libFuzzer for scripts/fuzz.sh (docs/fuzzing.md)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
"$(dirname "$0")/install-npm-tools.sh" # tools/api: the pinned OpenAPI validators (tests openapi_lint, openapi_responses)
