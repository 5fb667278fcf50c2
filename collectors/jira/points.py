"""Story points: which field holds them on a site, and sprint points rebuilt from changelogs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from collectors.jira.normalise import Statuses, field_changes, is_status, parse_time, points_value, sprint_refs

# Field names Jira gives the story-point field: company-managed, then team-managed projects.
POINT_NAMES = ("story points", "story point estimate")
# The custom-field type of the field Jira Software itself manages; preferred when names are ambiguous.
JSW_POINTS = "com.pyxis.greenhopper.jira:jsw-story-points"
SPRINT_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"


@dataclass(frozen=True)
class PointsField:
    """The story-point field chosen for a site or a board, how it was found, and rivals by name."""

    field_id: str | None
    how: str
    rivals: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: the field and how it was chosen (and the other candidates, if any)."""
        text = f"{self.field_id} ({self.how})" if self.field_id else f"none ({self.how})"
        return text + (f"; other fields with that name: {', '.join(self.rivals)}" if self.rivals else "")


def estimation_field(board_configuration: dict | None) -> str | None:
    """The custom field a board estimates with (`estimation.field.fieldId`), if it is one."""
    field = ((board_configuration or {}).get("estimation") or {}).get("field") or {}
    field_id = field.get("fieldId")
    return field_id if field_id and field_id.startswith("customfield_") else None


def by_name(fields: Iterable[dict]) -> PointsField:
    """The field named "Story Points" (else "Story point estimate") in a `/field` list.

    Several fields with the name: the one of Jira Software's own story-point type, else the one
    with the lowest id (the oldest); the others are named so the user can override.
    """
    fields = list(fields)
    for name in POINT_NAMES:
        found = [f for f in fields if (f.get("name") or "").strip().lower() == name and f.get("id")]
        if found:
            found.sort(key=lambda f: ((f.get("schema") or {}).get("custom") != JSW_POINTS, _number(f["id"])))
            return PointsField(found[0]["id"], f"field list: '{found[0]['name']}'",
                               tuple(f["id"] for f in found[1:]))
    return PointsField(None, "no board estimation, sprint report or field named Story Points")


def _number(field_id: str) -> int:
    digits = "".join(c for c in field_id if c.isdigit())
    return int(digits) if digits else 0


def choose(override: str, boards: dict[str, str | None], reports: dict[str, str | None],
           fields: list[dict]) -> PointsField:
    """The site's story-point field: the config, else the boards' estimation, else reports, else by name."""
    known = {f.get("id") for f in fields}
    if override and override != "auto":
        return PointsField(override, "config jira.story_points_field" +
                           ("" if override in known or not fields else ", NOT in the site's field list"))
    for found, what in ((boards, "estimation field of board"), (reports, "sprint report statFieldId of board")):
        counts = Counter(f for f in found.values() if f)
        if counts:
            field_id = counts.most_common(1)[0][0]
            which = ", ".join(b for b, f in found.items() if f == field_id)
            rivals = tuple(sorted(set(counts) - {field_id}))
            return PointsField(field_id, f"{what} {which}", rivals)
    return by_name(fields)


def sprint_field(fields: Iterable[dict]) -> str | None:
    """The id of the Sprint custom field in a `/field` list."""
    for f in fields:
        if (f.get("schema") or {}).get("custom") == SPRINT_TYPE:
            return f.get("id")
    return None


def field_names(fields: Iterable[dict], field_id: str | None) -> set[str]:
    """The id and display name(s) of FIELD_ID, lower-cased, as changelog items name it."""
    names = {f.get("name", "").lower() for f in fields if f.get("id") == field_id}
    return ({field_id.lower()} | names) if field_id else set()


def _value_at(changes: list[tuple[dt.datetime, dict]], when: dt.datetime, current, key: str):
    """The value at WHEN: the `from` side of the first change after WHEN, else the current value."""
    for at, item in changes:
        if at > when:
            return item.get(key)
    return current


def _ids(text) -> set[str]:
    return {x.strip() for x in str(text or "").split(",") if x.strip()}


def _named(names: set[str]):
    """A changelog-item test: the item changes a field with one of NAMES (id or display name)."""
    return lambda item: (item.get("fieldId") or "").lower() in names or (item.get("field") or "").lower() in names


def _in_sprint(moves: list, when: dt.datetime, sprint_id: str, members_now: set[str]) -> bool:
    """Whether the issue was in the sprint at WHEN, undoing the Sprint changes made after it."""
    after = next((item for at, item in moves if at > when), None)
    return sprint_id in (_ids(after.get("from")) if after else members_now)


def rebuilt_points(sprint: dict, issues: Iterable[dict], points_names: set[str], sprint_names: set[str],
                   points_field: str | None, sprint_field_id: str | None, statuses: Statuses,
                   now: dt.datetime) -> tuple[float, float]:
    """(committed, completed) of SPRINT rebuilt from its issues' changelogs.

    Committed: points at the sprint's start of the issues in the sprint at its start; completed:
    points at its end (completion, else now) of the issues in it then whose status was done.
    Issues removed from the sprint before it ended are only counted if the search returned them.
    """
    sprint_id = str(sprint["id"])
    start = parse_time(sprint.get("startDate"))
    end = parse_time(sprint.get("completeDate")) or min(now, parse_time(sprint.get("endDate")) or now)
    committed = completed = 0.0
    if start is None:
        return committed, completed
    for issue in issues:
        fields = issue.get("fields") or {}
        histories = (issue.get("changelog") or {}).get("histories") or []
        moves = list(field_changes(histories, _named(sprint_names)))
        estimates = list(field_changes(histories, _named(points_names)))
        steps = list(field_changes(histories, is_status))
        members = {r[0] for r in sprint_refs(fields.get(sprint_field_id))} if sprint_field_id else set()
        points_now = fields.get(points_field) if points_field else None
        status = fields.get("status") or {}
        if _in_sprint(moves, start, sprint_id, members):
            committed += points_value(_value_at(estimates, start, points_now, "fromString")) or 0.0
        done = statuses.category(_value_at(steps, end, status.get("id"), "from"),
                                 _value_at(steps, end, status.get("name"), "fromString")) == "done"
        if done and _in_sprint(moves, end, sprint_id, members):
            completed += points_value(_value_at(estimates, end, points_now, "fromString")) or 0.0
    return committed, completed
