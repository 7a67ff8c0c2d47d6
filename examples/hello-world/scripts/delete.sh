#!/bin/bash
# Runs as cloudify.interfaces.lifecycle.delete: removes only what create/configure made.
set -euo pipefail

site_dir=$(ctx node properties site_dir)
rm -f "${site_dir}/index.html"
rmdir "${site_dir}" 2>/dev/null || true
ctx logger info "Removed the page from ${site_dir}"
