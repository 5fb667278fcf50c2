"""The roster as a source: teams.yaml → teams, people, identities, memberships, ownership, settings."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from collectors.config import Config
from store import replace, writing
from store.schema import ROSTER_TABLES


def roster_rows(config: Config) -> dict[str, list[dict]]:
    """Every roster table's rows for CONFIG, with deterministic keys."""
    rows: dict[str, list[dict]] = {name: [] for name in ROSTER_TABLES}
    people: dict[str, dict] = {}
    identities: dict[tuple[str, str], str] = {}
    for team in config.teams:
        rows["teams"].append({
            "team_id": team.id, "name": team.name, "sourcing_model": team.sourcing_model,
            "vendor": team.vendor, "location": team.location, "timezone": team.timezone,
            "started_on": team.started_on,
        })
        rows["team_repos"] += [{"repo": repo, "team_id": team.id} for repo in team.repos]
        rows["team_jira_projects"] += [{"project": p, "team_id": team.id} for p in team.jira_projects]
        rows["team_boards"] += [{"board_id": b, "team_id": team.id} for b in team.jira_boards]
        for m in team.members:
            pid = m.person_id
            people[pid] = {"person_id": pid, "name": m.name, "email": m.email}
            for source, ident in (("github", m.github), ("jira", m.jira), ("email", m.email)):
                if ident:
                    identities[(source, ident.lower() if source != "jira" else ident)] = pid
            rows["memberships"].append({
                "team_id": team.id, "person_id": pid, "joined_on": m.joined_on,
                "left_on": m.left_on, "seniority": m.seniority,
            })
    grants = [(p, "*") for p in config.access.leadership]
    grants += [(p, team) for team, who in config.access.teams for p in who]
    rows["access_rules"] = [{"principal": p, "team_id": t} for p, t in dict.fromkeys(grants)]
    rows["people"] = list(people.values())
    rows["identities"] = [{"source": s, "identity": i, "person_id": p} for (s, i), p in identities.items()]
    return rows


def policy_rows(config: Config) -> list[dict]:
    """The settings the metrics need, as key/value rows (values JSON-encoded)."""
    p, j = config.policy, config.jira
    values = {
        "incident_window_days": p.incident_window_days,
        "rubber_stamp_min_lines": p.rubber_stamp_min_lines,
        "bots": list(p.bots),
        "bug_types": list(j.bug_types),
        "incident_types": list(j.incident_types),
        "escaped_labels": list(j.escaped_labels),
        "deployment_environments": list(config.github.deployments.environments),
        "jira_url": j.url,  # the metrics' links to issues (Policy.jira_url); null without Jira
    }
    return [{"key": k, "value": json.dumps(v)} for k, v in values.items()]


def sync_roster(engine: Engine, config: Config) -> int:
    """Replace the roster and settings by CONFIG's, in one transaction; return rows written."""
    rows = roster_rows(config)
    with writing(engine) as conn, conn.begin():
        written = sum(replace(conn, name, rows[name]) for name in ROSTER_TABLES)
        written += replace(conn, "settings", policy_rows(config))
    return written
