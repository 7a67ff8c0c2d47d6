#!/usr/bin/env bash
# Regenerates every <case>/expected.json from Cloudify's own parser (the oracle in ../shared/peer).
# Usage: bash regenerate.sh [CASE...]   (default: every case folder beside this script)
# Needs CLOUDIFY_COMMON_DIR, CLOUDIFY_CLI_DIR and CLOUDIFY_MANAGER_DIR (defaults: /work/peer/{cc,cli,cm}) and
# PEER_DIR, the folder holding setup.sh and parse_blueprint.py (default: /work/shared/peer).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peer="${PEER_DIR:-/work/shared/peer}"
export CLOUDIFY_COMMON_DIR="${CLOUDIFY_COMMON_DIR:-/work/peer/cc}"
export CLOUDIFY_CLI_DIR="${CLOUDIFY_CLI_DIR:-/work/peer/cli}"
export CLOUDIFY_MANAGER_DIR="${CLOUDIFY_MANAGER_DIR:-/work/peer/cm}"
eval "$(bash "$peer/setup.sh" --env)"

failed=0
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$here"/*/; do cases+=("$(basename "$d")"); done
fi

for name in "${cases[@]}"; do
  dir="$here/${name%/}"
  [ -f "$dir/blueprint.yaml" ] || { echo "skip $name: no blueprint.yaml" >&2; continue; }
  args=(blueprint.yaml)
  [ -f "$dir/inputs.yaml" ] && args+=(-i inputs.yaml)
  [ -d "$dir/plugins" ] && args+=(--plugins plugins)
  [ -d "$dir/blueprints" ] && args+=(--blueprints blueprints)
  rc=0
  (cd "$dir" && /usr/bin/python3 "$peer/parse_blueprint.py" "${args[@]}") > "$dir/expected.json" || rc=$?
  case $rc in
    0) echo "ok    $name" ;;
    3) echo "error $name: $(/usr/bin/python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["error"], e["err_code"])' "$dir/expected.json")" ;;
    *) echo "FAIL  $name (exit $rc): not a DSL outcome, see $dir/expected.json" >&2; failed=1 ;;
  esac
done
exit $failed
