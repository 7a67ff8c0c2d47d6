#!/bin/bash
# Runs as cloudify.interfaces.lifecycle.configure: writes the page. The operation input page_title
# arrives as an environment variable, like every operation input of a script.
set -euo pipefail

site_dir=$(ctx instance runtime-properties site_dir)
greeting=$(ctx node properties greeting)
page="${site_dir}/index.html"

cat > "${page}" <<HTML
<!doctype html>
<html>
  <head><title>${page_title}</title></head>
  <body>
    <h1>${greeting}</h1>
    <p>Written by node instance $(ctx instance id) of deployment $(ctx deployment id).</p>
  </body>
</html>
HTML

ctx instance runtime-properties page_path "${page}"
ctx logger info "Wrote the page to ${page}"
