"""What every source's sync returns, and running a source with its run recorded in sync_runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import Engine

from collectors.config import Config
from collectors.secrets import redact
from store import finish_run, start_run


@dataclass
class SyncResult:
    """The outcome of one source's sync: rows per table, failed scopes, requests made."""

    rows: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, table: str, count: int) -> None:
        """Count COUNT rows written to TABLE."""
        self.rows[table] = self.rows.get(table, 0) + count

    @property
    def total(self) -> int:
        """Rows written, all tables."""
        return sum(self.rows.values())


SyncFn = Callable[[Engine, Config, bool, TextIO], SyncResult]


def run_source(engine: Engine, config: Config, source: str, sync: SyncFn, full: bool,
               stream: TextIO | None = None) -> SyncResult:
    """Run one source's sync, record it in sync_runs, print its summary; never leak a secret."""
    stream = stream or sys.stderr
    run_id = start_run(engine, source)
    started = time.monotonic()
    try:
        result = sync(engine, config, full, stream)
    except Exception as exc:  # recorded, then re-raised for the CLI to report in one line
        finish_run(engine, run_id, "failed", 0, redact(f"{type(exc).__name__}: {exc}", config)[:500])
        raise
    status = "ok" if not result.failures else ("partial" if result.total else "failed")
    error = redact("; ".join(result.failures), config)[:2000] if result.failures else None
    finish_run(engine, run_id, status, result.total, error)
    tables = ", ".join(f"{t} {n}" for t, n in sorted(result.rows.items())) or "no rows"
    stream.write(f"{source}: {status}: {tables}; {result.requests} requests; "
                 f"{time.monotonic() - started:.1f}s\n")
    for note in result.notes:
        stream.write(f"{source}: {redact(note, config)}\n")
    for failure in result.failures:
        stream.write(f"{source}: FAILED {redact(failure, config)}\n")
    return result
