"""The six review dimensions, found in review text by a documented, configurable lexicon."""

from __future__ import annotations

import re
from functools import lru_cache

DIMENSIONS = ("architecture", "failure_modes", "observability", "tests", "rollback", "security")

# Word stems per dimension; a text touches a dimension when any stem starts a word in it.
LEXICON: dict[str, tuple[str, ...]] = {
    "architecture": ("architect", "design", "coupling", "abstraction", "layer", "boundar", "interface",
                     "dependency", "module", "separation of concerns", "responsibilit"),
    "failure_modes": ("edge case", "timeout", "retry", "retries", "race", "null", "exception", "fail",
                      "error handling", "crash", "deadlock", "idempoten", "concurren", "overflow"),
    "observability": ("log", "metric", "tracing", "trace", "alert", "monitor", "dashboard", "observab",
                      "telemetry"),
    "tests": ("test", "coverage", "assert", "mock", "fixture", "flaky", "integration test"),
    "rollback": ("rollback", "roll back", "revert", "feature flag", "migration", "backward compat",
                 "backwards compat", "kill switch", "canary"),
    "security": ("security", "auth", "permission", "secret", "token", "injection", "sanitiz", "escap",
                 "xss", "csrf", "credential", "encrypt", "vulnerab", "privilege"),
}


@lru_cache(maxsize=8)
def _patterns(lexicon: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, re.Pattern]:
    return {dim: re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + ")", re.IGNORECASE)
            for dim, stems in lexicon}


def classify_topics(text: str | None, lexicon: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The review dimensions TEXT touches, in DIMENSIONS order."""
    if not text or not text.strip():
        return []
    patterns = _patterns(tuple(sorted((lexicon or LEXICON).items())))
    return [dim for dim in DIMENSIONS if dim in patterns and patterns[dim].search(text)]


def lexicon_for(config) -> dict[str, tuple[str, ...]]:
    """The default lexicon with the config's policy.review_topics replacing whole dimensions."""
    return {**LEXICON, **dict(config.policy.review_topics)}


def topics_for(config, text: str | None) -> str | None:
    """The dimensions TEXT touches under CONFIG's lexicon, as a `;`-joined cell (None when none)."""
    found = classify_topics(text, lexicon_for(config))
    return ";".join(found) if found else None
