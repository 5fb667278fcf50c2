"""Weekly review (landing page): every team's scorecard against its own baseline, the flags of the week, exports."""

import streamlit as st

from dashboard import data, ui
from metrics.registry import HEADLINE

v = ui.view()
ui.page_header("Weekly review", v, f"change against each team's own {data.BASELINE_WEEKS} weeks before · "
                                   "green = better, red = worse")
rows = data.scorecard(*v.window)
as_of = data.data_as_of(v.url)
ui.data_as_of(as_of)

st.header("Scorecard", divider="gray")
if not rows:
    ui.empty("teams or activity in this database", "Load the demo organisation with `python -m collectors demo`, "
             "or describe your teams in teams.yaml and run `python -m collectors sync`.")
COLUMNS = [1.15] + [1] * len(HEADLINE)
PAGE = 12  # teams per screen: readable on a projector, and quick to draw
shown = rows
if len(rows) > PAGE:
    first = st.segmented_control(
        "Teams", list(range(0, len(rows), PAGE)), default=0, key="score_page",
        format_func=lambda i: f"{rows[i].name} … {rows[min(i + PAGE, len(rows)) - 1].name}",
        help="Many teams: the scorecard shows them twelve at a time. Filter by sourcing model or vendor to compare "
             "a group side by side.") or 0
    shown = rows[first:first + PAGE]
if rows:
    for col, key in zip(st.columns(COLUMNS, gap="small")[1:], HEADLINE, strict=True):
        ui.kpi_header(col, key)
for row in shown:
    team_col, *cells = st.columns(COLUMNS, vertical_alignment="center", gap="small")
    with team_col:
        ui.team_link(row.team, v)
        st.caption(ui.plain(data.team_caption(v.url, row.team)))
    for col, cell in zip(cells, row.cells, strict=True):
        ui.metric_cell(col, cell)
if rows:
    ui.download(data.scorecard_frame(rows), "scorecard", v, label="Download scorecard (CSV)")

st.header("Flags of the week", divider="gray")
cards = data.flag_cards(*v.window)
if not cards:
    st.success("No flags this week: no team slipped against its own baseline, no senior leaver, nobody went quiet.",
               icon="✅")
for pair in range(0, len(cards), 2):
    for col, card in zip(st.columns(2), cards[pair:pair + 2], strict=False):
        with col.container(border=True):
            st.markdown(f"#### {card.icon} {ui.plain(v.names.get(card.team, card.team))}: {card.title}")
            st.markdown("\n".join(f"- {ui.plain(line)}" for line in card.lines))
            st.markdown("\n".join(f"- **Ask:** {ui.plain(q)}" for q in card.questions))
if cards:
    ui.download(data.flags_frame(cards), "flags", v, label="Download flags (CSV)")

st.header("Printable report", divider="gray")
st.caption("The same content as `python -m metrics report --format markdown` for this window and these teams; "
           "open the HTML file and print it.")
stem = f"legible-report-{v.filters.start}-{v.filters.end}"
left, right = st.columns(2)
left.download_button("Weekly report (HTML, printable)", lambda: data.report_page(*v.window), file_name=f"{stem}.html",
                     mime="text/html", icon=":material/print:", on_click="ignore", key="report-html")
right.download_button("Weekly report (Markdown)", lambda: data.report_markdown(*v.window).encode("utf-8"),
                      file_name=f"{stem}.md", mime="text/markdown", icon=":material/description:", on_click="ignore",
                      key="report-md")
