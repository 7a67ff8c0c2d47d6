#!/bin/bash
# Upload cost (files stored in the database): the wall time of blueprint uploads (examples/hello-world, 20 times) and of
# a 50 MB wagon upload (3 times, deleted in between), measured by curl against a fresh manager.
# usage: bench/upload-cost.sh embedded|pg PORT [STRATUS_DLL]
# STRATUS_DLL defaults to this tree's Release build; pass another build's stratus.dll to compare before/after.
# For `pg`, STRATUS_TEST_POSTGRES must be set (source scripts/test-services.sh start).
set -eu
mode=$1 port=$2
cd "$(dirname "$0")/.."
S=${3:-src/Stratus.Cli/bin/Release/net10.0/stratus.dll}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-upload-$mode.XXXXXX")
args=(manager start --port "$port" --data-dir "$work/data" --admin-password admin)
if [ "$mode" = pg ]; then
    db="bench_upload_$port"
    pgport=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$STRATUS_TEST_POSTGRES")
    PGPASSWORD=$(sed 's/.*Password=\([^;]*\).*/\1/' <<<"$STRATUS_TEST_POSTGRES") \
        psql -h 127.0.0.1 -p "$pgport" -U stratus -d postgres -qc "drop database if exists $db" -c "create database $db"
    args+=(--storage postgresql --postgres "${STRATUS_TEST_POSTGRES/Database=postgres/Database=$db}")
fi
dotnet "$S" "${args[@]}" > "$work/manager.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/api/v3.1/ok" >/dev/null && break; sleep 0.5; done
api="http://127.0.0.1:$port/api/v3.1"
auth=(-u admin:admin -H 'Tenant: default_tenant')

tar -czf "$work/bp.tar.gz" -C examples hello-world
mkdir -p "$work/wagon/bench-plugin/wheels"
printf '{"package_name":"bench-plugin","package_version":"1.0","archive_name":"bench_plugin-1.0.wgn","wheels":["big.whl"],"build_server_os_properties":{"distribution":"ubuntu","distribution_version":"22.04","distribution_release":"jammy"},"supported_platform":"any"}' \
    > "$work/wagon/bench-plugin/package.json"
head -c $((50 * 1024 * 1024)) /dev/urandom > "$work/wagon/bench-plugin/wheels/big.whl"
tar -czf "$work/bench_plugin-1.0.wgn" -C "$work/wagon" bench-plugin/package.json bench-plugin/wheels
echo "== $mode $(basename "$(dirname "$S")") $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg) wagon: $(stat -c %s "$work/bench_plugin-1.0.wgn") bytes"

times=()
for i in $(seq 20); do
    t=$(curl -s -o "$work/out" -w '%{http_code} %{time_total}' -X PUT "${auth[@]}" \
        -H "Content-Type: application/octet-stream" --data-binary @"$work/bp.tar.gz" "$api/blueprints/bp$i?application_file_name=blueprint.yaml")
    [ "${t%% *}" = 201 ] || { echo "upload bp$i: $t $(cat "$work/out")"; exit 1; }
    times+=("${t#* }")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "blueprint upload x%d: median %.1f ms, mean %.1f ms, max %.1f ms\n", NR, a[int((NR+1)/2)]*1000, s/NR*1000, a[NR]*1000}'

for i in 1 2 3; do
    t=$(curl -s -o "$work/out" -w '%{http_code} %{time_total}' -X POST "${auth[@]}" \
        -H "Content-Type: application/octet-stream" --data-binary @"$work/bench_plugin-1.0.wgn" "$api/plugins?visibility=tenant")
    [ "${t%% *}" = 201 ] || { echo "wagon upload: $t $(cat "$work/out")"; exit 1; }
    id=$(sed 's/.*"id": *"\([^"]*\)".*/\1/' "$work/out")
    echo "50 MB wagon upload #$i: $(awk '{printf "%.0f ms", $1*1000}' <<<"${t#* }")"
    curl -sf -o /dev/null -X DELETE "${auth[@]}" -H 'Content-Type: application/json' -d '{"force": true}' "$api/plugins/$id"
done
grep VmHWM "/proc/$pid/status"
