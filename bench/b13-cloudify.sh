#!/usr/bin/env bash
# B13 on Cloudify's own parser: parse_from_path + prepare_deployment_plan of the files `bench b13` generates,
# one fresh python process per run, wall time and peak RSS from /usr/bin/time -v.
# Usage: bench/b13-cloudify.sh [DIR] [RUNS]     (DIR defaults to /tmp/stratus-b13; generated if missing)
set -euo pipefail
dir="${1:-/tmp/stratus-b13}"
runs="${2:-1}"
here="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -f "$dir/templates-1000/blueprint.yaml" || ! -f "$dir/instances-10000/blueprint.yaml" ]]; then
  dotnet run --project "$here/Stratus.Bench" -c Release -- b13 "$dir" --iterations 0
fi

eval "$(CLOUDIFY_COMMON_DIR=/work/peer/cc CLOUDIFY_CLI_DIR=/work/peer/cli CLOUDIFY_MANAGER_DIR=/work/peer/cm bash /work/shared/peer/setup.sh --env)"
for case in templates-1000 instances-10000; do
  for ((run = 1; run <= runs; run++)); do
    log="$(mktemp)"
    /usr/bin/time -v /usr/bin/python3 /work/shared/peer/parse_blueprint.py "$dir/$case/blueprint.yaml" --compact \
      > /dev/null 2> "$log" || { echo "B13 cloudify $case: parser failed"; tail -5 "$log"; exit 1; }
    wall="$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')"
    rss="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
    user="$(grep 'User time (seconds)' "$log" | awk '{print $NF}')"
    sys="$(grep 'System time (seconds)' "$log" | awk '{print $NF}')"
    echo "B13 cloudify $case run $run: wall $wall, CPU user $user s + sys $sys s, peak RSS $((rss / 1024)) MB"
    rm -f "$log"
  done
done
