#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium) and run every check:
# ruff, mypy, the import contracts, the data validator, the static site's build, then unit, app
# and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages (browser tests need /usr/bin/chromium)..."
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/python -m central_asia_atlas validate
# The static site's build step, as .github/workflows/site.yml runs it (docs/publishing.md).
site_dir="$(mktemp -d)"
trap 'rm -rf "$site_dir"' EXIT
.venv/bin/python -m central_asia_atlas build-site "$site_dir/site" --base-url https://example.org/atlas/
.venv/bin/python -m pytest "$@"
