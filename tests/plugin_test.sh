#!/usr/bin/env bash
# The out-of-tree plugin path end to end: install concbench (headers, concbench.pc, program)
# into a temporary root, build examples/plugin against it with its own meson.build, run its
# workload on every backend through --plugin and CONCBENCH_PLUGIN_PATH, and check that each
# way a plugin can be wrong is one line on stderr with exit code 2.
set -euo pipefail

: "${MESON_BUILD_ROOT:?}" "${MESON_SOURCE_ROOT:?}" "${CXX_FOR_PLUGINS:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- install and build out of tree ---------------------------------------------------------
meson install -C "$MESON_BUILD_ROOT" --no-rebuild --quiet --destdir "$tmp/root" >/dev/null
pc=$(find "$tmp/root" -name concbench.pc | head -1)
[ -n "$pc" ] || fail "meson install wrote no concbench.pc"
exe=$(find "$tmp/root" -type f -name concbench -perm -u+x | head -1)
[ -n "$exe" ] || fail "meson install did not install the concbench program"
include=$(dirname "$(find "$tmp/root" -name workload.hpp -path '*concbench/*' | head -1)")/..
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$tmp/root
CXX=$CXX_FOR_PLUGINS meson setup "$tmp/plugin" "$MESON_SOURCE_ROOT/examples/plugin" \
    -Db_sanitize="${CONCBENCH_SANITIZER:-none}" -Db_lundef=false >"$tmp/setup.log" 2>&1 \
    || { cat "$tmp/setup.log"; fail "meson setup of examples/plugin"; }
meson compile -C "$tmp/plugin" >"$tmp/compile.log" 2>&1 \
    || { cat "$tmp/compile.log"; fail "building examples/plugin against the installed headers"; }
plugin=$tmp/plugin/primes.so
[ -f "$plugin" ] || fail "no primes.so"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# --- it is listed, and runs on every backend -----------------------------------------------
# Captured first: with pipefail, `list | grep -q` fails when grep stops reading before list
# has written everything (SIGPIPE), more often the longer the list.
listed=$("$exe" --plugin "$plugin" list) || fail "list with --plugin"
grep -q '^ *primes' <<<"$listed" || fail "list does not show primes"
listed=$("$exe" --plugin "$plugin" list --json) || fail "list --json with --plugin"
grep -q '"primes"' <<<"$listed" || fail "list --json lacks primes"
backends=$("$exe" list --json | /usr/bin/python3 -c \
    'import json,sys; print(len(json.load(sys.stdin)["backends"]))')
check_run() {  # DIR: one ok, validated line per backend
    local n
    n=$(grep -c '"status":"ok"' "$1/results.jsonl" || true)
    [ "$n" -eq "$backends" ] || { cat "$1/results.jsonl"; fail "$n of $backends runs ok in $1"; }
    grep -q '"validated":false' "$1/results.jsonl" && fail "a run of $1 was not validated"
    return 0
}
args=(run --backend all --workload primes --param tasks=4 --param limit=5000
      --param pause_ms=1 --repetitions 1 --no-report)
"$exe" --plugin "$plugin" "${args[@]}" --out "$tmp/by-flag" >/dev/null 2>&1 \
    || fail "run with --plugin"
check_run "$tmp/by-flag"
CONCBENCH_PLUGIN_PATH="$tmp/plugin" "$exe" "${args[@]}" --out "$tmp/by-path" >/dev/null 2>&1 \
    || fail "run with CONCBENCH_PLUGIN_PATH"
check_run "$tmp/by-path"

# --- each load error is one line, exit 2 ---------------------------------------------------
expect_error() {  # PATTERN, then the command
    local pattern=$1 code=0
    shift
    "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
    [ "$code" -eq 2 ] || fail "exit $code, not 2, from: $*"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "not one line from: $*"; }
    grep -q "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "no '$pattern' from: $*"; }
}
expect_error "no such file" "$exe" --plugin "$tmp/missing.so" list
printf 'not an ELF file' >"$tmp/garbage.so"
expect_error "cannot load it" "$exe" --plugin "$tmp/garbage.so" list
cat >"$tmp/plain.cpp" <<'CPP'
extern "C" int not_a_plugin() { return 1; }
CPP
"$CXX_FOR_PLUGINS" -std=c++20 -shared -fPIC "$tmp/plain.cpp" -o "$tmp/plain.so"
expect_error "not a concbench plugin" "$exe" --plugin "$tmp/plain.so" list
cat >"$tmp/future.cpp" <<'CPP'
#include <concbench/workload.hpp>
extern "C" __attribute__((visibility("default"))) int concbench_plugin_api_version() {
    return CONCBENCH_PLUGIN_API_VERSION + 1;
}
CPP
"$CXX_FOR_PLUGINS" -std=c++20 -shared -fPIC -I"$include" "$tmp/future.cpp" -o "$tmp/future.so"
expect_error "built against plugin API version" "$exe" --plugin "$tmp/future.so" list
cp "$plugin" "$tmp/primes-again.so"
expect_error "already taken" "$exe" --plugin "$plugin" --plugin "$tmp/primes-again.so" list
expect_error "is not a folder" env CONCBENCH_PLUGIN_PATH="$tmp/nowhere" "$exe" list
echo "plugin test: built out of tree, ran on $backends backends, 6 load errors refused"
