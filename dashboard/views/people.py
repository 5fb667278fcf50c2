"""People: headcount, joiners, leavers, retention, tenure, senior leavers, quiet members, per team and vendor only."""

import streamlit as st

from dashboard import data, figures, ui

KEYS = ("headcount", "joiners", "leavers", "retention_rate", "senior_leavers", "quiet_members", "median_tenure_months",
        "active_contributors")

v = ui.view()
ui.page_header("People", v, "team level only: Legible never ranks or lists individuals")
ui.definitions(KEYS)
summary = data.people_summary(*v.window)
if summary.empty:
    ui.empty("teams on the roster", "Describe your teams and their members in teams.yaml and run "
             "`python -m collectors sync --source roster`.")
    st.stop()

st.plotly_chart(figures.grouped_bars(summary, {"headcount": "Headcount", "joiners": "Joiners", "leavers": "Leavers",
                                               "senior_leavers": "Senior leavers"}, v.names, "Headcount and movement"),
                theme=None, key="movement")
table = data.kpis(*v.window)
ui.kpi_charts(table, ("retention_rate", "median_tenure_months", "quiet_members"), v, figures.kpi_bars, columns=3)

st.header("Per team", divider="gray")
ui.table(summary, "people-teams", v)
st.header("Per vendor", divider="gray")
ui.table(data.vendor_summary(summary), "people-vendors", v)
