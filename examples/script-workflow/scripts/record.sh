#!/bin/bash
# Appends "<instance> <operation>" to the record: one line per run of a lifecycle operation.
set -e
dir=$(ctx node properties record_dir)
mkdir -p "$dir"
echo "$(ctx instance id) $(ctx operation name)" >> "$dir/operations.log"
