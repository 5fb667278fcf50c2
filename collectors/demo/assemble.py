"""One team's activity assembled into the rows of the interchange files (ids, numbers, end-of-data cut)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from collectors.demo.calendar import END_TS
from collectors.demo.deploys import deployments, incidents
from collectors.demo.pulls import bot_pull_requests, human_pull_requests, revert_pull_requests
from collectors.demo.team import Team, concat
from collectors.demo.tickets import CATEGORY, bugs, incident_issues, sprint_work


def iso(seconds: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC text ('2026-05-04T09:30:00Z') of epoch SECONDS; empty where NaN."""
    out = np.full(len(seconds), "", dtype=object)
    ok = ~np.isnan(seconds)
    out[ok] = np.datetime_as_string(seconds[ok].astype(np.int64).astype("datetime64[s]"), unit="s", timezone="UTC")
    return out


def whole(values: np.ndarray) -> np.ndarray:
    """Whole numbers as text; empty where NaN."""
    out = np.full(len(values), "", dtype=object)
    ok = ~np.isnan(values)
    out[ok] = values[ok].astype(np.int64).astype(str)
    return out



def _shifted(events: list[dict], offsets: list[int]) -> dict:
    """Events of several PR batches with their PR indexes moved by each batch's offset."""
    return concat([e | {"pr": e["pr"] + off} for e, off in zip(events, offsets, strict=True)])


def _sequence(groups: pd.Series) -> np.ndarray:
    """1, 2, 3... within each group, in row order."""
    return groups.groupby(groups, sort=False).cumcount().to_numpy() + 1


def team_tables(team: Team) -> dict[str, pd.DataFrame]:
    """Every interchange table's rows for TEAM, as text ready for CSV."""
    prs, reviews, comments = human_pull_requests(team)
    deploys = deployments(team, prs)
    hits = incidents(team, deploys)
    bots, bot_reviews = bot_pull_requests(team)
    r = hits["revert"]
    reverts, revert_reviews = revert_pull_requests(team, prs, hits["repo"][r], hits["deployed"][r],
                                                   hits["created"][r])
    tables = _pull_request_tables(team, [prs, bots, reverts], [reviews, bot_reviews, revert_reviews], comments)
    tables["deployments"] = pd.DataFrame({
        "deployment_id": deploys["repo"] + ":deploy:" + (np.arange(len(deploys["repo"])) + 1).astype(str),
        "repo": deploys["repo"], "environment": deploys["environment"], "sha": deploys["sha"],
        "created_at": iso(deploys["created"]), "finished_at": iso(deploys["finished"]), "status": deploys["status"]})
    bug_rows, bug_steps = bugs(team, prs)
    inc_rows, inc_steps = incident_issues(team, hits)
    sprints, story_rows, story_steps = sprint_work(team)
    tables.update(_issue_tables(team, [bug_rows, inc_rows, story_rows], [bug_steps, inc_steps, story_steps]))
    tables["sprints"] = pd.DataFrame({
        **{k: sprints[k] for k in ("sprint_id", "board_id", "name", "state")},
        **{k: iso(sprints[k]) for k in ("start_at", "end_at", "completed_at")},
        **{k: whole(sprints[k]) for k in ("committed_points", "completed_points")}})
    return tables


def _pull_request_tables(team: Team, batches: list[dict], review_batches: list[dict],
                         comments: dict) -> dict[str, pd.DataFrame]:
    """PRs numbered per repo in creation order, cut at the end of the data, with their reviews and comments."""
    offsets = list(np.cumsum([0] + [len(b["created"]) for b in batches[:-1]]))
    prs = concat(batches)
    reviews, comments = _shifted(review_batches, offsets), _shifted([comments], [0])
    order = np.lexsort((prs["created"], prs["repo"]))
    number = np.empty(len(order), int)
    repo_sorted = pd.Series(prs["repo"][order])
    base = {repo: 1 if team.first_day > 0 else int(team.rng.integers(300, 3000)) for repo in team.plan.repos}
    number[order] = _sequence(repo_sorted) + repo_sorted.map(base).to_numpy() - 1
    pr_id = prs["repo"] + "#" + number.astype(str)
    done = prs["end"] < END_TS
    frame = pd.DataFrame({
        "pr_id": pr_id, "repo": prs["repo"], "number": number, "author": prs["author"], "title": prs["title"],
        "url": "https://github.com/" + prs["repo"] + "/pull/" + number.astype(str),
        "created_at": iso(prs["created"]), "ready_at": iso(prs["ready"]), "first_commit_at": iso(prs["first_commit"]),
        "merged_at": iso(np.where(done & prs["merged"], prs["end"], np.nan)),
        "closed_at": iso(np.where(done, prs["end"], np.nan)),
        "additions": prs["additions"], "deletions": prs["deletions"]})
    frame = frame.iloc[order].reset_index(drop=True)

    def events(rows: dict, kind: str) -> pd.DataFrame:
        keep = rows["at"] < END_TS
        rows = {k: v[keep] for k, v in rows.items()}
        sort = np.lexsort((rows["at"], rows["pr"]))
        rows = {k: v[sort] for k, v in rows.items()}
        ids = pd.Series(pr_id[rows["pr"]])
        return pd.DataFrame({"id": ids + f"/{kind}/" + _sequence(ids).astype(str), "pr_id": ids,
                             "who": rows["who"], "at": iso(rows["at"]), "body": rows["body"],
                             **{k: rows[k] for k in ("state", "path") if k in rows}})

    rv = events(reviews, "review").rename(columns={"id": "review_id", "who": "reviewer", "at": "submitted_at"})
    cm = events(comments, "comment").rename(columns={"id": "comment_id", "who": "author", "at": "created_at"})
    return {"pull_requests": frame,
            "reviews": rv[["review_id", "pr_id", "reviewer", "state", "submitted_at", "body"]],
            "review_comments": cm[["comment_id", "pr_id", "author", "created_at", "body", "path"]]}


def _issue_tables(team: Team, batches: list[dict], step_batches: list[dict]) -> dict[str, pd.DataFrame]:
    """Issues keyed per project in creation order, with status and resolution as of the end of the data."""
    offsets = list(np.cumsum([0] + [len(b["created"]) for b in batches[:-1]]))
    issues = concat(batches)
    steps = concat([s | {"issue": s["issue"] + off} for s, off in zip(step_batches, offsets, strict=True)])
    order = np.argsort(issues["created"], kind="stable")
    rank = np.empty(len(order), int)
    rank[order] = np.arange(len(order))
    base = 1 if team.first_day > 0 else int(team.rng.integers(200, 2000))
    project = team.plan.project
    key = np.array([f"{project}-{base + k}" for k in rank], dtype=object)
    steps = {k: v[steps["at"] < END_TS] for k, v in steps.items()}
    sort = np.lexsort((steps["at"], steps["issue"]))
    steps = {k: v[sort] for k, v in steps.items()}
    last = pd.Series(np.arange(len(sort))).groupby(steps["issue"]).last()
    status = np.full(len(order), "To Do", dtype=object)
    status[last.index.to_numpy()] = steps["to"][last.to_numpy()]
    resolved = np.full(len(order), np.nan)
    final_done = steps["to"][last.to_numpy()] == "Done"
    resolved[last.index.to_numpy()[final_done]] = steps["at"][last.to_numpy()[final_done]]
    keep = issues["created"] < END_TS
    frame = pd.DataFrame({
        "issue_key": key, "project": project, "issue_type": issues["type"], "priority": issues["priority"],
        "status": status, "status_category": pd.Series(status).map(CATEGORY).to_numpy(),
        "created_at": iso(issues["created"]), "resolved_at": iso(resolved), "assignee": issues["assignee"],
        "story_points": whole(issues["points"]), "labels": issues["labels"], "sprint_id": issues["sprint"]})
    frame = frame[keep].iloc[np.argsort(rank[keep], kind="stable")].reset_index(drop=True)
    transitions = pd.DataFrame({
        "issue_key": key[steps["issue"]], "at": iso(steps["at"]), "from_status": steps["from"],
        "to_status": steps["to"], "from_category": pd.Series(steps["from"]).map(CATEGORY).to_numpy(),
        "to_category": pd.Series(steps["to"]).map(CATEGORY).to_numpy()})
    return {"issues": frame, "issue_transitions": transitions}
