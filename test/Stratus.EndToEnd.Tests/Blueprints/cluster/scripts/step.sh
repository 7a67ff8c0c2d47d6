#!/bin/bash
# Records each run (start and end) so the test can tell which steps ran twice.
set -e
echo "start $step $$" >> "$record"
ctx logger info "step $step running"
sleep "$seconds"
echo "done $step" >> "$record"
ctx logger info "step $step done"
