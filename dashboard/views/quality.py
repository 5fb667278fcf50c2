"""Quality: bugs opened and resolved, how long they take, reopens, escapes, the open backlog, and the issues behind."""

import streamlit as st

from dashboard import data, figures, ui

KEYS = ("bugs_opened", "bugs_resolved", "bug_resolution_hours", "bug_resolution_hours_p85", "open_bugs",
        "bug_reopen_rate", "escaped_defect_rate", "bugs_per_100_prs")

v = ui.view()
ui.page_header("Quality", v, "bugs from Jira · click a bar to open the team")
ui.definitions(KEYS)
if not data.has_rows(v.url, "issues"):
    ui.empty("Jira issues", "Configure `jira` in teams.yaml (url, token_env, bug_types) and each team's "
             "jira_projects, then run `python -m collectors sync --source jira` (or import issues.csv).")
    st.stop()

table = data.kpis(*v.window)
counts = data.wide_counts(table, ("bugs_opened", "bugs_resolved", "open_bugs"))
st.plotly_chart(figures.grouped_bars(counts, {"bugs_opened": "Opened", "bugs_resolved": "Resolved",
                                              "open_bugs": "Open at the end"}, v.names, "Bugs in the window"),
                theme=None, key="bug-counts")

bugs = data.bug_facts(*v.window)
left, right = st.columns(2)
with left:
    if bugs["resolution_hours"].notna().any():
        ui.chart(figures.distribution(bugs, "resolution_hours", v.names, v.colours,
                                      "Time to first resolution (each bug)", "hours"), "resolution", v)
    else:
        ui.empty("bugs resolved in this window", "Resolution time counts bugs first resolved in the window.")
with right:
    ages = data.open_bug_ages(v.url, v.filters.end, v.teams)
    if ages.empty:
        ui.empty("open bugs at the window's end", "Nothing in the backlog.")
    else:
        ui.chart(figures.distribution(ages, "age_days", v.names, v.colours, "Age of open bugs at the window's end",
                                      "days"), "ages", v)
ui.kpi_charts(table, ("bug_reopen_rate", "escaped_defect_rate", "bugs_per_100_prs"), v, figures.kpi_bars, columns=3)

st.header("The bugs behind the numbers", divider="gray")
st.caption("Bugs created or first resolved in the window; the link opens the issue in Jira when jira.url is set.")
ui.table(bugs.sort_values("created_at", ascending=False), "bugs", v, column_config={
    "url": st.column_config.LinkColumn("Jira", display_text="open"),
    "resolution_hours": st.column_config.NumberColumn("Resolution (h)", format="%.1f"),
}, height=420)
