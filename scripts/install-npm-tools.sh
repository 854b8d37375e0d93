#!/usr/bin/env bash
# Installs tools/api's pinned npm toolchain (@redocly/cli, ajv) with `npm ci`; a no-op when that lock is installed.
set -euo pipefail
cd "$(dirname "$0")/../tools/api"
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing: npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
# @redocly/cli 2.x needs Node.js 20.19 or later: say so here rather than fail obscurely in the tests.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "install-npm-tools: Node.js $(node --version) is too old for tools/api (needs 20.19 or later)" >&2
  exit 1
fi
# The stamp is the lock's hash: a changed lock (or an interrupted install) installs again.
stamp="node_modules/.installed-lock.sha256"
wanted="$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "installing: tools/api npm packages (npm ci)"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
echo "$wanted" > "$stamp"
