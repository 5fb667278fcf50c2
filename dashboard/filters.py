"""The shared sidebar filters (window, teams, sourcing model, vendor), kept in the URL's query parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

# Window presets: label and length in ISO weeks (all end on the Sunday of the week just ended).
PRESETS = {"week": ("Week just ended", 1), "4w": ("Last 4 weeks", 4), "13w": ("Last 13 weeks", 13),
           "custom": ("Custom dates", 0)}
SOURCING_MODELS = ("in_house", "outsourcing", "offshoring", "nearshoring", "staff_augmentation")
# Query parameters that the filters own (pages may add their own, e.g. team).
KEYS = ("from", "to", "teams", "model", "vendor")


@dataclass(frozen=True)
class Team:
    """What the filters need to know about one team of the roster."""

    id: str
    name: str
    sourcing_model: str
    vendor: str | None


@dataclass(frozen=True)
class Filters:
    """The view every page shows: a window of days and the chosen teams, models and vendors."""

    start: dt.date
    end: dt.date
    teams: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()

    def query(self) -> dict[str, str]:
        """The query parameters that reproduce this view (empty choices are left out)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat(),
                  "teams": ",".join(self.teams), "model": ",".join(self.models), "vendor": ",".join(self.vendors)}
        return {k: v for k, v in params.items() if v}

    def team_ids(self, roster: Sequence[Team]) -> list[str] | None:
        """The ids of the roster teams the view covers, or None for every team (unassigned included)."""
        if not (self.teams or self.models or self.vendors):
            return None
        return [t.id for t in roster
                if (not self.teams or t.id in self.teams)
                and (not self.models or t.sourcing_model in self.models)
                and (not self.vendors or (t.vendor or "") in self.vendors)]


def week_just_ended(anchor: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the last complete ISO week ending on or before ANCHOR."""
    sunday = anchor - dt.timedelta(days=(anchor.weekday() + 1) % 7)
    return sunday - dt.timedelta(days=6), sunday


def preset_window(preset: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The days of a preset window (its weeks end with the week just ended)."""
    monday, sunday = week_just_ended(anchor)
    weeks = PRESETS[preset][1] or 1
    return monday - dt.timedelta(weeks=weeks - 1), sunday


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _listed(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def from_query(params: Mapping[str, str], anchor: dt.date) -> Filters:
    """The filters a link asks for; a missing or unreadable window falls back to the week just ended."""
    start, end = _day(params.get("from")), _day(params.get("to"))
    if not (start and end and start <= end):
        start, end = week_just_ended(anchor)
    return Filters(start, end, _listed(params.get("teams")), _listed(params.get("model")),
                   _listed(params.get("vendor")))


def _preset_of(start: dt.date, end: dt.date, anchor: dt.date) -> str:
    return next((p for p in PRESETS if p != "custom" and preset_window(p, anchor) == (start, end)), "custom")


def _on_preset(anchor: dt.date) -> None:
    preset = st.session_state["f_preset"]
    if preset != "custom":
        st.session_state["f_range"] = preset_window(preset, anchor)


def _on_range(anchor: dt.date) -> None:
    chosen = st.session_state["f_range"]
    if len(chosen) == 2:
        st.session_state["f_preset"] = _preset_of(chosen[0], chosen[1], anchor)


def _init_state(roster: Sequence[Team], anchor: dt.date) -> list[str]:
    """Seed the widgets from the URL on a session's first run; return what the link asked for but is unknown."""
    if "f_range" in st.session_state:
        return []
    asked = from_query(st.query_params, anchor)
    ids = {t.id for t in roster}
    vendors = {t.vendor for t in roster if t.vendor}
    st.session_state["f_range"] = (asked.start, asked.end)
    st.session_state["f_preset"] = _preset_of(asked.start, asked.end, anchor)
    st.session_state["f_teams"] = [t for t in asked.teams if t in ids]
    st.session_state["f_models"] = [m for m in asked.models if m in SOURCING_MODELS]
    st.session_state["f_vendors"] = [v for v in asked.vendors if v in vendors]
    return ([f"team {t}" for t in asked.teams if t not in ids]
            + [f"sourcing model {m}" for m in asked.models if m not in SOURCING_MODELS]
            + [f"vendor {v}" for v in asked.vendors if v not in vendors])


def sidebar(roster: Sequence[Team], anchor: dt.date) -> Filters:
    """Draw the filters in the sidebar, seeded from the URL, and write the chosen view back into the URL."""
    unknown = _init_state(roster, anchor)
    names = {t.id: t.name for t in roster}
    with st.sidebar:
        st.selectbox("Window", list(PRESETS), format_func=lambda p: PRESETS[p][0], key="f_preset",
                     on_change=_on_preset, args=(anchor,))
        st.date_input("From / to", key="f_range", on_change=_on_range, args=(anchor,), format="YYYY-MM-DD")
        st.multiselect("Teams", list(names), format_func=lambda t: names.get(t, t), key="f_teams",
                       placeholder="All teams")
        st.multiselect("Sourcing model", list(SOURCING_MODELS), format_func=lambda m: m.replace("_", " "),
                       key="f_models", placeholder="All models")
        st.multiselect("Vendor", sorted({t.vendor for t in roster if t.vendor}), key="f_vendors",
                       placeholder="All vendors")
        if unknown:
            st.warning("The link names what this database does not hold or you may not see: "
                       + ", ".join(unknown), icon="⚠️")
    chosen = st.session_state["f_range"]
    start, end = (chosen[0], chosen[1]) if len(chosen) == 2 else week_just_ended(anchor)
    filters = Filters(start, end, tuple(st.session_state["f_teams"]), tuple(st.session_state["f_models"]),
                      tuple(st.session_state["f_vendors"]))
    write_query(filters)
    return filters


def write_query(filters: Filters) -> None:
    """Put the view into the URL, leaving the page's own parameters alone."""
    wanted = filters.query()
    for key in KEYS:
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]


def current() -> Filters:
    """The filters app.py chose for this run (pages call this)."""
    return st.session_state["filters"]
