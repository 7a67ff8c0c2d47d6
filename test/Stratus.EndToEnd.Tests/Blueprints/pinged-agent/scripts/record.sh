#!/bin/bash
# Writes which agent ran this operation (AGENT_NAME, as Cloudify's agents export it).
set -euo pipefail
mkdir -p "$(dirname "$out_file")"
printf '%s\n' "$AGENT_NAME" > "$out_file"
ctx logger info "recorded agent $AGENT_NAME in $out_file"
