#!/bin/bash
# The restart_all workflow in bash: list the instances (JSON, read with python3), run start on each, in order.
set -e
ctx logger info "Restarting every instance of $(ctx deployment id) (execution $(ctx execution-id))"
ids=$(ctx -j node-instances | python3 -c 'import json, sys; print(" ".join(sorted(i["id"] for i in json.load(sys.stdin))))')
for id in $ids; do
    ctx execute-operation "$id" cloudify.interfaces.lifecycle.start
    ctx set-node-instance-state "$id" started
done
ctx send-event "Restarted: $ids"
