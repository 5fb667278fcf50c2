"""What every page uses: the current view, tables with CSV download, charts that open a team, empty states."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.access import LOCAL
from dashboard.exports import csv_bytes
from dashboard.figures import team_colours
from dashboard.filters import Filters
from dashboard.formats import change_text, delta_colour, value_text
from metrics.registry import kpi

TEAM_PAGE = "views/team.py"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


@dataclass(frozen=True)
class View:
    """What the page shows: the database, the filters, the teams they select, names and colours."""

    url: str
    filters: Filters
    teams: tuple[str, ...] | None
    names: dict[str, str]
    colours: dict[str, str]

    @property
    def window(self) -> tuple[str, object, object, tuple[str, ...] | None]:
        """(url, start, end, teams): the arguments of every cached data call."""
        return self.url, self.filters.start, self.filters.end, self.teams


def view() -> View:
    """The view app.py chose for this run."""
    url, filters = st.session_state["db_url"], st.session_state["filters"]
    viewer = st.session_state.get("viewer", LOCAL)
    everyone = [t.id for t in data.roster(url)]  # colours stay the same whoever looks
    visible = data.visible_roster(url)
    ids = viewer.restrict(filters.team_ids(visible), [t.id for t in visible])
    return View(url, filters, ids, data.team_names(url), team_colours(everyone))


def plain(text) -> str:
    """Text from the data made inert for st.markdown: no links, emphasis, headings or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def help_text(key: str) -> str:
    """A KPI's definition and the question to ask when it moves, from the metrics registry."""
    meta = kpi(key)
    better = {"higher": "Higher is better.", "lower": "Lower is better."}.get(meta.direction or "", "")
    return f"{meta.definition} {better}\n\nQuestion to ask: {meta.question}"


def page_header(title: str, v: View, note: str = "") -> None:
    """The page title with the window it shows."""
    st.title(title)
    f = v.filters
    st.caption(f"{f.start:%a %d %b %Y} – {f.end:%a %d %b %Y}" + (f" · {note}" if note else ""))


def empty(what: str, how: str) -> None:
    """Say what is missing and how to get it."""
    st.info(f"**No {what}.** {how}", icon="ℹ️")


def table(frame: pd.DataFrame, name: str, v: View, column_config: dict | None = None, height: int | str = "auto",
          label: str = "Download CSV") -> None:
    """A table with its CSV download (UTF-8 with BOM, formulas neutralised); text cells stay text."""
    frame = data.only_shown(frame)
    st.dataframe(frame, hide_index=True, column_config=column_config, height=height)
    download(frame, name, v, label)


def download(frame: pd.DataFrame, name: str, v: View, label: str = "Download CSV") -> None:
    """A CSV download of FRAME named for the table and the window."""
    file_name = f"legible-{name}-{v.filters.start}-{v.filters.end}.csv"
    st.download_button(label, csv_bytes(frame), file_name=file_name, mime="text/csv", key=f"csv-{name}",
                       icon=":material/download:", on_click="ignore")


def kpi_charts(frame: pd.DataFrame, keys: tuple[str, ...], v: View, figure, columns: int = 2, prefix: str = "bars",
               when: str = "in this window", missing: dict[str, tuple[str, str]] | None = None) -> None:
    """One chart per KPI of KEYS (built by FIGURE), COLUMNS to a row; a KPI without values says what is missing."""
    for first in range(0, len(keys), columns):
        for col, key in zip(st.columns(columns), keys[first:first + columns], strict=False):
            with col:
                series = data.kpi_series(frame, key)
                if data.has_values(series):
                    chart(figure(series, key, v.names, v.colours), f"{prefix}-{key}", v)
                else:
                    empty(*(missing or {}).get(key, (f"{kpi(key).label.lower()} {when}", help_text(key))))


def chart(fig, key: str, v: View) -> None:
    """A plotly chart; clicking a team's point or bar opens that team's page."""
    event = st.plotly_chart(fig, theme=None, key=key, on_select="rerun", selection_mode="points",
                            config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
    for point in (event.selection.points if event else []):
        team = (point.get("customdata") or [None])[0] or point.get("legendgroup")
        if team in v.names and team != data.UNASSIGNED and team != st.query_params.get("team"):
            open_team(team, v)  # (the team already shown is skipped: its page keeps the chart's selection)


def open_team(team: str, v: View) -> None:
    """Go to TEAM's page, keeping the filters."""
    st.switch_page(TEAM_PAGE, query_params={**v.filters.query(), "team": team})


def team_link(team: str, v: View, label: str | None = None) -> None:
    """A link to TEAM's page that keeps the filters."""
    if team == data.UNASSIGNED:
        st.markdown(f"**{plain(label or v.names.get(team, team))}**")
        return
    st.page_link(TEAM_PAGE, label=plain(label or v.names.get(team, team)), icon=":material/groups:",
                 query_params={**v.filters.query(), "team": team})


def data_as_of(as_of: dict) -> None:
    """When each source last synced successfully."""
    st.caption("Data as of: " + (" · ".join(f"**{plain(source)}** {when:%a %d %b %Y %H:%M} UTC"
                                            for source, when in sorted(as_of.items()))
                                 if as_of else "no successful sync or import recorded yet"))


CELL_HEIGHT = 176  # every scorecard cell the same height, sparkline or not, so rows line up


def metric_cell(col, cell: data.Cell) -> None:
    """One KPI as a metric: the window's value, its change against the baseline coloured by direction, the trend."""
    meta = kpi(cell.key)
    common = {"help": help_text(cell.key), "border": True, "label_visibility": "collapsed", "height": CELL_HEIGHT}
    if meta.unit == "band":
        changed = cell.baseline is not None and cell.baseline != cell.value
        col.metric(meta.label, value_text(cell.value, "band"),
                   f"was {cell.baseline}" if changed else None,
                   delta_color="off", delta_arrow="off", **common)
        return
    change = change_text(cell.value, cell.baseline, meta.unit)
    col.metric(meta.label, value_text(cell.value, meta.unit), change, delta_color=delta_colour(meta.direction, change),
               delta_arrow="off", chart_type="line",
               chart_data=list(cell.trend) if len(cell.trend) > 1 else None, **common)


def kpi_header(col, key: str) -> None:
    """A scorecard column heading: the KPI's label with its definition as help."""
    col.markdown(f"**{kpi(key).label}**", help=help_text(key))


def definitions(keys) -> None:
    """An expander with the definition and the question of each KPI the page shows."""
    with st.expander("What these KPIs mean"):
        for key in keys:
            st.markdown(f"**{kpi(key).label}** (`{key}`): {plain(help_text(key))}")
