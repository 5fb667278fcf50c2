"""Month-three and weekly slippage flags: ≥ 25% worse than the baseline, n ≥ 5 in both periods, ≥ 2 KPIs."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.report import build_report
from metrics.slippage import month_three, month_three_flags, slippage_flags, worse
from tests.test_metrics_support import D, make_frames, member, team

START = "2026-01-05"  # day 89 = 2026-04-04


def prs_with_reviews(team_login: str, days: list[str], reviewed: bool, tag: str):
    prs, comments = [], []
    for i, day in enumerate(days):
        pr_id = f"{tag}{i}"
        prs.append({"pr_id": pr_id, "repo": "r", "author": team_login, "created_at": f"{day}T08:00Z",
                    "merged_at": f"{day}T10:00Z", "additions": 10})
        if reviewed:
            comments += [{"comment_id": f"{pr_id}c{k}", "pr_id": pr_id, "author": "reviewer", "body": "why?",
                          "created_at": f"{day}T09:00Z"} for k in range(2)]
    return prs, comments


def scenario():
    """slip: reviewed PRs in months 1-2, unreviewed ones in month 3; steady: reviewed throughout;
    thin: bad month 3 but only four PRs in it."""
    baseline = [f"2026-01-{d:02d}" for d in range(15, 25)]
    month3 = [f"2026-03-{d:02d}" for d in range(10, 20)]
    prs, comments = [], []
    for login, good_later, later in (("slip", False, month3), ("steady", True, month3), ("thin", False, month3[:4])):
        for days, good, tag in ((baseline, True, f"{login}-b"), (later, good_later, f"{login}-m")):
            p, c = prs_with_reviews(login, days, good, tag)
            prs, comments = prs + p, comments + c
    teams = [team(t, started_on=START) for t in ("slip", "steady", "thin")]
    memberships = [member(t, t) for t in ("slip", "steady", "thin")] + [member("arch", "reviewer")]
    return make_frames(teams=[*teams, team("arch")], memberships=memberships, pull_requests=prs,
                       review_comments=comments)


@pytest.mark.parametrize(("key", "baseline", "current", "expected"), [
    ("review_depth", 2.0, 1.5, True),          # higher is better: down by exactly 25%
    ("review_depth", 2.0, 1.6, False),         # down by 20%
    ("merge_time_hours", 10.0, 12.5, True),    # lower is better: up by 25%
    ("merge_time_hours", 10.0, 5.0, False),    # better
    ("unreviewed_merge_rate", 0.0, 0.01, True),  # from a baseline of 0 any worsening counts
    ("review_depth", 0.0, 0.0, False),
    ("review_depth", None, 1.0, False),
])
def test_worse_by_direction(key, baseline, current, expected):
    assert worse(key, baseline, current) is expected


def test_month_three_flags_the_slipping_team_only_with_its_evidence():
    table = month_three(scenario())
    verdicts = table.groupby("team")["verdict"].first().to_dict()
    assert verdicts == {"slip": "slipping", "steady": "healthy", "thin": "healthy"}
    slip = table[(table["team"] == "slip") & table["flagged"]].set_index("key")
    assert list(slip.index) == ["review_depth", "unreviewed_merge_rate"]
    assert slip.loc["review_depth", ["baseline", "month3", "n_baseline", "n_month3"]].tolist() == [2.0, 0.0, 10, 10]
    thin = table[(table["team"] == "thin") & (table["key"] == "review_depth")].iloc[0]
    assert (thin["n_month3"], thin["flagged"]) == (4, False)  # too small a sample


def test_month_three_flag_belongs_to_the_report_whose_window_contains_day_89():
    frames = scenario()
    flags = month_three_flags(frames, D(2026, 3, 30), D(2026, 4, 5))
    assert [(f["team"], f["kind"], f["period_end"]) for f in flags] == [("slip", "month_three_slippage", D(2026, 4, 4))]
    assert flags[0]["metrics"] == ["review_depth", "unreviewed_merge_rate"]
    assert flags[0]["detail"]["unreviewed_merge_rate"]["month3"] == 1.0
    assert month_three_flags(frames, D(2026, 3, 2), D(2026, 3, 29)) == []


def test_weekly_slippage_compares_the_last_28_days_with_the_56_before():
    flags = slippage_flags(scenario(), D(2026, 3, 9), D(2026, 4, 5))
    assert [(f["team"], f["kind"]) for f in flags] == [("slip", "slippage")]
    assert flags[0]["detail"]["review_depth"] == {"baseline": 2.0, "current": 0.0, "n_baseline": 10, "n_current": 10}


def test_report_carries_the_flags_of_its_window():
    report = build_report(scenario(), D(2026, 3, 30), D(2026, 4, 5))
    flags = {t["id"]: [f["kind"] for f in t["flags"]] for t in report["teams"]}
    assert flags["slip"] == ["month_three_slippage", "slippage"]  # its last 28 days are bad too
    assert flags["steady"] == [] and flags["thin"] == []
    assert report["teams"][0]["flags"][0]["period_end"] == "2026-04-04"
    assert dt.date.fromisoformat(report["to"]) == D(2026, 4, 5)
