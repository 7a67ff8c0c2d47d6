#!/bin/bash
# Logs numbered lines (each one ctx call, through the agent) and records each run, so a test can count both.
set -e
echo "start $step $$" >> "$record"
for i in $(seq 1 "$lines"); do
    ctx logger info "chatty $step line $i"
    sleep 0.02
done
echo "done $step" >> "$record"
