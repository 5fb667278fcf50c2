"""Delivery KPIs on tiny hand-made frames: each expected value can be checked by hand."""

from __future__ import annotations

import warnings

import pandas as pd

from metrics.compute import kpi_table
from metrics.delivery import lead_time_stages
from metrics.frames import Policy
from tests.test_metrics_support import D, make_frames, member, samples, team, values

MARCH = (D(2026, 3, 2), D(2026, 3, 29))  # four ISO weeks, Monday to Sunday
ROSTER = {"teams": [team("atlas")], "memberships": [member("atlas", "asha")],
          "team_repos": [{"repo": "acme/pay", "team_id": "atlas"}]}


def deploy(dep_id, finished, status="success", production=True, repo="acme/pay"):
    return {"deployment_id": dep_id, "repo": repo, "finished_at": finished, "status": status,
            "is_production": production}


def pr(pr_id, created, merged, author="asha", **extra):
    return {"pr_id": pr_id, "repo": "acme/pay", "author": author, "title": extra.pop("title", pr_id),
            "created_at": created, "merged_at": merged, **extra}


def table(**tables):
    return kpi_table(make_frames(**{**ROSTER, **tables}), *MARCH)


def test_deployments_count_only_successful_production_in_window():
    t = table(deployments=[deploy("d1", "2026-03-03T10:00Z"), deploy("d2", "2026-03-03T11:00Z"),
                           deploy("d3", "2026-03-04T10:00Z", status="failure"),
                           deploy("d4", "2026-03-04T10:00Z", production=False),
                           deploy("d5", "2026-03-30T10:00Z")])
    assert values(t, "atlas")["deployments"] == 2


def test_deploy_days_per_week_is_the_median_over_weeks_with_empty_weeks_as_zero():
    # Week 1: 3 distinct days (two deploys on the 3rd), week 2: 2 days, weeks 3 and 4: none → median of [3, 2, 0, 0]
    t = table(deployments=[deploy("a", "2026-03-03T10:00Z"), deploy("b", "2026-03-03T12:00Z"),
                           deploy("c", "2026-03-04T10:00Z"), deploy("d", "2026-03-05T10:00Z"),
                           deploy("e", "2026-03-10T10:00Z"), deploy("f", "2026-03-11T10:00Z")])
    assert values(t, "atlas")["deploy_days_per_week"] == 1.0
    assert samples(t, "atlas")["deploy_days_per_week"] == 4
    assert values(t, "atlas")["deploy_frequency_band"] == "high"


def test_partial_weeks_count_only_their_days_inside_the_window():
    # Window Wed 4th to Tue 10th touches two ISO weeks: deploys on the 4th and the 9th → weeks [1, 1].
    frames = make_frames(**ROSTER, deployments=[deploy("a", "2026-03-04T10:00Z"), deploy("b", "2026-03-09T10:00Z")])
    t = kpi_table(frames, D(2026, 3, 4), D(2026, 3, 10))
    assert (values(t, "atlas")["deploy_days_per_week"], samples(t, "atlas")["deploy_days_per_week"]) == (1.0, 2)


def test_deploy_frequency_band_elite_needs_five_deploy_days_in_the_median_week():
    weekdays = ("02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "16", "17", "18", "19", "20")
    t = table(deployments=[deploy(f"d{d}", f"2026-03-{d}T10:00Z") for d in weekdays])
    assert values(t, "atlas")["deploy_days_per_week"] == 5.0  # weeks [5, 5, 5, 0]: median (5 + 5) / 2
    assert values(t, "atlas")["deploy_frequency_band"] == "elite"


def test_deploy_frequency_band_medium_and_low_and_null_without_repos():
    medium = table(deployments=[deploy("a", "2026-03-03T10:00Z")])  # weeks [1,0,0,0]: median 0; 1 day in March
    assert values(medium, "atlas")["deploy_frequency_band"] == "medium"
    assert values(table(), "atlas")["deploy_frequency_band"] == "low"
    assert values(table(), "atlas")["deploy_days_per_week"] == 0.0
    no_repos = kpi_table(make_frames(teams=[team("atlas")], memberships=[member("atlas", "asha")]), *MARCH)
    assert values(no_repos, "atlas")["deploy_frequency_band"] is None
    assert values(no_repos, "atlas")["deploy_days_per_week"] is None


def test_deploy_days_are_counted_in_the_team_time_zone():
    # 2026-03-01T20:00Z is Monday 2 March 01:30 in Kolkata (inside), but Sunday 1 March in UTC (outside).
    frames = make_frames(teams=[team("atlas", tz="Asia/Kolkata"), team("hq")],
                         memberships=[member("atlas", "asha"), member("hq", "carol")],
                         team_repos=[{"repo": "acme/pay", "team_id": "atlas"}, {"repo": "acme/web", "team_id": "hq"}],
                         deployments=[deploy("a", "2026-03-01T20:00Z"),
                                      deploy("w", "2026-03-01T20:00Z", repo="acme/web")])
    t = kpi_table(frames, *MARCH)
    assert values(t, "atlas")["deployments"] == 1
    assert values(t, "hq")["deployments"] == 0


def test_merged_prs_and_merge_time_median_of_even_count_is_the_mean_of_the_middle_two():
    t = table(pull_requests=[pr("p1", "2026-03-02T00:00Z", "2026-03-02T02:00Z"),   # 2h
                             pr("p2", "2026-03-02T00:00Z", "2026-03-02T04:00Z"),   # 4h
                             pr("p3", "2026-03-02T00:00Z", "2026-03-02T10:00Z"),   # 10h
                             pr("p4", "2026-03-02T00:00Z", "2026-03-03T00:00Z"),   # 24h
                             pr("open", "2026-03-02T00:00Z", None)])
    assert values(t, "atlas")["merged_prs"] == 4
    assert values(t, "atlas")["merge_time_hours"] == 7.0  # (4 + 10) / 2


def test_pickup_time_uses_ready_at_and_ignores_self_bots_and_prs_without_review():
    reviews = [
        {"review_id": "self", "pr_id": "p1", "reviewer": "ASHA", "state": "COMMENTED",
         "submitted_at": "2026-03-02T01:00Z"},
        {"review_id": "bot", "pr_id": "p1", "reviewer": "ci[bot]", "reviewer_is_bot": True, "state": "COMMENTED",
         "submitted_at": "2026-03-02T01:00Z"},
        {"review_id": "r1", "pr_id": "p1", "reviewer": "bob", "state": "APPROVED", "submitted_at": "2026-03-02T06:00Z"},
    ]
    comments = [{"comment_id": "c2", "pr_id": "p2", "author": "bob", "created_at": "2026-03-02T03:00Z", "body": "hm"}]
    t = table(pull_requests=[pr("p1", "2026-03-02T00:00Z", "2026-03-03T00:00Z", ready_at="2026-03-02T02:00Z"),
                             pr("p2", "2026-03-02T00:00Z", "2026-03-03T00:00Z"),
                             pr("p3", "2026-03-02T00:00Z", "2026-03-03T00:00Z")],
              reviews=reviews, review_comments=comments)
    # p1: 06:00 − ready 02:00 = 4h; p2: 03:00 − created 00:00 = 3h; p3 has no review: left out.
    assert (values(t, "atlas")["pickup_time_hours"], samples(t, "atlas")["pickup_time_hours"]) == (3.5, 2)


def test_lead_time_leaves_out_prs_merged_before_the_first_observed_deployment():
    prs = [pr("early", "2026-03-01T00:00Z", "2026-03-02T00:00Z"),  # merged before d1: left out
           pr("p1", "2026-03-02T00:00Z", "2026-03-03T00:00Z", first_commit_at="2026-03-01T00:00Z"),
           pr("p2", "2026-03-03T00:00Z", "2026-03-04T00:00Z")]                    # no first commit: created_at
    deps = [deploy("d1", "2026-03-02T12:00Z"), deploy("d2", "2026-03-04T00:00Z"),  # at merge time counts
            deploy("d3", "2026-03-05T00:00Z")]
    t = table(pull_requests=prs, deployments=deps)
    # p1: d2 (03-04 00:00) − 03-01 00:00 = 72h; p2: d2 − 03-03 00:00 = 24h (deployed at its merge instant)
    assert (values(t, "atlas")["lead_time_hours"], samples(t, "atlas")["lead_time_hours"]) == (48.0, 2)
    assert values(t, "atlas")["lead_time_band"] == "high"


def test_lead_time_counts_prs_whose_deployment_finished_in_the_window():
    prs = [pr("p1", "2026-02-27T00:00Z", "2026-02-28T00:00Z")]
    deps = [deploy("d0", "2026-02-01T00:00Z"), deploy("d1", "2026-03-02T00:00Z")]
    assert values(table(pull_requests=prs, deployments=deps), "atlas")["lead_time_hours"] == 72.0


def test_change_failure_rate_charges_incidents_and_reverts_within_the_window_days():
    deps = [deploy("d1", "2026-03-02T00:00Z"), deploy("d2", "2026-03-05T00:00Z"), deploy("d3", "2026-03-10T00:00Z"),
            deploy("d4", "2026-03-20T00:00Z")]
    incidents = [
        {"issue_key": "I-1", "project": "PAY", "is_incident": True, "created_at": "2026-03-06T00:00Z"},  # → d2
        {"issue_key": "I-2", "project": "PAY", "is_incident": True, "created_at": "2026-03-19T00:00Z"},  # d3: 9 days
    ]
    reverts = [pr("rv", "2026-03-20T01:00Z", "2026-03-21T00:00Z", title='Revert "p9"'),       # → d4
               pr("not", "2026-03-02T01:00Z", "2026-03-03T00:00Z", title="Reverted nothing")]  # not a revert
    t = table(deployments=deps, issues=incidents, pull_requests=reverts,
              team_jira_projects=[{"project": "PAY", "team_id": "atlas"}])
    assert (values(t, "atlas")["change_failure_rate"], samples(t, "atlas")["change_failure_rate"]) == (0.5, 4)
    assert values(t, "atlas")["change_failure_band"] == "low"
    longer = make_frames(**ROSTER, deployments=deps, issues=incidents, pull_requests=reverts,
                         team_jira_projects=[{"project": "PAY", "team_id": "atlas"}],
                         policy=Policy(incident_window_days=10))
    assert values(kpi_table(longer, *MARCH), "atlas")["change_failure_rate"] == 0.75


def test_time_to_restore_uses_first_resolution_and_bands():
    incidents = [
        {"issue_key": "I-1", "project": "PAY", "is_incident": True, "created_at": "2026-03-03T00:00Z",
         "resolved_at": "2026-03-03T00:30Z"},
        {"issue_key": "I-2", "project": "PAY", "is_incident": True, "created_at": "2026-03-04T00:00Z",
         "resolved_at": "2026-03-09T00:00Z"},
    ]
    transitions = [{"issue_key": "I-2", "at": "2026-03-04T01:30Z", "from_status": "Open", "to_status": "Done",
                    "from_category": "todo", "to_category": "done"}]
    t = table(issues=incidents, issue_transitions=transitions,
              team_jira_projects=[{"project": "PAY", "team_id": "atlas"}])
    assert values(t, "atlas")["time_to_restore_hours"] == 1.0  # [0.5, 1.5]
    assert values(t, "atlas")["time_to_restore_band"] == "high"  # 1h is not < 1h


def test_no_sample_gives_null_and_counts_give_zero():
    v = values(table(), "atlas")
    assert v["deployments"] == 0 and v["merged_prs"] == 0
    for key in ("merge_time_hours", "pickup_time_hours", "lead_time_hours", "change_failure_rate",
                "time_to_restore_hours", "lead_time_band", "change_failure_band", "time_to_restore_band"):
        assert v[key] is None, key


def test_an_empty_store_gives_the_complete_grid_without_a_pandas_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the fill of n used to downcast an object column (FutureWarning)
        t = kpi_table(make_frames(), *MARCH, ["unassigned"])
    assert t["n"].dtype == "int64" and set(t["n"]) == {0}
    assert values(t, "unassigned")["deployments"] == 0 and values(t, "unassigned")["lead_time_hours"] is None


def test_lead_time_stages_split_each_merged_pr_at_ready_first_review_merge_and_deployment():
    prs = [pr("p1", "2026-03-02T02:00Z", "2026-03-03T00:00Z", first_commit_at="2026-03-02T00:00Z",
              ready_at="2026-03-02T04:00Z"),                       # a draft until 04:00
           pr("p2", "2026-03-02T00:00Z", "2026-03-02T03:00Z"),    # no first commit: coding starts when opened
           pr("p3", "2026-03-05T10:00Z", "2026-03-06T00:00Z", first_commit_at="2026-03-05T00:00Z"),  # no review
           pr("late", "2026-03-30T00:00Z", "2026-03-31T00:00Z"),  # merged after the window
           pr("w1", "2026-03-02T00:00Z", "2026-03-02T05:00Z", author="carol", repo="acme/web")]
    reviews = [{"review_id": "r1", "pr_id": "p1", "reviewer": "bob", "state": "APPROVED",
                "submitted_at": "2026-03-02T06:00Z"}]
    comments = [{"comment_id": "c2", "pr_id": "p2", "author": "bob", "created_at": "2026-03-02T01:00Z", "body": "?"}]
    deps = [deploy("d0", "2026-03-01T00:00Z"), deploy("d1", "2026-03-04T00:00Z")]  # p3 is never shipped
    frames = make_frames(teams=[team("atlas"), team("hq")], memberships=[member("atlas", "asha"), member("hq", "carol")],
                         team_repos=ROSTER["team_repos"], pull_requests=prs, reviews=reviews,
                         review_comments=comments, deployments=deps)
    stages = lead_time_stages(frames, *MARCH)
    atlas = stages[stages["team"] == "atlas"].set_index("stage")
    assert list(atlas.index) == ["coding", "pickup", "review", "deploy"]
    # coding: p1 00:00 → ready 04:00 = 4h, p2 opened 00:00 → ready (never a draft) 00:00 = 0h, p3 = 10h → 4
    # pickup: p1 ready 04:00 → review 06:00 = 2h, p2 00:00 → comment 01:00 = 1h → 1.5
    # review: p1 06:00 → merge 03-03 00:00 = 18h, p2 01:00 → 03:00 = 2h → 10
    # deploy: p1 merge 03-03 00:00 → d1 03-04 00:00 = 24h, p2 03-02 03:00 → d1 = 45h → 34.5
    assert atlas["hours"].to_dict() == {"coding": 4.0, "pickup": 1.5, "review": 10.0, "deploy": 34.5}
    assert atlas["n"].to_dict() == {"coding": 3, "pickup": 2, "review": 2, "deploy": 2}
    hq = stages[stages["team"] == "hq"].set_index("stage")  # w1: opened at its first commit, never reviewed
    assert hq.loc["coding", "hours"] == 0.0 and hq.loc["review", "n"] == 0 and pd.isna(hq.loc["review", "hours"])
    assert set(lead_time_stages(frames, *MARCH, ["hq"])["team"]) == {"hq"}
    assert lead_time_stages(frames, D(2026, 4, 6), D(2026, 4, 12)).empty


def test_lead_time_stages_deploy_uses_lead_times_matching():
    prs = [pr("early", "2026-03-02T00:00Z", "2026-03-02T06:00Z"),  # merged before the first observed deployment
           pr("p1", "2026-03-02T00:00Z", "2026-03-03T00:00Z", first_commit_at="2026-03-01T00:00Z")]
    frames = make_frames(**ROSTER, pull_requests=prs, deployments=[deploy("d0", "2026-03-02T12:00Z"),
                                                                    deploy("d1", "2026-03-03T06:00Z")])
    deploy_stage = lead_time_stages(frames, *MARCH).set_index("stage").loc["deploy"]
    assert (deploy_stage["hours"], deploy_stage["n"]) == (6.0, 1)  # p1: merged 03-03 00:00 → d1 06:00; early: none
    # lead_time_hours has the same sample: p1 alone, first commit 03-01 00:00 → d1 03-03 06:00
    assert (values(kpi_table(frames, *MARCH), "atlas")["lead_time_hours"],
            samples(kpi_table(frames, *MARCH), "atlas")["lead_time_hours"]) == (54.0, 1)
