"""The six review dimensions, found in review text by a documented, configurable lexicon.

A lexicon maps each dimension to terms. A term is a word or a phrase, matched case-insensitively on whole
words: `log` finds "log" and "logs" but not "login" or "catalog". Every word of a term also takes a plural
"s"; a word ending in `*` is a stem that takes any ending (`idempoten*` finds "idempotent", "idempotency").
Words of a phrase may be separated by spaces or hyphens (`feature flag` finds "feature-flags"). Before
matching, fenced code blocks, inline code and URLs are removed: they hold code and names, not the
reviewer's words. docs/REVIEW_TOPICS.md explains every choice and measures it on real review comments.
"""

from __future__ import annotations

import re
from functools import lru_cache

DIMENSIONS = ("architecture", "failure_modes", "observability", "tests", "rollback", "security")

LEXICON: dict[str, tuple[str, ...]] = {
    "architecture": (
        "architecture", "architectural", "design", "redesign", "design pattern", "coupling", "coupled",
        "decoupl*", "abstraction", "abstracting", "interface",
        "separation of concerns", "single responsibility", "responsibilit*", "cohesion", "encapsulat*",
        "implementation detail", "service layer", "abstraction layer", "domain layer", "data layer",
        "persistence layer", "layering", "circular dependenc*", "dependency injection", "belongs in",
        "belong in", "should live in", "should reside in", "over-engineer*", "overengineer*", "yagni",
        "premature*", "generality", "extensib*", "scalab*", "monolith*", "microservice*", "trade-off*",
        "tradeoff*", "adapter", "facade",
    ),
    "failure_modes": (
        "edge case", "corner case", "failure mode", "timeout", "time out", "times out", "timed out", "retry",
        "retries", "retried", "retrying", "backoff", "back off", "race", "racy", "deadlock*",
        "livelock*", "idempoten*", "concurren*", "thread-safe", "thread safety", "goroutine-safe", "mutex*",
        "write lock", "read lock", "null pointer", "nil pointer", "null check", "nil check", "npe",
        "nullpointerexception", "dereferenc*", "error handling", "handl* error*", "handl* the error*",
        "error path", "error case", "unhandled", "uncaught", "swallow*", "crash*", "panic*", "hang", "hangs",
        "memory leak", "goroutine leak", "resource leak", "leak* memory", "overflow*", "out of memory", "oom",
        "fallback*", "fall back", "graceful*", "go* wrong", "partial failure", "inconsistent state",
        "data loss", "dead letter*", "circuit breaker", "backpressure", "back pressure", "what happens if",
        "what happens when",
    ),
    "observability": (
        "observab*", "log", "logging", "logger*", "stack trace", "metric*", "telemetry", "instrument*",
        "tracing", "trace", "span attribute", "alert", "alerting", "monitor*", "prometheus", "grafana",
        "kibana", "datadog", "sentry", "opentelemetry", "otel", "statsd", "cardinality", "gauge", "histogram",
        "health check", "healthcheck", "slo", "sli", "runbook", "on-call", "oncall", "pager*",
    ),
    "tests": (
        "test", "testing", "tested", "untested", "testable", "coverage", "assert*", "mock", "mocked",
        "mocking", "stub", "stubbed", "fixture", "flaky", "flakiness", "flake", "pytest", "jest", "junit",
        "unittest", "tdd",
    ),
    "rollback": (
        "rollback*", "roll back", "rolling back", "rolled back", "reversib*", "irreversib*", "feature flag",
        "feature toggle", "kill switch", "killswitch", "migration", "backward* compat*", "forward compat*",
        "backward* incompatib*", "breaking", "canary", "canaries", "rollout*",
        "roll out", "rolling upgrade", "rolling deploy*", "rolling update", "blue-green", "downgrad*",
        "backfill*", "dark launch",
    ),
    "security": (
        "security", "secure*", "insecure", "auth", "authn", "authz", "authenticat*", "unauthenticat*",
        "authoriz*", "unauthoriz*", "permission", "perm", "privilege*", "secret", "credential*", "password*",
        "api key", "access token", "bearer", "jwt", "sql injection", "command injection", "code injection",
        "shell injection", "script injection", "prompt injection", "sqli", "sanitiz*", "sanitis*",
        "unsanitiz*", "unescaped", "xss", "csrf", "xsrf", "ssrf", "cors", "path traversal",
        "directory traversal", "vulnerab*", "exploit*", "attacker*", "attack surface", "attack vector",
        "timing attack", "encrypt*", "decrypt*", "plaintext", "tls", "mtls", "pii", "gdpr", "sensitive data",
        "sensitive information", "access control", "least privilege", "untrusted", "malicious", "spoof*",
        "forgery", "forged", "cve",
    ),
}

_NOT_PROSE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`|https?://\S+", re.DOTALL)


def term_problem(term: str) -> str | None:
    """Why TERM cannot be a lexicon term (None when it can): every word must start and end on a letter or digit."""
    words = re.split(r"[\s-]+", term.strip())
    if all(w and re.fullmatch(r"\w(?:.*\w)?\*?", w) for w in words):
        return None
    return f"'{term}': each word must start and end with a letter or digit (a final * makes a stem)"


def _word(word: str) -> str:
    """The regex for one word of a term: a stem when it ends in `*`, else the word with an optional plural s."""
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) + "s?"


def term_pattern(term: str) -> str:
    """The regex for one lexicon term (words joined by spaces or hyphens), anchored on word edges."""
    words = [_word(w) for w in re.split(r"[\s-]+", term.strip().lower()) if w]
    return r"\b" + r"[\s-]+".join(words) + r"\b"


@lru_cache(maxsize=16)
def _patterns(lexicon: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, re.Pattern], ...]:
    # Lower-cased text and a plain pattern run several times faster than re.IGNORECASE.
    return tuple((dim, re.compile("|".join(term_pattern(t) for t in terms)))
                 for dim, terms in lexicon if dim in DIMENSIONS and terms)


def prose(text: str) -> str:
    """TEXT without fenced code, inline code and URLs, which the lexicon ignores."""
    return _NOT_PROSE.sub(" ", text)


def classify_topics(text: str | None, lexicon: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The review dimensions TEXT touches, in DIMENSIONS order."""
    if not text or not text.strip():
        return []
    words = prose(text).lower()
    patterns = _patterns(tuple((dim, tuple(terms)) for dim, terms in (lexicon or LEXICON).items()))
    found = {dim for dim, pattern in patterns if pattern.search(words)}
    return [dim for dim in DIMENSIONS if dim in found]


def lexicon_for(config) -> dict[str, tuple[str, ...]]:
    """The default lexicon with the config's policy.review_topics replacing whole dimensions."""
    return {**LEXICON, **dict(config.policy.review_topics)}


def topics_for(config, text: str | None) -> str | None:
    """The dimensions TEXT touches under CONFIG's lexicon, as a `;`-joined cell (None when none)."""
    found = classify_topics(text, lexicon_for(config))
    return ";".join(found) if found else None
