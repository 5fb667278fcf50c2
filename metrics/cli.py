"""The metrics command line: `python -m metrics report` (spec/cli.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from collectors.cli import Parser, UsageError, _config
from collectors.config import DEFAULT_CONFIG, ConfigError
from metrics.compute import UnknownTeam, team_ids
from metrics.frames import frames_from_tables
from metrics.inputs import TABLES
from metrics.report import FORMATS, build_report, render
from store import StoreError, open_engine, read_frames, resolve_url, safe_url


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): '{text}'") from None


def load_frames(url: str):
    """Read the metrics' tables from the database at URL (refusing to create a missing SQLite file)."""
    parsed = make_url(url) if "://" in url else None
    if parsed is not None and parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        raise StoreError(f"no database at {safe_url(url)} (run `python -m collectors sync` or `demo` first)")
    engine = open_engine(url)
    try:
        return frames_from_tables(read_frames(engine, TABLES))
    finally:
        engine.dispose()


def cmd_report(args) -> int:
    """Print the KPI report of the window in the chosen format."""
    if args.start > args.end:
        raise UsageError(f"metrics report: --from {args.start} is after --to {args.end}")
    config = _config(args, required=False)
    frames = load_frames(resolve_url(args.db, config.database))
    try:
        team_ids(frames, args.team)
    except UnknownTeam as exc:
        raise UsageError(f"metrics report: --team: {exc}") from None
    sys.stdout.write(render(build_report(frames, args.start, args.end, args.team), args.format))
    return 0


def build_parser() -> Parser:
    """The argument parser of `python -m metrics`."""
    parser = Parser(prog="metrics", description="Compute Legible's KPIs from the database.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    p = sub.add_parser("report", help="every KPI per team for a window (spec/metrics.md)")
    p.add_argument("--config", help=f"teams.yaml to use (default: $LEGIBLE_CONFIG, else ./{DEFAULT_CONFIG} if present)")
    p.add_argument("--db", help="database URL (default: $LEGIBLE_DATABASE_URL, else the config's database, "
                                "else sqlite:///data/legible.db)")
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE",
                   help="first day of the window (YYYY-MM-DD, inclusive, in each team's time zone)")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE",
                   help="last day of the window (YYYY-MM-DD, inclusive)")
    p.add_argument("--team", action="append", metavar="ID",
                   help="only this team (repeatable; `unassigned` is the pseudo-team of unowned activity)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (2: usage, config or database error)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, ConfigError, StoreError) as exc:
        print(str(exc) if isinstance(exc, UsageError) else f"error: {exc}", file=sys.stderr)
        return 2
