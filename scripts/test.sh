#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium, HAProxy and npm, and
# axe-core from npm) and run every check: ruff, mypy, the import contracts, the data validator,
# the static site's build, then both test tiers: the fast one (unit and app tests, one worker
# per CPU: plain `pytest`) and the browser one (`pytest -m e2e`, one test at a time).
# Arguments go to both pytest runs (e.g. `-x`, or test files: a tier none of them is in is
# passed over).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements-dev.txt
missing=""
# browser tests need /usr/bin/chromium; the cluster's tests HAProxy (scripts/cluster.sh); the
# accessibility tests axe-core, from npm (tests/e2e/axe)
[ -x /usr/bin/chromium ] || missing="chromium"
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || missing="$missing haproxy"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "Installing from Debian's packages:$missing..."
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
fi
# axe-core as pinned by tests/e2e/axe/package-lock.json, into tests/e2e/axe/node_modules
# (skipped when that lock is what was installed last)
axe="tests/e2e/axe"
want="$(sha256sum "$axe/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$axe/node_modules/.installed-lock" 2>/dev/null)" != "$want" ]; then
  npm ci --prefix "$axe" --no-audit --no-fund --loglevel=error
  echo "$want" > "$axe/node_modules/.installed-lock"
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
status=0
ran=0
for tier in "not e2e" "e2e"; do
  echo "== pytest -m '$tier'"
  code=0
  .venv/bin/python -m pytest -m "$tier" "$@" || code=$?
  if [ "$code" = 0 ]; then
    ran=1
  elif [ "$code" != 5 ] || [ "$#" = 0 ]; then  # 5: no test of this tier among those chosen
    status=$code
  fi
done
if [ "$status" = 0 ] && [ "$ran" = 0 ]; then status=5; fi  # the arguments chose no test
exit "$status"
