#!/bin/bash
# Runs one benchmark workload on a fresh manager, on the embedded default or on PostgreSQL + RabbitMQ.
# usage: bench/compare-modes.sh embedded|pg b4|b3 PORT
# For `pg`, STRATUS_TEST_POSTGRES and STRATUS_TEST_RABBITMQ must be set (source scripts/test-services.sh start).
set -eu
mode=$1 wl=$2 port=$3
cd "$(dirname "$0")/.."
S=src/Stratus.Cli/bin/Release/net10.0/stratus.dll
B=bench/Stratus.Bench/bin/Release/net10.0/Stratus.Bench.dll
data=$(mktemp -d "${TMPDIR:-/tmp}/bench-$mode-$wl.XXXXXX")
args=(manager start --port "$port" --data-dir "$data" --admin-password admin)
if [ "$mode" = pg ]; then
    db="bench_${wl}_$port"
    pgport=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$STRATUS_TEST_POSTGRES")
    PGPASSWORD=$(sed 's/.*Password=\([^;]*\).*/\1/' <<<"$STRATUS_TEST_POSTGRES") \
        psql -h 127.0.0.1 -p "$pgport" -U stratus -d postgres -qc "create database $db"
    args+=(--storage postgresql --postgres "${STRATUS_TEST_POSTGRES/Database=postgres/Database=$db}"
           --broker-url "$STRATUS_TEST_RABBITMQ")
fi
dotnet "$S" "${args[@]}" > "$data/manager.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/v3.1/ok" >/dev/null && break; sleep 0.5; done
echo "== $mode $wl $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$wl" = b4 ]; then
    for _ in 1 2 3; do dotnet "$B" b4 --url "http://127.0.0.1:$port" -u admin -p admin --nodes 1000 --chain 10; done
    grep VmHWM "/proc/$pid/status"
else
    dotnet "$B" "$wl" --url "http://127.0.0.1:$port" -u admin -p admin --deployments 1000 --pid "$pid"
fi
echo "== end $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
