#!/usr/bin/env bash
# B9: kill -9 of the embedded manager during an install, restart it on the same data directory, and measure how long
# it takes to be ready and to finish the resumed install, and whether any instance was started twice.
#
#   bench/b9-resume.sh [--nodes 100] [--instances 100] [--kill-after SECONDS] [--port 18740]
#
# Needs Release builds of src/Stratus.Cli and bench/Stratus.Bench. The blueprint is B5's (no-op instances).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cli="$root/src/Stratus.Cli/bin/Release/net10.0/stratus.dll"
bench="$root/bench/Stratus.Bench/bin/Release/net10.0/Stratus.Bench.dll"
nodes=100 instances=100 kill_after="" port=18740
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --kill-after) kill_after="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# A random point inside the install (which takes a few seconds for 10,000 no-op instances on 2 cores).
kill_after="${kill_after:-$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 1 + (r % 30) / 10 }')}"
work="$(mktemp -d /tmp/stratus-b9.XXXXXX)"
url="http://127.0.0.1:$port"
api="$url/api/v3.1"
auth=(-s -u admin:admin -H 'Tenant: default_tenant')
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s.%N; }
start_manager() {
  dotnet "$cli" manager start --port "$port" --data-dir "$work/data" --admin-password admin >>"$work/manager.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null -w '%{http_code}' "$api/ok" 2>/dev/null | grep -q 200; do sleep 0.1; done
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

start_manager
dotnet "$bench" b5-blueprint "$work/bp" --nodes "$nodes" --instances "$instances" --chain 10
tar -czf "$work/bp.tar.gz" -C "$work" bp
curl "${auth[@]}" -X PUT -F 'params={"application_file_name": "blueprint.yaml"}' -F "blueprint_archive=@$work/bp.tar.gz" "$api/blueprints/b9" >/dev/null
curl "${auth[@]}" -X PUT -H 'Content-Type: application/json' -d '{"blueprint_id": "b9"}' "$api/deployments/d9" >/dev/null
execution="$(curl "${auth[@]}" -X POST -H 'Content-Type: application/json' -d '{"deployment_id": "d9", "workflow_id": "install"}' "$api/executions" | json "['id']")"
sleep "$kill_after"
before="$(curl "${auth[@]}" "$api/events?execution_id=$execution&_size=1&_include=message" | json "['metadata']['pagination']['total']")"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
killed_at="$(now)"
start_manager
ready_at="$(now)"
while :; do
  status="$(curl "${auth[@]}" "$api/executions/$execution?_include=status" | json "['status']")"
  case "$status" in terminated|failed|cancelled) break ;; esac
  sleep 0.1
done
ended_at="$(now)"
started="$(curl "${auth[@]}" "$api/node-instances?deployment_id=d9&state=started&_size=1&_include=id" | json "['metadata']['pagination']['total']")"
twice="$(curl "${auth[@]}" "$api/events?execution_id=$execution&_size=1000000&_include=node_instance_id,message" \
  | python3 -c "import json,sys,collections; c=collections.Counter(e.get('node_instance_id') for e in json.load(sys.stdin)['items'] if e.get('message')=='Node instance started'); print(sum(1 for v in c.values() if v>1))")"
awk -v b="$before" -v k="$kill_after" -v a="$killed_at" -v r="$ready_at" -v e="$ended_at" -v s="$status" -v n="$started" -v t="$twice" -v total="$((nodes * instances))" 'BEGIN {
  printf "B9 instances=%d killed %.1fs after the install started (%s events of it stored by then); restart to ready %.2fs; ready to execution %s %.2fs; started=%d; started twice=%d\n", total, k, b, r - a, s, e - r, n, t }'
[ "$status" = terminated ] && [ "$started" -eq "$((nodes * instances))" ]
