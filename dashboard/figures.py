"""Every chart of the dashboard, in one consistent style readable on a projector."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from dashboard.formats import value_text
from metrics.registry import kpi

# A colour per team, stable across pages: the roster's teams in id order take the palette in turn.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#d62728", "#7f7f7f", "#393b79", "#637939")
UNASSIGNED_COLOUR = "#9aa4ae"
BETTER, WORSE, NEUTRAL = "#1a7f37", "#cf222e", "#8c959f"
BAND_COLOURS = {"elite": "#1a7f37", "high": "#57ab5a", "medium": "#d4a72c", "low": "#cf222e"}
PARTS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2")  # colours of the parts of a whole (stacked or grouped)
BANDS = ("low", "medium", "high", "elite")
FONT = {"family": "Inter, 'Segoe UI', Helvetica, Arial, sans-serif", "size": 17, "color": "#1f2328"}
DIMENSIONS = ("architecture", "failure_modes", "observability", "tests", "rollback", "security")


def _n(names: dict[str, str], team: str) -> str:
    """A team's display name for plotly, which renders some HTML in text: escaped, so it stays text."""
    return html.escape(names.get(team, team))


def team_colours(team_ids: list[str]) -> dict[str, str]:
    """Team id → colour, from every team of the roster so a team keeps its colour on every page."""
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(team_ids))}
    colours["unassigned"] = UNASSIGNED_COLOUR
    return colours


def _style(fig: go.Figure, title: str, y_title: str = "", height: int = 420) -> go.Figure:
    """The house style: large type, white background, light grid, legend on top, no mode bar clutter."""
    fig.update_layout(
        title={"text": title, "font": {"size": 22}, "x": 0, "xanchor": "left", "yref": "container", "y": 0.98,
               "yanchor": "top"},
        font=FONT, height=height, template="plotly_white", margin={"l": 70, "r": 30, "t": 130, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": 16}, "title": None},
        hoverlabel={"font_size": 16}, clickmode="event+select",
    )
    fig.update_xaxes(showgrid=False, tickfont={"size": 15}, title_font={"size": 16})
    fig.update_yaxes(gridcolor="#e6e9ed", zeroline=False, title={"text": y_title}, tickfont={"size": 15},
                     title_font={"size": 16}, rangemode="tozero")
    return fig


def _axis_format(key: str) -> dict:
    unit = kpi(key).unit
    return {"tickformat": ".0%"} if unit == "ratio" else {}


def _y_title(key: str) -> str:
    meta = kpi(key)
    return "" if meta.unit in ("ratio", "count", "band") else meta.unit


def kpi_trend(frame: pd.DataFrame, key: str, names: dict[str, str], colours: dict[str, str],
              title: str | None = None, focus: str | None = None) -> go.Figure:
    """One KPI per team over time (frame: team, period, value, n); FOCUS stands out, the others are dotted."""
    fig = go.Figure()
    for team, rows in frame.sort_values("period").groupby("team", sort=True):
        muted = focus is not None and team != focus
        fig.add_trace(go.Scatter(
            x=rows["period"], y=rows["value"], name=_n(names, team), mode="lines+markers",
            line={"color": colours.get(team, UNASSIGNED_COLOUR), "width": 2 if muted else 4,
                  "dash": "dot" if muted else "solid"}, marker={"size": 6 if muted else 10},
            opacity=0.7 if muted else 1.0,
            customdata=[[team, n] for n in rows["n"]], legendgroup=team, connectgaps=False,
            hovertemplate=_n(names, team) + "<br>%{x|%d %b %Y}: %{y}<br>n = %{customdata[1]}<extra></extra>",
        ))
    fig = _style(fig, title or kpi(key).label, _y_title(key))
    fig.update_yaxes(**_axis_format(key))
    return fig


def kpi_bars(frame: pd.DataFrame, key: str, names: dict[str, str], colours: dict[str, str],
             title: str | None = None) -> go.Figure:
    """One KPI per team for the window as bars (frame: team, value, n), click a bar to open the team."""
    rows = frame.dropna(subset=["value"]).sort_values("value", ascending=kpi(key).direction == "lower")
    fig = go.Figure(go.Bar(
        x=[_n(names, t) for t in rows["team"]], y=rows["value"],
        marker_color=[colours.get(t, UNASSIGNED_COLOUR) for t in rows["team"]],
        customdata=[[t, n] for t, n in zip(rows["team"], rows["n"], strict=True)],
        text=[value_text(v, kpi(key).unit) for v in rows["value"]], textposition="outside",
        textfont={"size": 16}, cliponaxis=False,
        hovertemplate="%{x}: %{text}<br>n = %{customdata[1]}<extra></extra>",
    ))
    fig = _style(fig, title or kpi(key).label, _y_title(key))
    fig.update_yaxes(**_axis_format(key))
    return fig


def stacked_bars(frame: pd.DataFrame, parts: dict[str, str], names: dict[str, str], title: str,
                 y_title: str, colours: tuple[str, ...] = PARTS) -> go.Figure:
    """Per team, PARTS (column → label) stacked into one bar (e.g. lead time: coding, pickup, review, deploy)."""
    fig = go.Figure()
    labels = [_n(names, t) for t in frame["team"]]
    for (column, label), colour in zip(parts.items(), colours, strict=False):
        fig.add_trace(go.Bar(x=labels, y=frame[column], name=label, marker_color=colour,
                             customdata=[[t] for t in frame["team"]],
                             hovertemplate=f"%{{x}}<br>{label}: %{{y:.1f}}<extra></extra>"))
    fig.update_layout(barmode="stack")
    return _style(fig, title, y_title)


def review_matrix(frame: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """Who reviews whom: reviewer team (rows) × author team (columns), PR counts."""
    grid = frame.pivot_table(index="reviewer_team", columns="author_team", values="prs", aggfunc="sum", fill_value=0)
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[_n(names, c) for c in grid.columns], y=[_n(names, r) for r in grid.index],
        colorscale=[[0, "#f6f8fa"], [1, "#1f4e79"]], text=grid.values, texttemplate="%{text}",
        textfont={"size": 18}, hovertemplate="%{y} reviewed %{z} PRs of %{x}<extra></extra>", showscale=False,
    ))
    fig = _style(fig, "Who reviews whom (PRs reviewed)", "reviewer team", height=max(360, 80 * len(grid) + 160))
    fig.update_xaxes(title={"text": "author team"}, side="bottom")
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    return fig


def topic_coverage(frame: pd.DataFrame, names: dict[str, str], colours: dict[str, str]) -> go.Figure:
    """Share of reviewed PRs whose review touches each of the six dimensions, per team (frame: team, key, value)."""
    fig = go.Figure()
    for team, rows in frame.groupby("team", sort=True):
        values = dict(zip(rows["key"], rows["value"], strict=True))
        fig.add_trace(go.Bar(
            x=[kpi(f"review_topics.{d}").label.removeprefix("Reviews on ") for d in DIMENSIONS],
            y=[values.get(f"review_topics.{d}") for d in DIMENSIONS], name=_n(names, team),
            marker_color=colours.get(team, UNASSIGNED_COLOUR), customdata=[[team]] * len(DIMENSIONS),
            legendgroup=team, hovertemplate="%{x}: %{y:.0%}<extra>" + _n(names, team) + "</extra>",
        ))
    fig.update_layout(barmode="group")
    fig = _style(fig, "Review dimensions touched (share of PRs)")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return fig


def distribution(frame: pd.DataFrame, column: str, names: dict[str, str], colours: dict[str, str],
                 title: str, x_title: str) -> go.Figure:
    """A box plot of COLUMN per team, every point shown (e.g. bug resolution hours)."""
    fig = go.Figure()
    for team, rows in frame.dropna(subset=[column]).groupby("team", sort=True):
        fig.add_trace(go.Box(
            y=rows[column], name=_n(names, team), marker_color=colours.get(team, UNASSIGNED_COLOUR),
            boxpoints="all", jitter=0.4, pointpos=0, customdata=[[team]] * len(rows), legendgroup=team,
        ))
    fig = _style(fig, title, x_title)
    fig.update_layout(showlegend=False)
    return fig


def grouped_bars(frame: pd.DataFrame, columns: dict[str, str], names: dict[str, str], title: str,
                 y_title: str = "", colours: tuple[str, ...] = PARTS) -> go.Figure:
    """Per team (frame.team), several counts side by side (columns: column → label)."""
    fig = go.Figure()
    labels = [_n(names, t) for t in frame["team"]]
    for (column, label), colour in zip(columns.items(), colours, strict=False):
        fig.add_trace(go.Bar(x=labels, y=frame[column], name=label, marker_color=colour,
                             customdata=[[t] for t in frame["team"]], text=frame[column], textposition="outside",
                             cliponaxis=False))
    fig.update_layout(barmode="group")
    return _style(fig, title, y_title)


def cohort(frame: pd.DataFrame, key: str, names: dict[str, str], colours: dict[str, str]) -> go.Figure:
    """Teams aligned by months since onboarding for one watched KPI (frame: team, month, value, n)."""
    fig = go.Figure()
    for team, rows in frame.sort_values("month").groupby("team", sort=True):
        fig.add_trace(go.Scatter(
            x=rows["month"], y=rows["value"], name=_n(names, team), mode="lines+markers",
            line={"color": colours.get(team, UNASSIGNED_COLOUR), "width": 3}, marker={"size": 10},
            customdata=[[team, n] for n in rows["n"]], legendgroup=team,
            hovertemplate=_n(names, team) + "<br>month %{x:.1f}: %{y}<br>n = %{customdata[1]}<extra></extra>",
        ))
    fig.add_vrect(x0=3, x1=4, fillcolor="#fff4d6", line_width=0, layer="below",
                  annotation_text="month 3", annotation_position="top left")
    fig = _style(fig, kpi(key).label, _y_title(key), height=360)
    fig.update_xaxes(title={"text": "months since onboarding (month 1 starts on the onboarding day)"}, dtick=1,
                     range=[1, 5])
    fig.update_yaxes(**_axis_format(key))
    return fig


def band_timeline(frame: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """DORA bands per key and week as coloured cells (frame: period, key, value)."""
    rows = frame.dropna(subset=["value"])
    fig = go.Figure()
    for band in BANDS:
        part = rows[rows["value"] == band]
        fig.add_trace(go.Scatter(
            x=part["period"], y=[kpi(k).label for k in part["key"]], mode="markers", name=band.capitalize(),
            marker={"symbol": "square", "size": 22, "color": BAND_COLOURS[band]},
            hovertemplate="%{y}, week of %{x|%d %b}: " + band + "<extra></extra>",
        ))
    fig = _style(fig, "DORA bands by week", height=300)
    fig.update_yaxes(rangemode="normal", gridcolor="rgba(0,0,0,0)")
    return fig
