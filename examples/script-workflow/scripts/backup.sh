#!/bin/bash
# demo.maintenance.backup: writes a backup file for this instance and returns its path.
set -e
dir=$(ctx node properties record_dir)
id=$(ctx instance id)
mkdir -p "$dir/backups"
echo "$id $label" > "$dir/backups/$id.txt"
echo "$id demo.maintenance.backup" >> "$dir/operations.log"
ctx instance runtime-properties last_backup "$label"
ctx logger info "Backed up $id ($label)"
ctx returns "$dir/backups/$id.txt"
