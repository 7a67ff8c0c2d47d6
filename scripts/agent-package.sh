#!/usr/bin/env bash
# Builds a self-contained agent package for `manager start --agent-package FILE`: the stratus CLI published for one
# runtime with .NET and ASP.NET Core inside, so hosts need no `dotnet`. The runtime packs come from NuGet.
#
#   scripts/agent-package.sh [RID] [OUT.tar.gz]     # default: linux-x64, ./stratus-agent-linux-x64.tar.gz
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-linux-x64}"
out="$(realpath -m "${2:-$PWD/stratus-agent-$rid.tar.gz}")"
work="$(mktemp -d "${TMPDIR:-/tmp}/stratus-agent-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/src/Stratus.Cli/Stratus.Cli.csproj" -c Release -r "$rid" --self-contained true \
    -p:UseAppHost=true -o "$work/app" -nologo -v quiet
# The installer runs app/stratus when app/libcoreclr.so is present (self-contained), else dotnet app/stratus.dll.
[ -x "$work/app/stratus" ] && [ -f "$work/app/libcoreclr.so" ] \
    || { echo "agent-package: the publish output has no self-contained stratus (app/stratus, libcoreclr.so)" >&2; exit 1; }
tar -czf "$out" -C "$work/app" .
# The RID build folder next to the framework-dependent build would otherwise end up in the manager's own package.
rm -rf "$root/src/Stratus.Cli/bin/Release/net10.0/$rid" "$root/src/Stratus.Cli/obj/Release/net10.0/$rid"
echo "$out"
