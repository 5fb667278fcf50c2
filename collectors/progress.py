"""Progress on stderr: a redrawn bar per scope on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports progress of one scope (a repo, a project) of a sync."""

    def __init__(self, label: str, stream: TextIO | None = None, total: int | None = None,
                 every: float = 5.0):
        self.label, self.total, self.every = label, total, every
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.items = self.requests = 0
        self.started = self._last = time.monotonic()

    def advance(self, items: int = 0, requests: int = 0) -> None:
        """Count ITEMS written and REQUESTS made, and redraw when due."""
        self.items += items
        self.requests += requests
        now = time.monotonic()
        if self.tty or now - self._last >= self.every:
            self._last = now
            self._draw()

    def _line(self) -> str:
        of = f"/{self.total}" if self.total else ""
        return f"{self.label}: {self.items}{of} items, {self.requests} requests"

    def _draw(self) -> None:
        if self.tty:
            width = 24
            done = int(width * min(self.items / self.total, 1)) if self.total else 0
            bar = "#" * done + "-" * (width - done) if self.total else ""
            self.stream.write(f"\r\033[K{self._line()} {('[' + bar + ']') if bar else ''}")
        else:
            self.stream.write(self._line() + "\n")
        self.stream.flush()

    def done(self, note: str = "") -> None:
        """Print the scope's closing line."""
        secs = time.monotonic() - self.started
        end = f" in {secs:.1f}s" + (f" ({note})" if note else "")
        self.stream.write(("\r\033[K" if self.tty else "") + self._line() + end + "\n")
        self.stream.flush()
