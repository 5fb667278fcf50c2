"""Pure reshaping of raw Jira payloads into issues, issue_transitions and sprints rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from collectors.classify import issue_classes
from collectors.config import Config

# Jira's status category keys → the categories of data.md.
CATEGORIES = {"new": "todo", "indeterminate": "in_progress", "done": "done"}
# Server/Data Center serialises the Sprint field as text: "...Sprint@1a2b[id=7,rapidViewId=8,state=CLOSED,...]".
_SPRINT_TEXT = re.compile(r"\bid=(\d+).*?\bstate=(\w+)", re.IGNORECASE)
_STATE_RANK = {"active": 3, "future": 2, "closed": 1}


@dataclass(frozen=True)
class Statuses:
    """Jira's own status list: the category of each status, by id and by name."""

    by_id: dict[str, str]
    by_name: dict[str, str]

    def category(self, status_id: str | None, name: str | None) -> str | None:
        """The category (todo, in_progress, done) of a status, by id first, then by name."""
        if status_id is not None and str(status_id) in self.by_id:
            return self.by_id[str(status_id)]
        return self.by_name.get((name or "").strip().lower())


def status_categories(raw_statuses: Iterable[dict]) -> Statuses:
    """Statuses from `GET /rest/api/2/status` (statusCategory.key new/indeterminate/done)."""
    by_id, by_name = {}, {}
    for status in raw_statuses:
        category = CATEGORIES.get(((status.get("statusCategory") or {}).get("key") or "").lower())
        if category is None:
            continue
        by_id[str(status.get("id"))] = category
        by_name[(status.get("name") or "").strip().lower()] = category
    return Statuses(by_id, by_name)


def parse_time(text: str | None) -> dt.datetime | None:
    """A Jira timestamp ("2020-06-12T08:13:13.360+0800" or "...Z") as an aware UTC datetime."""
    if not text:
        return None
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def points_value(value) -> float | None:
    """A story-point value as a float; None when empty, not a number or negative (Jira's "-1")."""
    if isinstance(value, dict):  # the sprint report's {"value": 3.0, "text": "3.0"}
        value = value.get("value")
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 and number == number else None


def sprint_refs(value) -> list[tuple[str, str]]:
    """(sprint id, state) of each sprint in a Sprint field value (Cloud objects or Server text)."""
    refs = []
    for item in value or []:
        if isinstance(item, dict) and item.get("id") is not None:
            refs.append((str(item["id"]), str(item.get("state") or "").lower()))
        elif isinstance(item, str) and (match := _SPRINT_TEXT.search(item)):
            refs.append((match.group(1), match.group(2).lower()))
    return refs


def current_sprint(fields: dict, sprint_field: str | None) -> str | None:
    """The issue's sprint: an active one, else a future one, else the latest closed one."""
    refs = sprint_refs(fields.get(sprint_field)) if sprint_field else []
    if not refs:  # the agile API's own keys, when the Sprint field was not asked for
        agile = [fields["sprint"]] if fields.get("sprint") else []
        refs = sprint_refs(agile) + sprint_refs(fields.get("closedSprints"))
    if not refs:
        return None
    return max(refs, key=lambda r: (_STATE_RANK.get(r[1], 0), int(r[0]) if r[0].isdigit() else 0))[0]


def _name(value: dict | None, *keys: str) -> str | None:
    for key in keys:
        if value and value.get(key):
            return str(value[key])
    return None


def issue_row(raw: dict, config: Config, statuses: Statuses, points_field: str | None,
              sprint_field: str | None) -> dict:
    """One `issues` row from a search result, classified with the config's policy."""
    fields = raw.get("fields") or {}
    status = fields.get("status") or {}
    labels = ";".join(str(x) for x in fields.get("labels") or [])
    issue_type = _name(fields.get("issuetype"), "name")
    inline = CATEGORIES.get(((status.get("statusCategory") or {}).get("key") or "").lower())
    row = {
        "issue_key": raw["key"],
        "project": _name(fields.get("project"), "key") or raw["key"].rsplit("-", 1)[0],
        "issue_type": issue_type,
        "priority": _name(fields.get("priority"), "name"),
        "status": status.get("name"),
        "status_category": statuses.category(status.get("id"), status.get("name")) or inline,
        "created_at": parse_time(fields.get("created")),
        "resolved_at": parse_time(fields.get("resolutiondate")),
        "assignee": _name(fields.get("assignee"), "accountId", "name", "key"),
        "story_points": points_value(fields.get(points_field)) if points_field else None,
        "labels": labels or None,
        "sprint_id": current_sprint(fields, sprint_field),
        "updated_at": parse_time(fields.get("updated")),
    }
    row.update(issue_classes(config, issue_type, labels))
    return row


def field_changes(histories: Iterable[dict], wanted) -> Iterator[tuple[dt.datetime, dict]]:
    """(time, item) of every changelog item for which WANTED(item) is true, oldest first."""
    changes = []
    for history in histories:
        at = parse_time(history.get("created"))
        if at is None:
            continue
        changes += [(at, item) for item in history.get("items") or [] if wanted(item)]
    changes.sort(key=lambda c: c[0])
    return iter(changes)


def is_status(item: dict) -> bool:
    """True for a changelog item that changes the status."""
    return (item.get("fieldId") or item.get("field") or "").lower() == "status"


def transition_rows(issue_key: str, histories: Iterable[dict], statuses: Statuses) -> list[dict]:
    """One `issue_transitions` row per status change in the changelog, keyed deterministically."""
    rows = {}
    for at, item in field_changes(histories, is_status):
        row = {
            "issue_key": issue_key, "at": at,
            "from_status": item.get("fromString") or "", "to_status": item.get("toString") or "",
            "from_category": statuses.category(item.get("from"), item.get("fromString")),
            "to_category": statuses.category(item.get("to"), item.get("toString")),
        }
        rows[(issue_key, at, row["from_status"], row["to_status"])] = row
    return list(rows.values())


def report_points(report: dict) -> tuple[float, float, str | None]:
    """(committed, completed, statFieldId) of a greenhopper sprint report.

    Committed: estimateStatistic (the estimate when the sprint started) summed over every issue of
    the report that was not added during the sprint; completed: completedIssuesEstimateSum.
    """
    contents = report.get("contents") or {}
    added = contents.get("issueKeysAddedDuringSprint") or {}
    committed, stat_field = 0.0, None
    for bucket in ("completedIssues", "issuesNotCompletedInCurrentSprint", "puntedIssues",
                   "issuesCompletedInAnotherSprint"):
        for issue in contents.get(bucket) or []:
            statistic = issue.get("estimateStatistic") or {}
            stat_field = stat_field or statistic.get("statFieldId")
            if issue.get("key") not in added:
                committed += points_value(statistic.get("statFieldValue")) or 0.0
    completed = points_value(contents.get("completedIssuesEstimateSum")) or 0.0
    return committed, completed, stat_field


def sprint_row(raw: dict, board_id: str, points: tuple[float | None, float | None, str | None]) -> dict:
    """One `sprints` row from an agile sprint payload and its (committed, completed, source)."""
    committed, completed, source = points
    return {
        "sprint_id": str(raw["id"]), "board_id": board_id, "name": raw.get("name"),
        "state": (raw.get("state") or "").lower() or None,
        "start_at": parse_time(raw.get("startDate")), "end_at": parse_time(raw.get("endDate")),
        "completed_at": parse_time(raw.get("completeDate")),
        "committed_points": committed, "completed_points": completed, "points_source": source,
    }
