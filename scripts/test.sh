#!/usr/bin/env bash
# The whole test suite: provisions the services the tests need (a private PostgreSQL and a private RabbitMQ node on
# loopback, in temporary folders, stopped afterwards), runs every test project, and ends with one line
# "N passed, N failed, N skipped" computed from the TRX results. Exit status: 0 only when the build succeeded and nothing failed.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

services_ok=1
if [ -f scripts/test-services.sh ]; then
  # shellcheck source=/dev/null
  if ! source scripts/test-services.sh start; then
    services_ok=0
    echo "test services could not be started" >&2
    if [ "${CI:-}" = "true" ]; then
      echo "CI=true: a service that cannot start is a failure" >&2
    fi
  fi
  trap 'bash scripts/test-services.sh stop >/dev/null 2>&1 || true' EXIT
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build_ok=1
if ! dotnet build Stratus.slnx -c Release -nologo -v:q; then
  build_ok=0
fi

test_rc=0
if [ "$build_ok" = 1 ]; then
  dotnet test Stratus.slnx -c Release --no-build --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000 || test_rc=$?
fi

passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); n=$(get notExecuted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${n:-0}))
done
if [ "$build_ok" = 0 ]; then
  echo "the build failed" >&2
  failed=$((failed + 1))
elif [ "$test_rc" != 0 ] && [ "$failed" = 0 ]; then
  echo "dotnet test exited with $test_rc without a failed test in the results (a test host crashed?)" >&2
  failed=$((failed + 1))
fi
if [ "$services_ok" = 0 ] && [ "${CI:-}" = "true" ]; then
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
