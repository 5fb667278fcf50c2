"""Delivery: the four DORA keys per team, their bands, and how they move week by week."""

import streamlit as st

from dashboard import data, figures, ui

DORA = ("deploy_days_per_week", "lead_time_hours", "change_failure_rate", "time_to_restore_hours")
TABLE = ("deployments", "deploy_days_per_week", "deploy_frequency_band", "lead_time_hours", "lead_time_band",
         "change_failure_rate", "change_failure_band", "time_to_restore_hours", "time_to_restore_band",
         "merge_time_hours", "pickup_time_hours")

v = ui.view()
ui.page_header("Delivery", v, "DORA keys, bands from the 2023 State of DevOps report")
ui.definitions(TABLE)
if not data.has_rows(v.url, "deployments"):
    ui.empty("deployments", "Configure `github.deployments` in teams.yaml (source: deployments, releases or "
             "workflow_runs) and list each team's repos, then run `python -m collectors sync --source github`.")
    st.stop()

st.header("This window", divider="gray")
ui.table(data.window_table(data.kpis(*v.window), TABLE, v.names), "dora", v)

first, last = data.trend_window(v.filters.start, v.filters.end)
weekly = data.weekly(v.url, first, last, v.teams)
st.header("Week by week", divider="gray")
st.caption(f"{first:%d %b} – {last:%d %b %Y} · click a line to open the team")
NO_INCIDENTS = ("incidents resolved in these weeks", "Incidents come from Jira issues of the types in "
                "`jira.incident_types`; configure Jira and run `python -m collectors sync --source jira`.")
ui.kpi_charts(weekly, DORA, v, figures.kpi_trend, prefix="dora", when="in these weeks",
              missing={"time_to_restore_hours": NO_INCIDENTS})

st.header("Where lead time goes", divider="gray")
st.caption("Median hours per stage of the PRs merged in the window: coding (first commit to ready for review), pickup "
           "(ready to first review), review (first review to merge), deploy (merge to the production deployment "
           "that shipped it).")
stages = data.pr_stages(*v.window)
if stages.empty:
    ui.empty("merged PRs in this window", "Stages are measured on merged PRs.")
else:
    ui.chart(figures.stacked_bars(stages, data.STAGES, v.names, "Time from first commit to production, by stage",
                                  "hours (median)"), "stages", v)
