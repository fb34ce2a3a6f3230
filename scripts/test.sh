#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium and HAProxy) and run
# every check: ruff, mypy, the data validator, then unit, app and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements-dev.txt
missing=""
# browser tests need /usr/bin/chromium; the cluster's tests HAProxy (scripts/cluster.sh)
[ -x /usr/bin/chromium ] || missing="chromium"
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || missing="$missing haproxy"
if [ -n "$missing" ]; then
  echo "Installing from Debian's packages:$missing..."
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/python -m central_asia_atlas validate
exec .venv/bin/python -m pytest "$@"
