"""Review quality: depth, reviewers, unreviewed and rubber-stamp merges, pickup, who reviews whom, six dimensions."""

import streamlit as st

from dashboard import data, figures, ui
from metrics.registry import kpi

KEYS = ("review_depth", "reviewers_per_pr", "unreviewed_merge_rate", "rubber_stamp_rate", "pickup_time_hours",
        "cross_team_review_rate", "review_topic_coverage")
ONLY = {"": "All merged PRs", "unreviewed": "Unreviewed only", "rubber_stamp": "Rubber stamps only",
        "cross_team": "Cross-team reviewed only"}

v = ui.view()
ui.page_header("Review quality", v, "PRs merged in the window · click a bar to open the team")
ui.definitions(KEYS)
table = data.kpis(*v.window)
if not data.has_rows(v.url, "pull_requests"):
    ui.empty("pull requests", "List each team's repos in teams.yaml and run `python -m collectors sync --source github`"
             " (or import pull_requests.csv and reviews.csv with `python -m collectors import DIR`).")
    st.stop()

ui.kpi_charts(table, KEYS[:-1], v, figures.kpi_bars,
              missing={k: (f"{kpi(k).label.lower()} in this window", "No merged PR with that activity.") for k in KEYS})

st.header("Who reviews whom", divider="gray")
matrix = data.review_matrix(*v.window)
if matrix.empty:
    ui.empty("reviews by rostered people in this window", "Reviews count when the reviewer is on the roster.")
else:
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(figures.review_matrix(matrix, v.names), theme=None, key="matrix")
    with right:
        ui.table(matrix.rename(columns={"reviewer_team": "reviewer team", "author_team": "author team",
                                        "prs": "PRs reviewed"}), "review-matrix", v)

st.header("The six review dimensions", divider="gray")
st.caption("Share of merged PRs of at least the rubber-stamp size whose non-author review text touches each "
           "dimension (keyword lexicon, policy.review_topics).")
topics = data.topic_rows(table)
if data.has_values(topics):
    ui.chart(figures.topic_coverage(topics, v.names, v.colours), "topics", v)
else:
    ui.empty("reviews of large PRs in this window", "Coverage is measured on PRs at or above rubber_stamp_min_lines.")

st.header("The PRs behind the numbers", divider="gray")
prs = data.pr_facts(*v.window)
team_col, only_col, text_col = st.columns([1, 1, 2])
team = team_col.selectbox("Team", ["", *sorted(prs["team"].dropna().unique())], key="pr_team",
                          format_func=lambda t: v.names.get(t, t) if t else "All teams")
only = only_col.selectbox("Show", list(ONLY), format_func=ONLY.get, key="pr_only")
text = text_col.text_input("Title contains", key="pr_text")
shown = data.filter_prs(prs, team or None, only or None, text)
st.caption(f"{len(shown)} of {len(prs)} PRs")
ui.table(shown, "pull-requests", v, column_config={
    "url": st.column_config.LinkColumn("GitHub", display_text="open"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "pr_id": None, "author_is_bot": st.column_config.CheckboxColumn("Bot"),
    "pickup_hours": st.column_config.NumberColumn("Pickup (h)", format="%.1f"),
    "review_depth": st.column_config.NumberColumn("Depth", format="%d"),
}, height=420)
