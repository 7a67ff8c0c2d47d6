#!/bin/bash
# Runs as cloudify.interfaces.lifecycle.create: makes the folder the page will live in.
set -euo pipefail

site_dir=$(ctx node properties site_dir)
mkdir -p "${site_dir}"
ctx instance runtime-properties site_dir "${site_dir}"
ctx logger info "Created folder ${site_dir}"
