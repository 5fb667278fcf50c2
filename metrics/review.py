"""Review-quality KPIs and drill-downs: depth, reviewers, unreviewed and rubber-stamp merges, cross-team, topics."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from collectors.review_topics import DIMENSIONS
from metrics import tidy
from metrics.attribution import Facts
from metrics.periods import assign, in_window


def _topic_flags(activity: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per review dimension for each activity row (from its `;`-joined topics cell)."""
    cells = activity["topics"].astype("category")
    categories = pd.Series(cells.cat.categories)
    codes = cells.cat.codes.to_numpy()
    flags = {}
    for dim in DIMENSIONS:
        per_category = np.append(categories.map(lambda c, d=dim: d in c.split(";")).to_numpy(dtype=bool), False)
        flags[dim] = per_category[codes]  # code -1 (no topics) picks the appended False
    return pd.DataFrame(flags, index=activity.index)


@lru_cache(maxsize=4)
def pr_review_facts(facts: Facts) -> pd.DataFrame:
    """Per PR with non-author activity: depth, reviewers, approvals, comments, cross-team, first review, topics."""
    a = facts.activity
    approved_empty = (a["state"] == "APPROVED").to_numpy() & ~a["has_body"].to_numpy()
    cross = (a["reviewer_team"].notna() & (a["reviewer_team"] != a["team"])).to_numpy()
    work = pd.DataFrame({
        "pr_id": a["pr_id"].to_numpy(), "depth": a["has_body"].to_numpy(),
        "approved_empty": approved_empty, "other": ~approved_empty, "cross": cross, "at": a["at"],
    })
    work = pd.concat([work, _topic_flags(a).reset_index(drop=True)], axis=1)
    grouped = work.groupby("pr_id", sort=False)
    out = grouped[["depth", "approved_empty", "other"]].sum()
    out = out.rename(columns={"depth": "review_depth", "approved_empty": "empty_approvals", "other": "other_events"})
    out["cross_team"] = grouped["cross"].any()
    out["first_review_at"] = grouped["at"].min()
    out["reviewers"] = a.groupby("pr_id", sort=False)["who"].nunique()
    for dim in DIMENSIONS:
        out[f"topic_{dim}"] = grouped[dim].any()
    return out


def _merged_with_reviews(frames, start, end, freq) -> pd.DataFrame:
    """PRs merged in the window joined to their review facts (PRs without review activity get zeros)."""
    prs = assign(frames.facts.prs, "merged_day", start, end, freq)
    rf = pr_review_facts(frames.facts)
    prs = prs.join(rf, on="pr_id")
    for col in ("review_depth", "empty_approvals", "other_events", "reviewers"):
        prs[col] = pd.to_numeric(prs[col]).fillna(0)
    for col in ["cross_team", *(f"topic_{d}" for d in DIMENSIONS)]:
        prs[col] = prs[col].astype("boolean").fillna(False).astype(bool)
    prs["unreviewed"] = prs["reviewers"] == 0
    prs["rubber_stamp"] = (prs["empty_approvals"] > 0) & (prs["other_events"] == 0)
    topic_cols = [f"topic_{d}" for d in DIMENSIONS]
    prs["any_topic"] = prs[topic_cols].any(axis=1)
    return prs


def kpis(frames, start: dt.date, end: dt.date, freq: str | None) -> pd.DataFrame:
    """Every review-quality KPI as tidy rows."""
    prs = _merged_with_reviews(frames, start, end, freq)
    big = prs[prs["size"] >= frames.policy.rubber_stamp_min_lines]
    parts = [
        tidy.mean(prs, "review_depth", "review_depth"),
        tidy.mean(prs, "reviewers", "reviewers_per_pr"),
        tidy.share(prs, "unreviewed", "unreviewed_merge_rate"),
        tidy.share(big, "rubber_stamp", "rubber_stamp_rate"),
        tidy.share(prs, "cross_team", "cross_team_review_rate"),
        tidy.share(big, "any_topic", "review_topic_coverage"),
        *(tidy.share(big, f"topic_{d}", f"review_topics.{d}") for d in DIMENSIONS),
        tidy.quantile(prs, "size", "pr_size_lines"),
    ]
    return pd.concat(parts)


def _teams_filter(frame: pd.DataFrame, teams: list[str] | None, column: str = "team") -> pd.DataFrame:
    return frame if teams is None else frame[frame[column].isin(teams)]


def pr_facts(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """One row per PR merged in the window (drill-down): team, size, review facts and flags."""
    prs = _teams_filter(_merged_with_reviews(frames, start, end, None), teams)
    first = prs["first_review_at"]
    out = prs.assign(pickup_hours=tidy.hours(first - prs["ready_at"]).clip(lower=0),
                     topics=prs[[f"topic_{d}" for d in DIMENSIONS]].apply(
                         lambda row: ";".join(d for d in DIMENSIONS if row[f"topic_{d}"]), axis=1)
                     if len(prs) else pd.Series(dtype=object))
    out["reviewers"] = out["reviewers"].astype(int)
    out["rubber_stamp"] &= out["size"] >= frames.policy.rubber_stamp_min_lines
    return out[["pr_id", "team", "repo", "number", "title", "url", "author_is_bot", "created_at", "merged_at",
                "size", "review_depth", "reviewers", "unreviewed", "rubber_stamp", "cross_team",
                "first_review_at", "pickup_hours", "topics"]].reset_index(drop=True)


def review_matrix(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Who reviews whom: distinct merged PRs of each author team reviewed by each reviewer team."""
    a = frames.facts.activity
    prs = frames.facts.prs
    merged_in = prs.loc[in_window(prs["merged_day"], start, end), "pr_id"]
    a = a[a["pr_id"].isin(merged_in) & a["reviewer_team"].notna()]
    pairs = a[["pr_id", "reviewer_team", "team"]].drop_duplicates().rename(columns={"team": "author_team"})
    pairs = _teams_filter(pairs, teams, "author_team")
    return pairs.groupby(["reviewer_team", "author_team"]).size().rename("prs").reset_index()
