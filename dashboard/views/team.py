"""Team: one team's story — headline KPIs, every KPI by week, DORA bands, and how it compares."""

import streamlit as st

from dashboard import data, figures, ui
from metrics.registry import HEADLINE, KPIS, kpi

DORA_BANDS = ("deploy_frequency_band", "lead_time_band", "change_failure_band", "time_to_restore_band")

v = ui.view()
teams = [t.id for t in data.visible_roster(v.url)]
if not teams:
    st.title("Team")
    ui.empty("teams on the roster", "Describe your teams in teams.yaml and run `python -m collectors sync "
             "--source roster`, or load the demo with `python -m collectors demo`.")
    st.stop()
asked = st.query_params.get("team")
if asked and asked not in teams:  # forbidden or unknown: the same answer, nothing of the team shown
    st.title("Team")
    st.error(f"No team \"{ui.plain(asked)}\" that you may see. Pick one of yours in the list on the Team page "
             "or ask an administrator for access.", icon="🔒")
    st.stop()
if asked in teams:  # a link or a click on another team's line wins over the team chosen before
    st.session_state["team_page_team"] = asked
team = st.selectbox("Team", teams, format_func=lambda t: v.names.get(t, t), key="team_page_team",
                    on_change=lambda: st.query_params.update(team=st.session_state["team_page_team"]))
st.query_params["team"] = team
ui.page_header(v.names[team], v, data.team_caption(v.url, team))

st.header("This window against the team's own baseline", divider="gray")
rows = data.scorecard(v.url, v.filters.start, v.filters.end, (team,))
for row in rows[:1]:
    for col, key in zip(st.columns(len(HEADLINE)), HEADLINE, strict=True):
        ui.kpi_header(col, key)
    for col, cell in zip(st.columns(len(HEADLINE)), row.cells, strict=True):
        ui.metric_cell(col, cell)

first, last = data.trend_window(v.filters.start, v.filters.end)
others = data.comparison_teams(v.url, team)
weekly = data.weekly(v.url, first, last, (team, *others))
own = weekly[weekly["team"] == team]

st.header("Over time", divider="gray")
st.caption(f"Weekly, {first:%d %b} – {last:%d %b %Y}. Dotted: the in-house teams and the other teams of the same "
           "sourcing model, for comparison. Click a line to open that team.")
choices = [k.key for k in KPIS if k.unit != "band"]
chosen = st.multiselect("KPIs", choices, default=[k for k in HEADLINE if k in choices],
                        format_func=lambda k: kpi(k).label, key="team_kpis")
for pair in range(0, len(chosen), 2):
    for col, key in zip(st.columns(2), chosen[pair:pair + 2], strict=False):
        with col:
            series = data.kpi_series(weekly, key)
            if data.has_values(series):
                ui.chart(figures.kpi_trend(series, key, v.names, v.colours, focus=team), f"trend-{key}", v)
            else:
                ui.empty(f"{kpi(key).label.lower()} in these weeks", ui.help_text(key))

st.header("DORA bands by week", divider="gray")
bands = data.band_rows(own, DORA_BANDS)
if bands["value"].notna().any():
    st.plotly_chart(figures.band_timeline(bands, v.names), theme=None, key="bands")
else:
    ui.empty("deployments for this team", "Configure `github.deployments` in teams.yaml (deployments, releases or "
             "workflow runs) and list the team's repos, then run `python -m collectors sync`.")

st.header("Every KPI by week", divider="gray")
ui.table(data.weekly_table(own), f"team-{team}-weekly", v, height=600)
