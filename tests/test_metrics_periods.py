"""Period bucketing and DORA bands: local days, ISO weeks and months inside the window, cuts, per-team windows."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.compute import monthly, weekly
from metrics.dora import DORA_THRESHOLDS, band
from metrics.periods import Window, local_day, periods
from tests.test_metrics_support import D, make_frames, member, team

T = pd.Timestamp


def test_local_day_in_each_rows_zone():
    stamps = pd.Series(pd.to_datetime(["2026-03-01T20:00Z", "2026-03-01T20:00Z", None], utc=True))
    days = local_day(stamps, pd.Series(["Asia/Kolkata", "America/Sao_Paulo", "UTC"]))
    assert days.tolist()[:2] == [T("2026-03-02"), T("2026-03-01")] and pd.isna(days[2])


def test_weeks_touching_the_window_count_only_their_days_inside():
    weeks = periods(D(2026, 3, 4), D(2026, 3, 17), "W")  # Wed 4th .. Tue 17th
    assert weeks["period"].tolist() == [T("2026-03-02"), T("2026-03-09"), T("2026-03-16")]
    assert weeks["first"].tolist() == [T("2026-03-04"), T("2026-03-09"), T("2026-03-16")]
    assert weeks["last"].tolist() == [T("2026-03-08"), T("2026-03-15"), T("2026-03-17")]


def test_a_cut_splits_the_window_and_per_team_windows_keep_teams_apart():
    frame = pd.DataFrame({"team": ["a", "a", "b", "b", "c"],
                          "day": [T("2026-03-01"), T("2026-03-20"), T("2026-03-01"), T("2026-04-10"), T("2026-03-01")]})
    cut = Window(D(2026, 3, 1), D(2026, 3, 31), cuts=(D(2026, 3, 15),)).assign(frame, "day")
    assert cut["period"].tolist() == [T("2026-03-01"), T("2026-03-15"), T("2026-03-01"), T("2026-03-01")]
    starts = pd.Series([T("2026-03-01"), T("2026-04-01")], index=["a", "b"])
    per_team = Window.per_team(starts, starts + pd.Timedelta(days=29), splits=starts + pd.Timedelta(days=10))
    got = per_team.assign(frame, "day")
    assert list(zip(got["team"].astype(str), got["period"], strict=True)) == [
        ("a", T("2026-03-01")), ("a", T("2026-03-11")), ("b", T("2026-04-01"))]  # b's 03-01 is before its window;
    # c has no window at all
    assert per_team.grid(["a", "b"])["period"].tolist() == [T("2026-03-01"), T("2026-03-11"), T("2026-04-01"),
                                                           T("2026-04-11")]


def test_weekly_and_monthly_tables_hold_every_period_even_empty_ones():
    frames = make_frames(teams=[team("atlas")], memberships=[member("atlas", "asha")],
                         pull_requests=[{"pr_id": "p", "repo": "r", "author": "asha",
                                         "created_at": "2026-03-10T00:00Z", "merged_at": "2026-03-10T01:00Z"}])
    w = weekly(frames, D(2026, 3, 2), D(2026, 3, 22))
    merged = w[w["key"] == "merged_prs"]
    assert merged["period"].tolist() == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]
    assert merged["value"].tolist() == [0, 1, 0]
    m = monthly(frames, D(2026, 2, 15), D(2026, 3, 31))
    assert m[m["key"] == "merge_time_hours"]["value"].tolist() == [None, 1.0]


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("lead_time_hours", 23.9, "elite"), ("lead_time_hours", 24, "high"), ("lead_time_hours", 168, "high"),
    ("lead_time_hours", 168.5, "medium"), ("lead_time_hours", 720, "medium"), ("lead_time_hours", 721, "low"),
    ("change_failure_rate", 0.05, "elite"), ("change_failure_rate", 0.10, "high"),
    ("change_failure_rate", 0.15, "medium"), ("change_failure_rate", 0.16, "low"),
    ("time_to_restore_hours", 0.9, "elite"), ("time_to_restore_hours", 1, "high"),
    ("time_to_restore_hours", 24, "medium"), ("time_to_restore_hours", 168, "low"),
    ("deploy_days_per_week", 5, "elite"), ("deploy_days_per_week", 1, "high"), ("deploy_days_per_week", 0.5, "low"),
])
def test_dora_2023_band_edges(key, value, expected):
    assert band(pd.Series([value]), key, "2023").tolist() == [expected]
    assert band(pd.Series([None]), key).tolist() == [None]


def test_dora_thresholds_are_versioned():
    assert set(DORA_THRESHOLDS) >= {"2023"}
    assert DORA_THRESHOLDS["2023"]["lead_time_hours"][0] == ("elite", "<", 24)
