#!/usr/bin/env bash
# A local cluster without Docker: N replicas of the app behind HAProxy, with the balancer
# policy of deploy/haproxy.cfg (docs/deploy.md).
#
#   scripts/cluster.sh start --replicas 3 --port 8080 --run-dir run/cluster
#   scripts/cluster.sh status --run-dir run/cluster
#   scripts/cluster.sh restart --run-dir run/cluster    # rolling: drain, replace, ready
#   scripts/cluster.sh stop --run-dir run/cluster
#
# Installs Debian's haproxy when it is missing (with sudo when not root), and the app's
# requirements into .venv when there is none. The work is done by scripts/cluster.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  echo "Installing HAProxy from Debian's packages (the cluster's balancer)..." >&2
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq haproxy >/dev/null
fi
export PATH="$PATH:/usr/sbin"
[ -x .venv/bin/python ] || scripts/bootstrap.sh requirements.txt >&2
exec .venv/bin/python scripts/cluster.py "$@"
