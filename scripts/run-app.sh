#!/usr/bin/env bash
# Install what the app needs into .venv and start it on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements.txt
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
