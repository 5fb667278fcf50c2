"""Property tests: shares stay in 0-1, counts are non-negative whole numbers, row order never matters."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.compute import kpi_table
from metrics.registry import KPIS
from tests.test_metrics_support import D, make_frames, member, team

WINDOW = (D(2026, 3, 2), D(2026, 3, 15))
LOGINS = ["asha", "bob", "carol", "stranger", "ci[bot]"]
SHARES = [k.key for k in KPIS if k.unit == "ratio" and k.key != "sprint_commitment_ratio"]
COUNTS = [k.key for k in KPIS if k.kind == "count"]
ROSTER = {"teams": [team("atlas", tz="Asia/Kolkata"), team("hq")],
          "memberships": [member("atlas", "asha", jira="j-asha"), member("atlas", "bob", left="2026-03-08"),
                          member("hq", "bob", joined="2026-03-08"), member("hq", "carol", jira="j-carol")],
          "team_repos": [{"repo": "r1", "team_id": "atlas"}], "team_jira_projects": [{"project": "P", "team_id": "hq"}]}

hours = st.integers(min_value=0, max_value=24 * 20)


def stamp(h: int) -> str:
    return (pd.Timestamp("2026-02-28T00:00Z") + pd.Timedelta(hours=h)).isoformat()


@st.composite
def activity(draw):
    prs, reviews, comments = [], [], []
    for i in range(draw(st.integers(0, 8))):
        created = draw(hours)
        merged = draw(st.one_of(st.none(), st.integers(0, 72).map(lambda d, c=created: c + d)))
        author = draw(st.sampled_from(LOGINS))
        title = draw(st.sampled_from(["change", 'Revert "change"']))
        prs.append({"pr_id": f"p{i}", "repo": draw(st.sampled_from(["r1", "r2"])), "author": author, "title": title,
                    "created_at": stamp(created), "merged_at": None if merged is None else stamp(merged),
                    "additions": draw(st.integers(0, 200)), "deletions": draw(st.integers(0, 50)),
                    "author_is_bot": author.endswith("[bot]")})
        for k in range(draw(st.integers(0, 3))):
            who = draw(st.sampled_from(LOGINS))
            reviews.append({"review_id": f"r{i}-{k}", "pr_id": f"p{i}", "reviewer": who,
                            "state": draw(st.sampled_from(["APPROVED", "COMMENTED", "DISMISSED"])),
                            "body": draw(st.sampled_from(["", "needs tests", "  "])),
                            "topics": None, "submitted_at": stamp(created + draw(st.integers(0, 48))),
                            "reviewer_is_bot": who.endswith("[bot]")})
        if draw(st.booleans()):
            comments.append({"comment_id": f"c{i}", "pr_id": f"p{i}", "author": draw(st.sampled_from(LOGINS)),
                             "body": "why?", "topics": "tests", "created_at": stamp(created + 1)})
    deployments = [{"deployment_id": f"d{i}", "repo": "r1", "status": draw(st.sampled_from(["success", "failure"])),
                    "is_production": True, "finished_at": stamp(draw(hours))} for i in range(draw(st.integers(0, 6)))]
    issues = []
    for i in range(draw(st.integers(0, 6))):
        created = draw(hours)
        resolved = draw(st.one_of(st.none(), st.integers(0, 100).map(lambda d, c=created: c + d)))
        kind = draw(st.sampled_from(["Bug", "Incident", "Story"]))
        issues.append({"issue_key": f"I-{i}", "project": draw(st.sampled_from(["P", "Q"])), "issue_type": kind,
                       "is_bug": kind == "Bug", "is_incident": kind == "Incident", "is_escaped": draw(st.booleans()),
                       "created_at": stamp(created), "resolved_at": None if resolved is None else stamp(resolved),
                       "assignee": draw(st.sampled_from(["j-asha", "j-carol", None]))})
    return {"pull_requests": prs, "reviews": reviews, "review_comments": comments, "deployments": deployments,
            "issues": issues}


def compute(tables: dict) -> pd.DataFrame:
    return kpi_table(make_frames(**ROSTER, **tables), *WINDOW)


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(activity())
def test_shares_are_between_0_and_1_and_counts_are_non_negative(tables):
    t = compute(tables)
    shares = t[t["key"].isin(SHARES) & t["value"].notna()]["value"]
    assert shares.between(0, 1).all()
    counts = t[t["key"].isin(COUNTS)]
    assert all(isinstance(v, int) and v >= 0 for v in counts["value"])
    assert (t["n"] >= 0).all()
    assert t.loc[t["n"] == 0, "value"].map(lambda v: v in (None, 0)).all()


@SETTINGS
@given(activity(), st.randoms(use_true_random=False))
def test_shuffling_input_rows_changes_nothing(tables, rnd):
    shuffled = {name: rnd.sample(rows, len(rows)) for name, rows in tables.items()}
    pd.testing.assert_frame_equal(compute(tables), compute(shuffled))
