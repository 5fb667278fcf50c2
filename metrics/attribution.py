"""Team attribution by date, in one place: every activity row gets its team, the team's time zone and local days."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.periods import day_start_utc, local_day

UNASSIGNED = "unassigned"
FAR_FUTURE = pd.Timestamp("2262-04-01", tz="UTC")


@dataclass(frozen=True, eq=False)
class Facts:
    """The activity attributed to teams: one frame per grain, each with team, tz and local-day columns.

    Compared and hashed by identity, so derived tables can be cached per Facts.
    """

    teams: pd.DataFrame        # team_id, name, sourcing_model, vendor, location, timezone, started_on (+ unassigned)
    prs: pd.DataFrame          # one row per PR: team, tz, repo, author, size, merged_day, is_revert, ...
    activity: pd.DataFrame     # one row per non-author, non-bot review or comment up to merge
    deploys: pd.DataFrame      # one row per successful production deployment: team, tz, finished_at, day
    issues: pd.DataFrame       # one row per issue: team, tz, first_resolved_at, created_day, resolved_day, ...
    transitions: pd.DataFrame  # issue transitions with the issue's team, tz and local day
    sprints: pd.DataFrame      # one row per sprint: team, tz, completed_day, points
    memberships: pd.DataFrame  # roster stretches: team, person_id, joined_on, left_on, seniority
    people_events: pd.DataFrame  # person_id, team (their team at the time), day: any contribution
    owned_repos: pd.DataFrame  # repo (lower-cased), team


def _bool(series: pd.Series) -> pd.Series:
    return series.astype("boolean").fillna(False).astype(bool)


def team_table(teams: pd.DataFrame) -> pd.DataFrame:
    """The roster's teams plus the pseudo-team `unassigned` (UTC)."""
    extra = pd.DataFrame([{"team_id": UNASSIGNED, "name": "Unassigned", "sourcing_model": None, "vendor": None,
                           "location": None, "timezone": "UTC", "started_on": pd.NaT}])
    frame = pd.concat([teams, extra], ignore_index=True) if len(teams) else extra
    frame["timezone"] = frame["timezone"].fillna("UTC")
    frame["started_on"] = pd.to_datetime(frame["started_on"])
    return frame


class Roster:
    """Who is on which team when: logins and Jira accounts to people, people to teams by instant."""

    def __init__(self, frames, zones: pd.Series):
        ids = frames.identities
        self.github = pd.Series(ids.loc[ids["source"] == "github", "person_id"].to_numpy(),
                                index=ids.loc[ids["source"] == "github", "identity"].to_numpy())
        self.jira = pd.Series(ids.loc[ids["source"] == "jira", "person_id"].to_numpy(),
                              index=ids.loc[ids["source"] == "jira", "identity"].to_numpy())
        m = frames.memberships.rename(columns={"team_id": "team"}).copy()
        m["joined_on"] = pd.to_datetime(m["joined_on"])
        m["left_on"] = pd.to_datetime(m["left_on"])
        tz = m["team"].map(zones).fillna("UTC")
        m["from_utc"] = day_start_utc(m["joined_on"], tz)
        m["to_utc"] = day_start_utc(m["left_on"], tz).fillna(FAR_FUTURE)
        self.memberships = m

    def person_of_login(self, logins: pd.Series) -> pd.Series:
        """The person of each GitHub login (compared lower-cased), else null."""
        return logins.str.lower().map(self.github)

    def person_of_jira(self, accounts: pd.Series) -> pd.Series:
        """The person of each Jira account, else null."""
        return accounts.map(self.jira)

    def team_on(self, persons: pd.Series, instants: pd.Series) -> pd.Series:
        """Each person's team at each instant (membership joined_on..left_on-1 in the team's zone), else null."""
        out = pd.Series(None, index=persons.index, dtype=object)
        known = persons.notna() & instants.notna()
        if not known.any() or self.memberships.empty:
            return out
        probe = pd.DataFrame({"row": np.flatnonzero(known.to_numpy()), "person_id": persons[known].to_numpy(),
                              "at": instants[known].to_numpy()})
        hits = probe.merge(self.memberships[["person_id", "team", "from_utc", "to_utc"]], on="person_id")
        hits = hits[(hits["at"] >= hits["from_utc"]) & (hits["at"] < hits["to_utc"])].drop_duplicates("row")
        values = out.to_numpy()
        values[hits["row"].to_numpy()] = hits["team"].to_numpy()
        return pd.Series(values, index=persons.index, dtype=object)


def _with_zone(frame: pd.DataFrame, zones: pd.Series) -> pd.DataFrame:
    frame["team"] = frame["team"].astype(object).fillna(UNASSIGNED)
    frame["tz"] = frame["team"].map(zones).fillna("UTC")
    return frame


def attribute_prs(frames, roster: Roster, zones: pd.Series) -> pd.DataFrame:
    """PRs with the author's team on created_at (bots and unknown people: unassigned) and local days."""
    p = frames.pull_requests
    prs = pd.DataFrame({
        "pr_id": p["pr_id"], "repo": p["repo"].str.lower(), "number": p["number"], "title": p["title"],
        "url": p["url"], "author": p["author"].str.lower(), "author_is_bot": _bool(p["author_is_bot"]),
        "created_at": p["created_at"], "ready_at": p["ready_at"].fillna(p["created_at"]),
        "first_commit_at": p["first_commit_at"], "merged_at": p["merged_at"],
    })
    size = p["additions"].astype("float64").fillna(0) + p["deletions"].astype("float64").fillna(0)
    prs["size"] = size.where(p["additions"].notna() | p["deletions"].notna())
    person = roster.person_of_login(p["author"]).where(~prs["author_is_bot"])
    prs["person_id"] = person
    prs["team"] = roster.team_on(person, p["created_at"])
    prs = _with_zone(prs, zones)
    prs["merged_day"] = local_day(prs["merged_at"], prs["tz"])
    prs["is_revert"] = p["title"].fillna("").str.startswith('Revert "').to_numpy()
    return prs


def attribute_activity(frames, prs: pd.DataFrame, roster: Roster) -> pd.DataFrame:
    """Non-author, non-bot reviews and comments up to the PR's merge, with the reviewer's team on created_at."""
    r, c = frames.reviews, frames.review_comments
    events = pd.concat([
        pd.DataFrame({"pr_id": r["pr_id"], "who": r["reviewer"], "at": r["submitted_at"], "kind": "review",
                      "state": r["state"], "body": r["body"], "bot": _bool(r["reviewer_is_bot"]),
                      "topics": r["topics"]}),
        pd.DataFrame({"pr_id": c["pr_id"], "who": c["author"], "at": c["created_at"], "kind": "comment",
                      "state": None, "body": c["body"], "bot": _bool(c["author_is_bot"]), "topics": c["topics"]}),
    ], ignore_index=True)
    events["who"] = events["who"].str.lower()
    pr_side = prs[["pr_id", "author", "created_at", "merged_at", "ready_at", "team"]]
    events = events.merge(pr_side, on="pr_id", how="inner")
    keep = ~events["bot"] & events["who"].notna() & (events["who"] != events["author"].fillna(""))
    keep &= events["merged_at"].isna() | (events["at"] <= events["merged_at"])
    events = events[keep.to_numpy()].reset_index(drop=True)
    body = events.pop("body")
    filled = (body.notna() & (body != "")).to_numpy()
    filled[filled] = ~body[filled].str.isspace().to_numpy(dtype=bool)
    events["has_body"] = filled
    events["person_id"] = roster.person_of_login(events["who"])
    events["reviewer_team"] = roster.team_on(events["person_id"], events["created_at"])
    return events.drop(columns=["bot", "author"])


def attribute_deploys(frames, owned: pd.Series, zones: pd.Series) -> pd.DataFrame:
    """Successful production deployments with the team owning their repo and the local day they finished."""
    d = frames.deployments
    ok = (d["status"].str.lower() == "success") & _bool(d["is_production"]) & d["finished_at"].notna()
    deploys = pd.DataFrame({"deployment_id": d.loc[ok, "deployment_id"], "repo": d.loc[ok, "repo"].str.lower(),
                            "finished_at": d.loc[ok, "finished_at"]}).reset_index(drop=True)
    deploys["team"] = deploys["repo"].map(owned)
    deploys = _with_zone(deploys, zones)
    deploys["day"] = local_day(deploys["finished_at"], deploys["tz"])
    return deploys


def first_resolution(issues: pd.DataFrame, transitions: pd.DataFrame) -> pd.Series:
    """First transition into the done category, else resolved_at."""
    into_done = transitions[transitions["to_category"] == "done"].groupby("issue_key")["at"].min()
    return issues["issue_key"].map(into_done).fillna(issues["resolved_at"])


def attribute_issues(frames, roster: Roster, zones: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Issues with the owning project's team (else the assignee's on created_at), first resolution, local days."""
    i = frames.issues
    owner = frames.team_jira_projects.set_index("project")["team_id"]
    issues = i[["issue_key", "project", "issue_type", "priority", "status", "created_at", "resolved_at",
                "assignee"]].copy()
    for flag in ("is_bug", "is_incident", "is_escaped"):
        issues[flag] = _bool(i[flag])
    issues["assignee_person"] = roster.person_of_jira(i["assignee"])
    by_assignee = roster.team_on(issues["assignee_person"], i["created_at"])
    issues["team"] = i["project"].map(owner).fillna(by_assignee)
    issues = _with_zone(issues, zones)
    trans = frames.issue_transitions[["issue_key", "at", "from_category", "to_category"]]
    issues["first_resolved_at"] = first_resolution(issues, trans)
    issues["created_day"] = local_day(issues["created_at"], issues["tz"])
    issues["resolved_day"] = local_day(issues["first_resolved_at"], issues["tz"])
    trans = trans.merge(issues[["issue_key", "team", "tz", "first_resolved_at"]], on="issue_key", how="inner")
    trans["day"] = local_day(trans["at"], trans["tz"])
    return issues, trans


def attribute_sprints(frames, zones: pd.Series) -> pd.DataFrame:
    """Sprints with the team owning their board and the local day they completed."""
    s = frames.sprints
    owner = frames.team_boards.set_index("board_id")["team_id"]
    sprints = s[["sprint_id", "board_id", "name", "completed_at", "committed_points", "completed_points"]].copy()
    sprints["team"] = s["board_id"].astype(str).map(owner)
    sprints = _with_zone(sprints, zones)
    sprints["completed_day"] = local_day(sprints["completed_at"], sprints["tz"])
    return sprints


def people_events(prs: pd.DataFrame, activity: pd.DataFrame, issues: pd.DataFrame, roster: Roster,
                  zones: pd.Series) -> pd.DataFrame:
    """Every contribution of a roster person (authored PR, review, comment, resolved assigned issue), with the
    team they were on at that moment and the local day in that team's zone."""
    parts = [
        pd.DataFrame({"person_id": prs["person_id"], "at": prs["created_at"]}),
        pd.DataFrame({"person_id": activity["person_id"], "at": activity["at"]}),
        pd.DataFrame({"person_id": issues["assignee_person"], "at": issues["first_resolved_at"]}),
    ]
    events = pd.concat(parts, ignore_index=True).dropna()
    events["person_id"] = events["person_id"].astype(object)
    events["team"] = roster.team_on(events["person_id"], events["at"])
    events = events.dropna(subset=["team"]).reset_index(drop=True)
    events["day"] = local_day(events["at"], events["team"].map(zones).fillna("UTC"))
    return events[["person_id", "team", "day"]].drop_duplicates(ignore_index=True)


def attribute(frames) -> Facts:
    """Attribute all of FRAMES' activity to teams (metrics.md "Attribution")."""
    teams = team_table(frames.teams)
    zones = teams.set_index("team_id")["timezone"]
    roster = Roster(frames, zones)
    owned = frames.team_repos.assign(repo=frames.team_repos["repo"].str.lower()).set_index("repo")["team_id"]
    prs = attribute_prs(frames, roster, zones)
    activity = attribute_activity(frames, prs, roster)
    issues, transitions = attribute_issues(frames, roster, zones)
    memberships = roster.memberships[["team", "person_id", "joined_on", "left_on", "seniority"]]
    return Facts(
        teams=teams, prs=prs, activity=activity, deploys=attribute_deploys(frames, owned, zones),
        issues=issues, transitions=transitions, sprints=attribute_sprints(frames, zones),
        memberships=memberships, people_events=people_events(prs, activity, issues, roster, zones),
        owned_repos=owned.rename("team").rename_axis("repo").reset_index(),
    )
