#!/usr/bin/env bash
# Builds the Debian packages from the build tree (cpack) and checks their contents, control fields and the unit.
# usage: check-debs.sh BUILD_DIR
# No pipefail: checks end in `grep -q`, which may close the pipe early (SIGPIPE upstream).
set -u

build=${1:?usage: check-debs.sh BUILD_DIR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-debs.XXXXXX")
backend_pid=""
cleanup() {
    [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
result() { # result DESCRIPTION: passes when the previous command succeeded
    if [ $? -eq 0 ]; then pass "$1"; else fail "$1"; fi
}

for tool in cpack dpkg-deb dpkg-shlibdeps file readelf systemd-analyze python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh)"; exit 1; }
done

# --- build the packages -----------------------------------------------------------------
start=$SECONDS
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log"
    echo "FAIL: cpack"
    exit 1
fi
echo "cpack took $((SECONDS - start)) s"
grep -i "warning" "$tmp/cpack.log" && fail "cpack printed warnings (above)"

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
backend_deb="$tmp/out/drone-delivery-backend_${version}-1_${arch}.deb"
console_deb="$tmp/out/drone-delivery-console_${version}-1_${arch}.deb"
for deb in "$backend_deb" "$console_deb"; do
    [ -f "$deb" ] || { ls "$tmp/out"; echo "FAIL: no $(basename "$deb")"; exit 1; }
done
[ "$(find "$tmp/out" -maxdepth 1 -name '*.deb' | wc -l)" -eq 2 ] || fail "exactly two packages: $(ls "$tmp/out")"

# --- contents ---------------------------------------------------------------------------
contains() { # contains DEB PATH MODE_PREFIX
    dpkg-deb -c "$1" | awk -v p="./$2" -v m="$3" '$6 == p && index($1, m) == 1 { found = 1 } END { exit !found }'
}
check "backend ships /usr/bin/drone-backend" contains "$backend_deb" usr/bin/drone-backend -rwxr-xr-x
check "backend ships /usr/bin/drone-bench" contains "$backend_deb" usr/bin/drone-bench -rwxr-xr-x
check "backend ships /usr/bin/drone-chaos" contains "$backend_deb" usr/bin/drone-chaos -rwxr-xr-x
check "backend ships the unit" contains "$backend_deb" lib/systemd/system/drone-backend.service -rw-r--r--
check "backend ships the config file" contains "$backend_deb" etc/drone-delivery/drone-backend.conf -rw-r--r--
check "console ships /usr/bin/drone-console" contains "$console_deb" usr/bin/drone-console -rwxr-xr-x
check "console ships the desktop file" contains "$console_deb" usr/share/applications/drone-console.desktop -rw-r--r--
check "console ships the icon" contains "$console_deb" usr/share/icons/hicolor/scalable/apps/drone-console.svg -rw-r--r--
dpkg-deb -c "$console_deb" | grep -q drone-backend && fail "the console package holds backend files"
dpkg-deb -c "$backend_deb" | grep -q drone-console && fail "the backend package holds console files"

# The conffile is registered as one (an upgrade keeps the operator's edits), the maintainer scripts are executable.
dpkg-deb -I "$backend_deb" conffiles | grep -qx /etc/drone-delivery/drone-backend.conf
result "the config file is a conffile"
for script in postinst prerm postrm; do
    # dpkg-deb -I marks an executable control member with '*'.
    dpkg-deb -I "$backend_deb" | grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\\* +$script +#!/bin/sh"
    result "backend $script is an executable shell script"
    dpkg-deb -I "$backend_deb" "$script" >"$tmp/$script" && check "backend $script parses" sh -n "$tmp/$script"
done

# --- control fields ---------------------------------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }
summaries=()
for deb in "$backend_deb" "$console_deb"; do
    name=$(field "$deb" Package)
    check "$name: Version is the project's ($version-1)" test "$(field "$deb" Version)" = "$version-1"
    check "$name: Architecture $arch" test "$(field "$deb" Architecture)" = "$arch"
    maintainer_re='^[^<]+ <[^@ ]+@[^@ ]+\.[^@ ]+>$'
    [[ $(field "$deb" Maintainer) =~ $maintainer_re ]]
    result "$name: Maintainer is a name and an address"
    summary=$(field "$deb" Description | head -1)
    [ -n "$summary" ] && [[ $summary != *'built using CMake'* ]] && [[ $summary != *';'* ]]
    result "$name: a real Description summary ($summary)"
    summaries+=("$summary")
    check "$name: an extended Description" test "$(field "$deb" Description | wc -l)" -ge 2
    [ -n "$(field "$deb" Section)" ] && [ "$(field "$deb" Priority)" = optional ]
    result "$name: Section and Priority"
    check "$name: Installed-Size" test -n "$(field "$deb" Installed-Size)"
done

[ "${summaries[0]}" != "${summaries[1]}" ]
result "each package has its own summary"
field "$backend_deb" Description | grep -q ';'
[ $? -ne 0 ]
result "no CMake list separators in the descriptions"

depends_on() { # depends_on DEB PACKAGE: the Depends field names PACKAGE (with or without a version)
    field "$1" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$2"
}
backend_libs=(libc6 libstdc++6 libqt6core6 libqt6network6 libqt6httpserver6 libzmq5 libprotobuf32 libsqlite3-0)
grep -q '^DD_TCMALLOC:FILEPATH=/' "$build/CMakeCache.txt" && backend_libs+=(libtcmalloc-minimal4)
for p in "${backend_libs[@]}"; do check "backend Depends: $p (shlibdeps)" depends_on "$backend_deb" "$p"; done
console_needs=(libqt6core6 libqt6gui6 libqt6qml6 libqt6quick6 libzmq5 libprotobuf32 libsqlite3-0
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates qml6-module-qtquick-layouts
    qml6-module-qtquick-window qml6-module-qtquick-shapes qml6-module-qtqml qml6-module-qtqml-models
    qml6-module-qtqml-workerscript)
for p in "${console_needs[@]}"; do check "console Depends: $p" depends_on "$console_deb" "$p"; done
depends_on "$console_deb" drone-delivery-backend && fail "the console (backend embedded) must not depend on the backend package"
depends_on "$console_deb" libtcmalloc-minimal4 && fail "the console links tcmalloc (it stays on glibc)"

# --- the files themselves ---------------------------------------------------------------
dpkg-deb -x "$backend_deb" "$tmp/root"
dpkg-deb -x "$console_deb" "$tmp/root"
for bin in drone-backend drone-bench drone-chaos drone-console; do
    file -b "$tmp/root/usr/bin/$bin" | grep -q ', stripped'
    result "$bin is stripped"
    readelf -d "$tmp/root/usr/bin/$bin" | grep -Eq '\((RPATH|RUNPATH)\)'
    [ $? -ne 0 ]
    result "$bin has no RPATH/RUNPATH (Qt comes from the system paths)"
done
file -b "$tmp/root/usr/share/icons/hicolor/scalable/apps/drone-console.svg" | grep -q SVG
result "the icon is an SVG"
desktop="$tmp/root/usr/share/applications/drone-console.desktop"
check "the desktop file starts /usr/bin's drone-console" grep -qx 'Exec=drone-console' "$desktop"
check "the desktop file names the packaged icon" grep -qx 'Icon=drone-console' "$desktop"
if command -v desktop-file-validate >/dev/null; then
    # It exits 0 on hints too: any output is a finding.
    validate_out=$(desktop-file-validate "$desktop" 2>&1)
    [ $? -eq 0 ] && [ -z "$validate_out" ]
    result "desktop-file-validate finds nothing"
    [ -n "$validate_out" ] && echo "$validate_out"
else
    echo "skip: desktop-file-validate (package desktop-file-utils) is not installed"
fi

# --- the unit ---------------------------------------------------------------------------
# verify wants ExecStart's binary to exist: point it into the extracted package. It exits 0
# on directives it ignores (unknown keys, bad values), so any line about the unit fails.
unit_dir="$tmp/unit"
mkdir -p "$unit_dir"
unit="$unit_dir/drone-backend.service"
sed "s#^ExecStart=/usr/bin/#ExecStart=$tmp/root/usr/bin/#" "$tmp/root/lib/systemd/system/drone-backend.service" >"$unit"
check "the unit still starts the packaged binary" grep -q "^ExecStart=$tmp/root/usr/bin/drone-backend --config /etc/drone-delivery/drone-backend.conf$" "$unit"
verify_out=$(systemd-analyze verify --man=no "$unit" 2>&1)
verify_rc=$?
echo "$verify_out" | grep -v '^$' | sed 's/^/  verify: /'
[ "$verify_rc" -eq 0 ] && ! grep -q 'drone-backend' <<<"$verify_out"
result "systemd-analyze verify accepts the unit"
# Exposure 0 (locked down) .. 10 (unconfined); dropping a hardening directive raises it past 2.5.
security_out=$(cd "$unit_dir" && systemd-analyze security --offline=yes --threshold=25 drone-backend.service 2>&1)
security_rc=$?
echo "$security_out" | grep 'Overall exposure' | sed 's/^/  security: /'
check "systemd-analyze security: exposure at most 2.5" test "$security_rc" -eq 0
for directive in 'Type=simple' 'DynamicUser=yes' 'StateDirectory=drone-delivery' 'ConfigurationDirectory=drone-delivery' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'MemoryDenyWriteExecute=yes' 'SystemCallFilter=@system-service' \
    'Restart=on-failure' 'KillSignal=SIGTERM'; do
    check "unit: $directive" grep -qx "$directive" "$unit"
done

# --- the packaged backend runs as the unit confines it ------------------------------------
# MemoryDenyWriteExecute is the one directive that can break a Qt program (a JIT): apply the
# kernel's equivalent (prctl PR_SET_MDWE, Linux 6.3+) and serve a request; then SIGTERM must
# end it cleanly, as KillSignal= relies on. With --config support it reads the packaged file.
conf_args=()
if [ -f "$tmp/root/etc/drone-delivery/drone-backend.conf" ] &&
    "$tmp/root/usr/bin/drone-backend" --help | grep -q -- '--config'; then
    conf_args=(--config "$tmp/root/etc/drone-delivery/drone-backend.conf")
fi
mdwe_exec=(python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_MDWE): " + os.strerror(ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])' "$tmp/root/usr/bin/drone-backend")
mkdir -p "$tmp/state"
"${mdwe_exec[@]}" "${conf_args[@]}" --data-dir "$tmp/state" --http 0 --bind 127.0.0.1 --fleet 5 \
    >"$tmp/backend.out" 2>"$tmp/backend.err" &
backend_pid=$!
port=""
for _ in $(seq 1 300); do # up to 30 s for the start-up line
    port=$(sed -n 's#^listening http://127.0.0.1:\([0-9]*\)$#\1#p' "$tmp/backend.out")
    [ -n "$port" ] || ! kill -0 "$backend_pid" 2>/dev/null && break
    sleep 0.1
done
if [ -z "$port" ]; then
    fail "the packaged backend (under MDWE${conf_args:+, with the packaged config}) did not start"
    sed 's/^/  backend: /' "$tmp/backend.err" | tail -20
else
    pass "the packaged backend starts under MDWE${conf_args:+ with the packaged config}"
    python3 -c 'import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r: print(r.status); print(r.read().decode())' \
        "http://127.0.0.1:$port/api/drones?limit=2" >"$tmp/response" 2>&1
    head -1 "$tmp/response" | grep -qx 200 && grep -q '"droneId"' "$tmp/response"
    result "it serves GET /api/drones under MDWE"
    stop_start=$SECONDS
    kill -TERM "$backend_pid"
    wait "$backend_pid"
    rc=$?
    backend_pid=""
    echo "  it stopped $((SECONDS - stop_start)) s after SIGTERM (TimeoutStopSec=30s)"
    check "SIGTERM ends it with status 0" test "$rc" -eq 0
    check "SIGTERM ends it cleanly" grep -q 'stopped cleanly' "$tmp/backend.err"
fi

echo "packaging checks took $((SECONDS - start)) s"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all packaging checks passed"
