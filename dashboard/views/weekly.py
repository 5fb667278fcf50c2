"""Weekly review (landing page): every team's scorecard against its own baseline, the flags of the week, exports."""

import streamlit as st

from dashboard import data, exports, ui
from dashboard.formats import change_text, delta_colour, value_text
from metrics.registry import HEADLINE, kpi

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
for row in rows:
    team_col, *cells = st.columns([1.5] + [1] * len(HEADLINE), vertical_alignment="center", gap="small")
    with team_col:
        ui.team_link(row.team, v)
        st.caption(ui.plain(data.team_caption(v.url, row.team)))
    for col, cell in zip(cells, row.cells, strict=True):
        meta = kpi(cell.key)
        if meta.unit == "band":
            was = value_text(cell.baseline, "band")
            delta = f"was {was}" if cell.baseline is not None and cell.baseline != cell.value else None
            col.metric(meta.label, value_text(cell.value, "band"), delta, delta_color="off", delta_arrow="off",
                       help=ui.help_text(cell.key), border=True)
            continue
        col.metric(meta.label, value_text(cell.value, meta.unit), change_text(cell.value, cell.baseline, meta.unit),
                   delta_color=delta_colour(meta.direction), help=ui.help_text(cell.key), border=True,
                   chart_data=list(cell.trend) if len(cell.trend) > 1 else None, chart_type="line")
if rows:
    ui.table(data.scorecard_frame(rows), "scorecard", v, label="Download scorecard (CSV)")

st.header("Flags of the week", divider="gray")
cards = data.flag_cards(*v.window)
if not cards:
    st.success("No flags this week: no team slipped against its own baseline, no senior leaver, nobody went quiet.",
               icon="✅")
for card in cards:
    with st.container(border=True):
        st.subheader(f"{card.icon} {ui.plain(v.names.get(card.team, card.team))}: {ui.plain(card.title)}")
        if not card.evidence.empty:
            st.dataframe(card.evidence, hide_index=True)
        for question in card.questions:
            st.markdown(f"**Ask:** {ui.plain(question)}")
if cards:
    ui.table(data.flags_frame(cards), "flags", v, label="Download flags (CSV)")

st.header("Printable report", divider="gray")
markdown = data.report_markdown(*v.window)
stem = f"legible-report-{v.filters.start}-{v.filters.end}"
html_page = exports.report_html(f"Legible weekly report {v.filters.start} to {v.filters.end}", markdown,
                                data.describe_as_of(as_of))
left, right = st.columns(2)
left.download_button("Weekly report (HTML, printable)", html_page, file_name=f"{stem}.html", mime="text/html",
                     icon=":material/print:", on_click="ignore", key="report-html")
right.download_button("Weekly report (Markdown)", markdown.encode("utf-8"), file_name=f"{stem}.md",
                      mime="text/markdown", icon=":material/description:", on_click="ignore", key="report-md")
