"""Where the repository and its shipped data are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"
APP = ROOT / "app_frame.py"  # each session's frame, as AppTest runs it
