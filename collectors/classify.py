"""Classification at ingest: bots, production deployments, bugs, incidents and escaped defects."""

from __future__ import annotations

from collectors.config import Config


def is_production(config: Config, environment: str | None) -> bool:
    """True when ENVIRONMENT is one of the configured production environments (case-insensitive)."""
    wanted = {e.lower() for e in config.github.deployments.environments}
    return bool(environment) and environment.strip().lower() in wanted


def split_labels(labels: str | None) -> list[str]:
    """The `;`-separated labels of an issue, trimmed."""
    return [x.strip() for x in (labels or "").split(";") if x.strip()]


def issue_classes(config: Config, issue_type: str | None, labels: str | None) -> dict[str, bool]:
    """is_bug, is_incident and is_escaped for an issue (types and labels compared case-insensitively)."""
    kind = (issue_type or "").strip().lower()
    is_bug = kind in {t.lower() for t in config.jira.bug_types}
    escaped = {x.lower() for x in config.jira.escaped_labels}
    return {
        "is_bug": is_bug,
        "is_incident": kind in {t.lower() for t in config.jira.incident_types},
        "is_escaped": is_bug and any(x.lower() in escaped for x in split_labels(labels)),
    }
