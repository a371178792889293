#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests drive (redis-server,
# skopeo, podman, strace, the Docker engine, Chromium and its driver, Node.js and the manifest validator's npm packages) when it is
# missing, then runs every test project once and prints one plain summary line, "N passed,
# N failed". Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# The web console's browser tests drive Debian's Chromium through its driver.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: the tests need ${missing[*]}; install them (sudo apt-get install -y ${missing[*]}) and run again." >&2
    exit 2
  fi
fi

# Deploy.Tests validates the rendered manifests with deploy/validate (Node.js; packages pinned by its lockfile).
[ -d deploy/validate/node_modules ] || npm ci --prefix deploy/validate --no-audit --no-fund
# The object-storage driver tests start Azurite and s3rver from tests/servers (pinned by its lockfile).
[ -d tests/servers/node_modules ] || npm ci --prefix tests/servers --no-audit --no-fund

export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution RegistryCloud.sln --no-progress "$@" 2>&1 | tee "$log" || status=$?

# Microsoft.Testing.Platform ends with a run summary; add up its counters.
read -r passed failed skipped < <(awk '
  /^[[:space:]]*succeeded:[[:space:]]*[0-9]+/ { p = $2 }
  /^[[:space:]]*failed:[[:space:]]*[0-9]+/    { f = $2 }
  /^[[:space:]]*skipped:[[:space:]]*[0-9]+/   { s = $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The run failed without a failed test (a build error, a crashed test host): count it.
  failed=1
fi
if [ "$failed" -gt 0 ]; then
  # Repeat each failure's name and first lines at the end, where a truncated log still shows them.
  echo "---- failures ----"
  awk '/^failed / { n = 6 } n > 0 && !/^[[:space:]]+at / { print; n-- }' "$log" | head -n 60
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
