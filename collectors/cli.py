"""The collectors command line: sync, import, demo and check (spec/cli.md)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from collectors.config import DEFAULT_CONFIG, Config, ConfigError, config_path, load_config
from collectors.csv_import import CsvError, import_directory
from collectors.roster import sync_roster
from collectors.secrets import redact
from collectors.sources import SyncResult, run_source
from store import StoreError, finish_run, open_engine, resolve_url, safe_url, start_run

# Each source's sync function, as module:function, imported only when that source runs.
SOURCES = {
    "roster": "collectors.cli:sync_roster_source",
    "github": "collectors.github:sync",
    "jira": "collectors.jira:sync",
}
# Each source's check of credentials and scopes, where it has one.
CHECKS = {"github": "collectors.github:check", "jira": "collectors.jira:check"}


class UsageError(Exception):
    """A wrong argument: one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr with exit code 2."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


def _load(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def sync_roster_source(engine, config: Config, full: bool, stream) -> SyncResult:
    """The roster as a source: replace teams, people, identities and memberships from the config."""
    written = sync_roster(engine, config)
    result = SyncResult(rows={"roster": written})
    result.notes.append(f"{len(config.teams)} teams, "
                        f"{sum(len(t.members) for t in config.teams)} memberships")
    return result


def _config(args, required: bool = True) -> Config:
    """The config of --config / LEGIBLE_CONFIG / ./teams.yaml; defaults when optional and absent."""
    path = config_path(args.config)
    explicit = args.config or os.environ.get("LEGIBLE_CONFIG")
    if not required and not explicit and not Path(path).exists():
        return Config(path=DEFAULT_CONFIG)
    return load_config(path)


def _engine(args, config: Config):
    url = resolve_url(getattr(args, "db", None), config.database)
    return open_engine(url)


def cmd_sync(args) -> int:
    """Run the chosen sources in order; exit 1 when any source or scope failed."""
    config = _config(args)
    engine = _engine(args, config)
    names = ["roster", "github", "jira"] if args.source == "all" else [args.source]
    if args.source == "all":
        names = [n for n in names if n == "roster" or (n == "github" and _has_repos(config))
                 or (n == "jira" and config.jira.url)]
    failed = False
    for name in names:
        try:
            result = run_source(engine, config, name, _load(SOURCES[name]), args.full)
        except ConfigError:
            raise
        except Exception as exc:  # a source that died: say which, keep going with the next
            print(f"{name}: FAILED: {redact(f'{type(exc).__name__}: {exc}', config)}", file=sys.stderr)
            failed = True
            continue
        failed = failed or bool(result.failures)
    return 1 if failed else 0


def _has_repos(config: Config) -> bool:
    return any(t.repos for t in config.teams)


def cmd_import(args) -> int:
    """Load an interchange directory all or nothing."""
    config = _config(args, required=False)
    engine = _engine(args, config)
    started = time.monotonic()
    run_id = start_run(engine, "import")
    try:
        written = import_directory(engine, args.directory, config)
    except CsvError as exc:
        finish_run(engine, run_id, "failed", 0, str(exc))
        raise
    total = sum(written.values())
    finish_run(engine, run_id, "ok", total)
    secs = time.monotonic() - started
    tables = ", ".join(f"{t} {n}" for t, n in written.items())
    print(f"imported {total} rows from {args.directory} in {secs:.1f}s "
          f"({total / secs if secs else 0:,.0f} rows/s): {tables}", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    """Generate the demo organisation into --out and load all of it (roster included)."""
    from collectors.demo import generate

    out = Path(args.out)
    started = time.monotonic()
    generate(out, seed=args.seed, scale=args.scale)
    config = load_config(str(out / "teams.yaml"))
    url = resolve_url(args.db, config.database)
    engine = open_engine(url)
    run_source(engine, config, "roster", sync_roster_source, True)
    run_id = start_run(engine, "demo")
    loading = time.monotonic()
    written = import_directory(engine, out, config)
    total = sum(written.values())
    finish_run(engine, run_id, "ok", total)
    loaded = time.monotonic() - loading
    print(f"demo: {len(config.teams)} teams, {total} rows in {safe_url(url)} "
          f"({time.monotonic() - started:.1f}s; import {loaded:.1f}s, {total / loaded:,.0f} rows/s); "
          f"config {out / 'teams.yaml'}", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    """Validate the config, then each source's credentials and scopes where the network allows."""
    config = _config(args)
    members = sum(len(t.members) for t in config.teams)
    print(f"{config.path}: ok: {len(config.teams)} teams, {members} memberships, "
          f"{sum(len(t.repos) for t in config.teams)} repos, "
          f"{sum(len(t.jira_projects) for t in config.teams)} Jira projects, "
          f"{sum(len(t.jira_boards) for t in config.teams)} boards")
    problems = 0
    for name, target in CHECKS.items():
        if name == "github" and not _has_repos(config) or name == "jira" and not config.jira.url:
            print(f"{name}: not configured")
            continue
        try:
            check = _load(target)
        except (ImportError, AttributeError):
            print(f"{name}: check not available")
            continue
        problems += check(config, sys.stdout)
    return 1 if problems else 0


def build_parser() -> Parser:
    """The argument parser of `python -m collectors`."""
    parser = Parser(prog="collectors", description="Collect engineering data into Legible's database.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def common(p, db=True):
        p.add_argument("--config", help=f"teams.yaml to use (default: $LEGIBLE_CONFIG, else ./{DEFAULT_CONFIG})")
        if db:
            p.add_argument("--db", help="database URL (default: $LEGIBLE_DATABASE_URL, else the config's "
                                        "database, else sqlite:///data/legible.db)")

    p = sub.add_parser("sync", help="pull data from the sources into the database")
    common(p)
    p.add_argument("--source", choices=["github", "jira", "roster", "all"], default="all",
                   help="which source to sync (default: all configured)")
    p.add_argument("--full", action="store_true", help="re-read everything, ignoring bookmarks")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("import", help="load a directory of interchange CSV files (all or nothing)")
    p.add_argument("directory", metavar="DIR", help="directory holding any of the interchange files")
    common(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("demo", help="generate and load the synthetic demo organisation")
    p.add_argument("--out", default="data/demo", help="where to write teams.yaml and CSVs (default: data/demo)")
    p.add_argument("--db", help="database URL (default: $LEGIBLE_DATABASE_URL, else sqlite:///data/legible.db)")
    p.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same data (default: 7)")
    p.add_argument("--scale", type=_positive, default=1, help="multiply people and activity (default: 1)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="validate the config and, where reachable, credentials and scopes")
    common(p, db=False)
    p.set_defaults(func=cmd_check)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: '{text}'")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (2: usage or config, 1: a source failed)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, ConfigError, CsvError, StoreError) as exc:
        print(f"error: {exc}" if not isinstance(exc, UsageError) else str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: rows written so far are kept; run again to resume", file=sys.stderr)
        return 130
