"""Month three: teams lined up by month since onboarding, each watched KPI as a cohort chart, a verdict per team."""

import datetime as dt

import streamlit as st

from dashboard import data, figures, ui
from metrics.registry import WATCHED

v = ui.view()
ui.page_header("Month three", v, "months 1-2 after onboarding (days 0-59) against month 3 (days 60-89); "
                                 "a KPI is flagged when worse by ≥ 25% with n ≥ 5 in both")
ui.definitions(WATCHED)
table = data.month_three(v.url, v.teams)
if table.empty:
    ui.empty("onboarded teams", "Set `started_on` (the onboarding date) on the teams in teams.yaml and run "
             "`python -m collectors sync --source roster`.")
    st.stop()

st.header("Verdict per team", divider="gray")
ICONS = {"slipping": ":red[:material/flag:]", "healthy": ":green[:material/check_circle:]"}
unknown = []
for team, verdict, evidence in data.month_three_verdicts(table):
    if verdict not in ICONS:
        unknown.append(v.names.get(team, team))
        continue
    with st.container(border=True):
        st.subheader(f"{ICONS[verdict]} {ui.plain(v.names.get(team, team))}: {verdict}")
        st.dataframe(evidence, hide_index=True, column_config={"Flagged": st.column_config.CheckboxColumn()})
if unknown:
    st.caption("Not enough data for a verdict (fewer than two watched KPIs with n ≥ 5 in both periods, often a "
               "team onboarded before the data starts): " + ", ".join(ui.plain(n) for n in unknown))
ui.download(table, "month-three", v, label="Download month-three table (CSV)")

st.header("Cohorts: teams aligned by month since onboarding", divider="gray")
st.caption("Each point is one week's value, placed at its distance from the team's onboarding; month 3 is shaded.")
cohort = data.cohort(v.url, v.teams, dt.date.today())
ui.kpi_charts(cohort, WATCHED, v, figures.cohort, prefix="cohort", when="in the first months")
