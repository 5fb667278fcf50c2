"""Team attribution by date, in one place: every activity row gets its team, the team's time zone and local days."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from collectors.review_topics import DIMENSIONS
from metrics.periods import DAY_BITS, day_numbers, day_start_utc, local_day, utc_from_ns

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
    whole: Facts | None = None  # the unscoped facts this was cut from (see only)

    @property
    def root(self) -> Facts:
        """The facts of every team (what lead time and change failure look across)."""
        return self.whole or self

    def only(self, teams: list[str]) -> Facts:
        """These facts cut down to TEAMS' rows (each frame by its team; teams and roster stay whole)."""
        cut = {name: frame[frame["team"].isin(teams)] for name, frame in self.__dict__.items()
               if isinstance(frame, pd.DataFrame) and "team" in frame}
        return replace(self, **cut, whole=self.root)


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


def epoch_seconds(instants: pd.Series) -> np.ndarray:
    """UTC instants as whole seconds since 1970 (floored; NaT becomes a huge negative number)."""
    return pd.DatetimeIndex(instants).asi8 // 1_000_000_000


class Roster:
    """Who is on which team when: logins and Jira accounts to person codes, person codes to teams by instant."""

    KEY = 10**10  # person code * KEY + epoch seconds sorts stretches by person, then start

    def __init__(self, frames, zones: pd.Series):
        m = frames.memberships.rename(columns={"team_id": "team"}).copy()
        m["joined_on"] = pd.to_datetime(m["joined_on"])
        m["left_on"] = pd.to_datetime(m["left_on"])
        tz = m["team"].map(zones).fillna("UTC")
        m["from_utc"] = day_start_utc(m["joined_on"], tz)
        m["to_utc"] = day_start_utc(m["left_on"], tz).fillna(FAR_FUTURE)
        self.memberships = m
        self.people = pd.Index(m["person_id"].unique())
        ids = frames.identities
        self._ids = {source: (pd.Index(ids.loc[ids["source"] == source, "identity"]),
                              self.people.get_indexer(ids.loc[ids["source"] == source, "person_id"]))
                     for source in ("github", "jira")}
        code = self.people.get_indexer(m["person_id"])
        keys = code * self.KEY + epoch_seconds(m["from_utc"])
        order = np.argsort(keys, kind="stable")
        self._keys, self._code = keys[order], code[order]
        self._until = epoch_seconds(m["to_utc"])[order]
        self._team = m["team"].to_numpy(dtype=object)[order]

    def code_of(self, source: str, identities: pd.Series) -> np.ndarray:
        """The person code of each identity of SOURCE (github logins already lower-cased), -1 when unknown."""
        index, codes = self._ids[source]
        pos = index.get_indexer(identities)
        return np.where(pos >= 0, codes[pos.clip(0)] if len(codes) else -1, -1)

    def stretch_team(self, stretches: np.ndarray) -> np.ndarray:
        """The team of each membership stretch row."""
        return self._team[stretches]

    def person_ids(self, codes: np.ndarray) -> np.ndarray:
        """The person id of each code (None for -1)."""
        ids = np.append(self.people.to_numpy(dtype=object), None)
        return ids[np.where(codes >= 0, codes, len(ids) - 1)]

    def stretch_on(self, codes: np.ndarray, instants: pd.Series) -> np.ndarray:
        """The membership stretch (row of the sorted roster) covering each person at each instant, else -1."""
        if not len(self._keys) or not len(codes):
            return np.full(len(codes), -1)
        seconds = epoch_seconds(instants)
        pos = np.searchsorted(self._keys, codes * self.KEY + seconds, side="right") - 1
        safe = pos.clip(0)
        hit = (codes >= 0) & pd.notna(instants).to_numpy() & (pos >= 0) & (self._code[safe] == codes) \
            & (seconds < self._until[safe])
        return np.where(hit, safe, -1)

    def team_on(self, codes: np.ndarray, instants: pd.Series) -> np.ndarray:
        """Each person's team at each instant (membership joined_on..left_on-1 in the team's zone), else None."""
        return np.append(self._team, None)[self.stretch_on(codes, instants)]


def _with_zone(frame: pd.DataFrame, zones: pd.Series) -> pd.DataFrame:
    frame["team"] = frame["team"].astype(object).fillna(UNASSIGNED)
    frame["tz"] = frame["team"].map(zones).fillna("UTC")
    return frame


def lower(texts: pd.Series) -> pd.Series:
    """TEXTS lower-cased, computed once per distinct value (logins and repos repeat a lot)."""
    codes, uniques = pd.factorize(texts)
    lowered = np.append(pd.Series(uniques, dtype=object).str.lower().to_numpy(dtype=object), None)
    return pd.Series(lowered[codes], index=texts.index, dtype=object)  # code -1 (null) picks the None


def has_text(bodies: pd.Series) -> np.ndarray:
    """True where a body is neither null, empty nor whitespace only."""
    filled = (bodies.notna() & (bodies != "")).to_numpy()
    filled[filled] = ~bodies[filled].str.isspace().to_numpy(dtype=bool)
    return filled


def topic_flags(cells: pd.Series) -> dict[str, np.ndarray]:
    """One boolean array per review dimension from `;`-joined topics cells (each distinct cell parsed once)."""
    codes, uniques = pd.factorize(cells)
    parsed = [set(u.split(";")) for u in uniques]
    return {dim: np.append(np.array([dim in p for p in parsed], dtype=bool), False)[codes] for dim in DIMENSIONS}


def attribute_prs(frames, roster: Roster, zones: pd.Series) -> pd.DataFrame:
    """PRs with the author's team on created_at (bots and unknown people: unassigned) and local days."""
    p = frames.pull_requests
    bot = _bool(p["author_is_bot"])
    author = lower(p["author"])
    person = np.where(bot.to_numpy(), -1, roster.code_of("github", author))
    size = p["additions"].astype("float64").fillna(0) + p["deletions"].astype("float64").fillna(0)
    prs = pd.DataFrame({
        "pr_id": p["pr_id"], "repo": lower(p["repo"]), "author": author, "author_is_bot": bot,
        "created_at": p["created_at"], "ready_at": p["ready_at"].fillna(p["created_at"]),
        "first_commit_at": p["first_commit_at"], "merged_at": p["merged_at"],
        "size": size.where(p["additions"].notna() | p["deletions"].notna()), "person_code": person,
        "team": roster.team_on(person, p["created_at"]),
        "is_revert": p["title"].fillna("").str.startswith('Revert "').to_numpy(),
    }).reset_index(drop=True)
    prs = _with_zone(prs, zones)
    prs["merged_day"] = local_day(prs["merged_at"], prs["tz"])
    return prs


def _events(frame: pd.DataFrame, who: str, at: str, bot: str, approvals: bool) -> dict[str, np.ndarray]:
    """The columns of one source of review activity (reviews or comments) as arrays."""
    body = has_text(frame["body"])
    out = {"pr_id": frame["pr_id"].to_numpy(dtype=object), "who": lower(frame[who]).to_numpy(dtype=object),
           "at": pd.DatetimeIndex(frame[at]).asi8, "bot": _bool(frame[bot]).to_numpy(), "has_body": body,
           "approved_empty": ((frame["state"] == "APPROVED").to_numpy() & ~body) if approvals
           else np.zeros(len(frame), dtype=bool)}
    return out | {f"topic_{d}": flags for d, flags in topic_flags(frame["topics"]).items()}


def attribute_activity(frames, prs: pd.DataFrame, roster: Roster) -> pd.DataFrame:
    """Non-author, non-bot reviews and comments up to the PR's merge (pr_row: the PR's row in PRS), with the
    reviewer's team on the PR's created_at."""
    parts = [_events(frames.reviews, "reviewer", "submitted_at", "reviewer_is_bot", True),
             _events(frames.review_comments, "author", "created_at", "author_is_bot", False)]
    cols = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    row = pd.Index(prs["pr_id"]).get_indexer(cols.pop("pr_id"))
    safe = row.clip(0)
    merged = pd.DatetimeIndex(prs["merged_at"]).asi8[safe]
    keep = (row >= 0) & ~cols.pop("bot") & pd.notna(cols["who"])
    keep &= cols["who"] != prs["author"].fillna("").to_numpy(dtype=object)[safe]
    keep &= prs["merged_at"].isna().to_numpy()[safe] | (cols["at"] <= merged)
    events = pd.DataFrame({"pr_row": row[keep], **{k: v[keep] for k, v in cols.items()}})
    events["at"] = utc_from_ns(events["at"].to_numpy())
    events["team"] = prs["team"].to_numpy(dtype=object)[events["pr_row"].to_numpy()]
    who_codes, who_names = pd.factorize(events["who"])
    events["person_code"] = np.append(roster.code_of("github", pd.Series(who_names)), -1)[who_codes]
    created = prs["created_at"].take(events["pr_row"].to_numpy()).reset_index(drop=True)
    events["reviewer_team"] = roster.team_on(events["person_code"].to_numpy(), created)
    return events


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
    issues["assignee_code"] = roster.code_of("jira", i["assignee"])
    by_assignee = pd.Series(roster.team_on(issues["assignee_code"].to_numpy(), i["created_at"]), index=i.index)
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
    """Every day a roster person contributed (authored a PR, reviewed, commented, resolved an assigned issue),
    once per person, team (the one they were on at that moment) and local day of that team."""
    codes = np.concatenate([prs["person_code"].to_numpy(), activity["person_code"].to_numpy(),
                            issues["assignee_code"].to_numpy()])
    instants = np.concatenate([pd.DatetimeIndex(prs["created_at"]).asi8, pd.DatetimeIndex(activity["at"]).asi8,
                               pd.DatetimeIndex(issues["first_resolved_at"]).asi8])
    known = (codes >= 0) & (instants != np.iinfo("int64").min)
    codes, at = codes[known], utc_from_ns(instants[known])
    stretch = roster.stretch_on(codes, at)
    on_team = stretch >= 0
    codes, stretch, at = codes[on_team], stretch[on_team], at[on_team].reset_index(drop=True)
    team = pd.Series(roster.stretch_team(stretch), dtype=object)
    day = local_day(at, team.map(zones).fillna("UTC"))
    key = (stretch.astype("int64") * DAY_BITS) + day_numbers(day)  # a stretch is one person on one team
    first = np.flatnonzero(~pd.Series(key).duplicated().to_numpy())
    return pd.DataFrame({"person_id": roster.person_ids(codes[first]), "team": team.to_numpy()[first],
                         "day": day.to_numpy()[first]})


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
