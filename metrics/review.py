"""Review-quality KPIs and drill-downs: depth, reviewers, unreviewed and rubber-stamp merges, cross-team, topics."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from collectors.review_topics import DIMENSIONS
from metrics import tidy
from metrics.attribution import Facts
from metrics.periods import Window, in_window, utc_from_ns

TOPICS = [f"topic_{d}" for d in DIMENSIONS]


@lru_cache(maxsize=4)
def pr_review_facts(facts: Facts) -> pd.DataFrame:
    """Per PR of FACTS.prs (same row order): review depth, distinct reviewers, empty approvals, other events,
    cross-team review, first review and the dimensions touched, all from non-author activity up to merge."""
    n, a = len(facts.prs), facts.activity
    row = a["pr_row"].to_numpy()

    def per_pr(weights=None) -> np.ndarray:
        return np.bincount(row, weights=weights, minlength=n)

    who = pd.factorize(a["who"])[0].astype("int64")
    pairs = pd.unique(row * (who.max(initial=0) + 1) + who) // (who.max(initial=0) + 1)
    cross = (a["reviewer_team"].notna() & (a["reviewer_team"] != a["team"])).to_numpy()
    first = np.full(n, np.iinfo("int64").max)
    np.minimum.at(first, row, pd.DatetimeIndex(a["at"]).asi8)
    empty = per_pr(a["approved_empty"].to_numpy(dtype=float))
    out = pd.DataFrame({
        "review_depth": per_pr(a["has_body"].to_numpy(dtype=float)),
        "reviewers": np.bincount(pairs, minlength=n).astype(float),
        "empty_approvals": empty, "other_events": per_pr() - empty, "cross_team": per_pr(cross.astype(float)) > 0,
        "first_review_at": utc_from_ns(np.where(first == np.iinfo("int64").max, np.iinfo("int64").min, first)),
        **{col: per_pr(a[col].to_numpy(dtype=float)) > 0 for col in TOPICS},
    })
    return out.set_axis(facts.prs.index)


@lru_cache(maxsize=8)
def merged_table(facts: Facts) -> pd.DataFrame:
    """One lean row per merged PR of FACTS with its review facts and derived flags (shared by several families)."""
    prs = facts.prs[facts.prs["merged_at"].notna()]
    reviews = pr_review_facts(facts.root).loc[prs.index]
    out = pd.concat([prs[["pr_id", "team", "merged_day", "size"]], reviews], axis=1)
    out["merge_hours"] = tidy.hours(prs["merged_at"] - prs["created_at"])
    out["pickup_hours"] = tidy.hours(reviews["first_review_at"] - prs["ready_at"]).clip(lower=0)
    out["unreviewed"] = out["reviewers"] == 0
    out["rubber_stamp"] = (out["empty_approvals"] > 0) & (out["other_events"] == 0)
    out["any_topic"] = out[TOPICS].any(axis=1)
    return out


@lru_cache(maxsize=8)
def merged_in(facts: Facts, win: Window) -> pd.DataFrame:
    """The PRs of merged_table merged in WIN, with their period (shared by delivery, review and quality)."""
    return win.assign(merged_table(facts), "merged_day")


def kpis(frames, win: Window) -> pd.DataFrame:
    """Every review-quality KPI as tidy rows."""
    prs = merged_in(frames.facts, win)
    big = prs[(prs["size"] >= frames.policy.rubber_stamp_min_lines).to_numpy()]
    return tidy.concat([
        tidy.means(prs, {"review_depth": "review_depth", "reviewers": "reviewers_per_pr",
                         "unreviewed": "unreviewed_merge_rate", "cross_team": "cross_team_review_rate"}),
        tidy.means(big, {"rubber_stamp": "rubber_stamp_rate", "any_topic": "review_topic_coverage",
                         **{f"topic_{d}": f"review_topics.{d}" for d in DIMENSIONS}}),
        tidy.quantile(prs, "size", "pr_size_lines"),
    ])


def _teams_filter(frame: pd.DataFrame, teams: list[str] | None, column: str = "team") -> pd.DataFrame:
    return frame if teams is None else frame[frame[column].isin(teams)]


def pr_facts(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """One row per PR merged in the window (drill-down): team, size, review facts and flags."""
    prs = _teams_filter(Window(start, end).assign(merged_table(frames.facts), "merged_day"), teams)
    info = frames.facts.prs.loc[prs.index, ["repo", "author_is_bot", "created_at"]]
    raw = frames.pull_requests.set_index("pr_id")[["number", "title", "url"]].reindex(prs["pr_id"])
    names = np.array(DIMENSIONS, dtype=object)
    flags = prs[TOPICS].to_numpy()
    out = pd.concat([prs[["pr_id", "team"]], info], axis=1).assign(
        number=raw["number"].to_numpy(), title=raw["title"].to_numpy(), url=raw["url"].to_numpy(),
        merged_at=frames.facts.prs.loc[prs.index, "merged_at"], size=prs["size"], review_depth=prs["review_depth"],
        reviewers=prs["reviewers"].astype(int), unreviewed=prs["unreviewed"],
        rubber_stamp=prs["rubber_stamp"] & (prs["size"] >= frames.policy.rubber_stamp_min_lines),
        cross_team=prs["cross_team"], first_review_at=prs["first_review_at"], pickup_hours=prs["pickup_hours"],
        topics=[";".join(names[f]) for f in flags])
    return out[["pr_id", "team", "repo", "number", "title", "url", "author_is_bot", "created_at", "merged_at",
                "size", "review_depth", "reviewers", "unreviewed", "rubber_stamp", "cross_team",
                "first_review_at", "pickup_hours", "topics"]].reset_index(drop=True)


def review_matrix(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Who reviews whom: distinct merged PRs of each author team reviewed by each reviewer team."""
    a = frames.facts.activity
    merged_day = frames.facts.root.prs["merged_day"].to_numpy()[a["pr_row"].to_numpy()]
    a = a[in_window(pd.Series(merged_day, index=a.index), start, end) & a["reviewer_team"].notna()]
    pairs = a[["pr_row", "reviewer_team", "team"]].drop_duplicates().rename(columns={"team": "author_team"})
    pairs = _teams_filter(pairs, teams, "author_team")
    return pairs.groupby(["reviewer_team", "author_team"]).size().rename("prs").reset_index()
