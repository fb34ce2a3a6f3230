"""Command line: `python -m central_asia_atlas validate|anchor|build-geometry`."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from . import store


def _validate(args: argparse.Namespace) -> int:
    ds = store.load(Path(args.data), Path(args.seeds))
    for problem in ds.problems:
        print(problem)
    counts = ", ".join(f"{n} {k}" for k, n in ds.counts().items())
    if ds.problems:
        print(f"FAILED: {len(ds.problems)} problem(s); loaded {counts}", file=sys.stderr)
        return 1
    print(f"OK: {counts}")
    return 0


def _anchor(args: argparse.Namespace) -> int:
    import yaml

    from .curation import anchor_files

    try:
        changed, problems = anchor_files(Path(args.data), Path(args.seeds))
    except (
        OSError,
        ValueError,  # malformed JSON, undecodable text
        KeyError,
        TypeError,
        AttributeError,  # data of an unexpected shape (a list where an object belongs)
        RecursionError,
        yaml.YAMLError,
    ) as exc:
        detail = " ".join(str(exc).split())  # one line, whatever the parser's message
        print(
            f"anchor: cannot read the data ({type(exc).__name__}: {detail}); "
            "run `validate` to locate the problem",
            file=sys.stderr,
        )
        return 1
    for line in changed:
        print(line)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


def _build_geometry(args: argparse.Namespace) -> int:
    from .geometry import build

    for line in build(Path(args.data), tolerance=args.tolerance):
        print(line)
    return 0


def _forgiving_streams() -> None:
    """Print every problem even on a console that cannot show some character of it (a name
    quoted from the data): such a character is escaped, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _forgiving_streams()
    parser = argparse.ArgumentParser(prog="python -m central_asia_atlas")
    parser.add_argument("--data", default=str(store.current_data_dir()), help="data directory")
    parser.add_argument("--seeds", default=str(store.current_seeds_dir()), help="seeds directory")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every file, fact, excerpt and indicator")
    sub.add_parser("anchor", help="fill in start/end of excerpts that occur exactly once")
    geo = sub.add_parser(
        "build-geometry",
        help="regenerate country shapes and the basemap "
        "from Natural Earth (npm world-atlas); properties are kept",
    )
    geo.add_argument("--tolerance", type=float, default=0.02, help="simplification, degrees")
    # accept --data/--seeds after the sub-command too
    for p in sub.choices.values():
        p.add_argument("--data", default=argparse.SUPPRESS)
        p.add_argument("--seeds", default=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    handlers = {"validate": _validate, "anchor": _anchor, "build-geometry": _build_geometry}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `validate | head`: the reader has gone; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
