"""Everything the pages show, read from the database once and cached: the metrics' answers, reshaped for display."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.access import LOCAL
from dashboard.exports import report_html
from dashboard.filters import Team
from dashboard.formats import value_text
from metrics import compute, delivery, people, quality, report, review, slippage
from metrics.frames import Frames, frames_from_tables
from metrics.inputs import TABLES
from metrics.registry import HEADLINE, KPIS, WATCHED, kpi
from store import last_success, open_engine, read_frame, read_frames, resolve_url, safe_url

TTL = dt.timedelta(minutes=5)  # a sync shows up within five minutes without a restart
BASELINE_WEEKS = 8
SPARK_WEEKS = 12
COHORT_MONTHS = 4  # months since onboarding on the cohort charts (30-day months, as metrics.md)
UNASSIGNED = "unassigned"
OTHER_TEAMS = "other teams"  # reviewers' teams that the viewer may not see


def database_url() -> str:
    """The database: --db after `--` on the streamlit command line, env, .streamlit/secrets.toml, config, default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    cli_url = parser.parse_known_args(sys.argv[1:])[0].db
    return resolve_url(cli_url, _config_url(), _secrets_url())


def _secrets_url() -> str | None:
    try:
        return st.secrets["connections"]["legible"]["url"]
    except (KeyError, FileNotFoundError, AttributeError):
        return None
    except Exception:  # no secrets.toml at all (StreamlitSecretNotFoundError)
        return None


def _config_url() -> str | None:
    from collectors.config import config_path, load_config

    path = config_path(None)
    if not os.path.exists(path):
        return None
    return load_config(path).database


@st.cache_resource(ttl=TTL, show_spinner="Reading the database…")
def frames(url: str) -> Frames:
    """Every table the metrics read, in one consistent snapshot (shared, never mutated)."""
    engine = open_engine(url)
    try:
        return frames_from_tables(read_frames(engine, {**TABLES}))
    finally:
        engine.dispose()


@st.cache_data(ttl=TTL, show_spinner=False)
def data_as_of(url: str) -> dict[str, dt.datetime]:
    """When each source (github, jira, roster, import, demo) last finished a run successfully."""
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return last_success(conn)
    finally:
        engine.dispose()


def describe(url: str) -> str:
    """The database for display, password masked."""
    return safe_url(url)


@st.cache_data(ttl=TTL, show_spinner=False)
def roster(url: str) -> list[Team]:
    """The teams of the roster, for the filters."""
    teams = frames(url).teams.sort_values("name")
    return [Team(r.team_id, r.name, r.sourcing_model, r.vendor if isinstance(r.vendor, str) else None)
            for r in teams.itertuples()]


@st.cache_data(ttl=TTL, show_spinner=False)
def access_rules(url: str) -> list[tuple[str, str]]:
    """The access rules of teams.yaml as (principal, team id) pairs ("*" = every team)."""
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            rules = read_frame(conn, "access_rules")
    finally:
        engine.dispose()
    return list(zip(rules["principal"], rules["team_id"], strict=True))


def only_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME without the unused categories of categorical columns (they would reach the browser unseen)."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.assign(**{c: frame[c].cat.remove_unused_categories() for c in cats}) if cats else frame


def visible_roster(url: str) -> list[Team]:
    """The roster's teams the current viewer may see (every page's list of teams)."""
    viewer = st.session_state.get("viewer", LOCAL)
    return [t for t in roster(url) if viewer.can_see(t.id)]


def team_names(url: str) -> dict[str, str]:
    """Team id → display name (the unassigned pseudo-team included)."""
    return {**{t.id: t.name for t in roster(url)}, UNASSIGNED: "Unassigned"}


@st.cache_data(ttl=TTL, show_spinner=False)
def anchor_day(url: str, today: dt.date) -> dt.date:
    """The day the default window ends near: today, or the last day with activity when the data is older."""
    f = frames(url)
    stamps = [f.pull_requests["created_at"].max(), f.pull_requests["merged_at"].max(),
              f.deployments["finished_at"].max(), f.issues["created_at"].max(), f.issues["resolved_at"].max()]
    known = [s for s in stamps if not pd.isna(s)]
    return min(today, max(known).date()) if known else today


def has_rows(url: str, table: str) -> bool:
    """Whether TABLE holds any row (for empty states)."""
    return not getattr(frames(url), table).empty


# --- the metrics' answers, cached per window and team selection -------------------------------------

def _teams(teams: tuple[str, ...] | None) -> list[str] | None:
    return list(teams) if teams is not None else None


@st.cache_data(ttl=TTL, show_spinner="Computing KPIs…")
def kpis(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Every KPI per team for the window (team, key, value, n)."""
    return compute.kpi_table(frames(url), start, end, _teams(teams))


@st.cache_data(ttl=TTL, show_spinner="Computing weekly KPIs…")
def weekly(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Every KPI per team and ISO week (team, period, key, value, n)."""
    return compute.weekly(frames(url), start, end, _teams(teams))


@st.cache_data(ttl=TTL, show_spinner=False)
def flags(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> list[dict]:
    """The flags whose period ends in the window: slippage and month-three slippage (asked only of the teams
    whose day 89 after onboarding falls in the window, the only ones that can have one)."""
    f = frames(url)
    day_89 = pd.to_datetime(f.teams["started_on"]) + pd.Timedelta(days=slippage.MONTH3_LAST)
    due = f.teams.loc[(day_89 >= pd.Timestamp(start)) & (day_89 <= pd.Timestamp(end)), "team_id"]
    due = [t for t in due if teams is None or t in teams]
    return ((slippage.month_three_flags(f, start, end, due) if due else [])
            + slippage.slippage_flags(f, start, end, _teams(teams)))


@st.cache_data(ttl=TTL, show_spinner=False)
def pr_facts(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """One row per PR behind the review numbers."""
    return review.pr_facts(frames(url), start, end, _teams(teams))


@st.cache_data(ttl=TTL, show_spinner=False)
def _review_matrix(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Who reviews whom, for every team (cached; review_matrix masks it per viewer)."""
    return review.review_matrix(frames(url), start, end, _teams(teams))


def review_matrix(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Who reviews whom: reviewer_team, author_team, prs; teams the viewer may not see become "other teams"."""
    matrix = _review_matrix(url, start, end, teams)
    viewer = st.session_state.get("viewer", LOCAL)
    if viewer.sees_everything:
        return matrix
    seen = matrix["reviewer_team"].map(viewer.can_see).astype(bool)
    masked = matrix.assign(reviewer_team=matrix["reviewer_team"].where(seen, OTHER_TEAMS))
    return masked.groupby(["reviewer_team", "author_team"], as_index=False)["prs"].sum()


@st.cache_data(ttl=TTL, show_spinner=False)
def bug_facts(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """One row per bug behind the quality numbers."""
    return quality.bug_facts(frames(url), start, end, _teams(teams))


@st.cache_data(ttl=TTL, show_spinner=False)
def people_summary(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Headcount, joiners, leavers, retention, tenure per team and vendor (never per person)."""
    return people.people_summary(frames(url), start, end, _teams(teams))


@st.cache_data(ttl=TTL, show_spinner=False)
def month_three(url: str, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Per onboarded team and watched KPI: baseline (days 0-59), month 3 (days 60-89), flagged, verdict."""
    return slippage.month_three(frames(url), _teams(teams))


@st.cache_data(ttl=TTL, show_spinner=False)
def report_markdown(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> str:
    """The weekly report exactly as `python -m metrics report --format markdown` prints it."""
    return report.render(report.build_report(frames(url), start, end, _teams(teams)), "markdown")


def report_page(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> bytes:
    """The printable weekly report: the markdown report as a self-contained HTML page."""
    return report_html(f"Legible weekly report {start} to {end}", report_markdown(url, start, end, teams),
                       describe_as_of(data_as_of(url)))


# --- reshaping for display ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One KPI of one team in the scorecard: the window's value, the team's own baseline, the weekly trend."""

    key: str
    value: object
    n: int
    baseline: object
    trend: tuple[float, ...]


@dataclass(frozen=True)
class ScoreRow:
    """One team's row of the scorecard."""

    team: str
    name: str
    cells: tuple[Cell, ...]


def _lookup(table: pd.DataFrame) -> dict[tuple[str, str], tuple[object, int]]:
    return {(r.team, r.key): (None if pd.isna(r.value) else r.value, int(r.n))
            for r in table.itertuples() if r.key in HEADLINE}


def baseline_window(start: dt.date) -> tuple[dt.date, dt.date]:
    """The team's own baseline: the eight weeks before the window."""
    return start - dt.timedelta(weeks=BASELINE_WEEKS), start - dt.timedelta(days=1)


@st.cache_data(ttl=TTL, show_spinner=False)
def scorecard(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> list[ScoreRow]:
    """The weekly review's scorecard: every team × headline KPI, with baseline and twelve-week trend."""
    now = _lookup(kpis(url, start, end, teams))
    before = _lookup(kpis(url, *baseline_window(start), teams))
    spark_start = end - dt.timedelta(weeks=SPARK_WEEKS) + dt.timedelta(days=1)
    trend_frame = weekly(url, spark_start, end, teams)
    trend_frame = trend_frame[trend_frame["key"].isin(HEADLINE)].sort_values("period")
    trends = {k: tuple(float(v) for v in g["value"] if not pd.isna(v))
              for k, g in trend_frame.groupby(["team", "key"]) if kpi(k[1]).unit != "band"}
    names = team_names(url)
    order = sorted({team for team, _ in now}, key=lambda t: (t == UNASSIGNED, names.get(t, t).lower()))
    return [ScoreRow(team, names.get(team, team), tuple(
        Cell(key, *now.get((team, key), (None, 0)), before.get((team, key), (None, 0))[0],
             trends.get((team, key), ())) for key in HEADLINE)) for team in order]


def scorecard_frame(rows: list[ScoreRow]) -> pd.DataFrame:
    """The scorecard as a table for download: one row per team and KPI (DORA bands in their own column)."""
    def number(value):
        return None if isinstance(value, str) else value

    def band(value):
        return value if isinstance(value, str) else None

    return pd.DataFrame([{"team": r.team, "team_name": r.name, "key": c.key, "kpi": kpi(c.key).label,
                          "value": number(c.value), "band": band(c.value), "n": c.n,
                          "baseline_8_weeks": number(c.baseline), "baseline_band": band(c.baseline)}
                         for r in rows for c in r.cells])


def team_caption(url: str, team: str) -> str:
    """Sourcing model, vendor and location of a team, on one line."""
    row = frames(url).teams.set_index("team_id")
    if team not in row.index:
        return "not on the roster: bots and people without a team"
    info = row.loc[team]
    parts = [info["sourcing_model"].replace("_", " "), info.get("vendor"), info.get("location")]
    return " · ".join(str(p) for p in parts if isinstance(p, str) and p)


def describe_as_of(as_of: dict[str, dt.datetime]) -> str:
    """'Data as of' for the printed report."""
    if not as_of:
        return "Data as of: no successful sync or import recorded."
    return "Data as of: " + "; ".join(f"{source} {when:%Y-%m-%d %H:%M} UTC" for source, when in sorted(as_of.items()))


@dataclass(frozen=True)
class FlagCard:
    """One flag of the week: whose, what, the evidence (lines to read, a table to download), the questions."""

    team: str
    kind: str
    title: str
    icon: str
    evidence: pd.DataFrame
    lines: tuple[str, ...]
    questions: tuple[str, ...]


def _slippage_card(flag: dict) -> FlagCard:
    month_three = flag["kind"] == "month_three_slippage"
    now = "month3" if month_three else "current"
    before_label, now_label = ("months 1-2", "month 3") if month_three else ("56 days before", "last 28 days")
    rows = [{"KPI": kpi(key).label, before_label: value_text(d["baseline"], kpi(key).unit),
             now_label: value_text(d[now], kpi(key).unit), f"n ({before_label})": d["n_baseline"],
             f"n ({now_label})": d[f"n_{now}"]} for key, d in flag["detail"].items()]
    lines = tuple(f"{r['KPI']}: {r[before_label]} → {r[now_label]} (n {r[f'n ({before_label})']} → "
                  f"{r[f'n ({now_label})']})" for r in rows)
    title = (f"month-three slippage (day 89: {flag['period_end']:%d %b %Y})" if month_three
             else f"slipping, last 28 days against the 56 before ({len(rows)} KPIs)")
    return FlagCard(flag["team"], flag["kind"], title, ":red[:material/flag:]" if month_three else
                    ":orange[:material/warning:]", pd.DataFrame(rows), lines,
                    tuple(kpi(key).question for key in flag["metrics"]))


PEOPLE_FLAGS = {"senior_leavers": ":orange[:material/person_remove:]",
                "quiet_members": ":orange[:material/notifications_off:]"}


def _people_cards(table: pd.DataFrame) -> list[FlagCard]:
    cards = []
    wide = table.pivot_table(index="team", columns="key", values="value", aggfunc="first")
    for key, icon in PEOPLE_FLAGS.items():
        if key not in wide:
            continue
        for team, count in wide[key].dropna().items():
            if count > 0:
                shown = [k for k in ("headcount", "leavers", "senior_leavers", "quiet_members") if k in wide]
                row = {kpi(k).label: value_text(wide.at[team, k], "count") for k in shown}
                cards.append(FlagCard(str(team), key, f"{kpi(key).label.lower()}: {int(count)}", icon,
                                      pd.DataFrame([row]), (", ".join(f"{k} {v}" for k, v in row.items()),),
                                      (kpi(key).question,)))
    return cards


@st.cache_data(ttl=TTL, show_spinner=False)
def flag_cards(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> list[FlagCard]:
    """The flags of the week: month-three and weekly slippage, senior leavers, quiet members."""
    cards = [_slippage_card(f) for f in flags(url, start, end, teams)]
    people_rows = kpis(url, start, end, teams)
    return cards + _people_cards(people_rows[people_rows["team"] != UNASSIGNED])


def flags_frame(cards: list[FlagCard]) -> pd.DataFrame:
    """Every flag's evidence in one table, for download."""
    return pd.concat([c.evidence.assign(team=c.team, flag=c.kind, question=" / ".join(c.questions))
                      for c in cards], ignore_index=True)


# --- series and tables for the drill-down pages ----------------------------------------------------

def trend_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Charts over time show the window, stretched back to at least 13 weeks so a trend is visible."""
    return min(start, end - dt.timedelta(weeks=13) + dt.timedelta(days=1)), end


def kpi_series(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """One numeric KPI out of a tidy table: team, (period,) value as float, n."""
    rows = frame[frame["key"] == key].drop(columns="key")
    return rows.assign(value=pd.to_numeric(rows["value"], errors="coerce"))


def has_values(frame: pd.DataFrame) -> bool:
    """Whether a series holds at least one value (else the page shows an empty state)."""
    return bool(frame["value"].notna().any()) if len(frame) else False


def band_rows(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """The DORA band keys of a weekly tidy table for one team: period, key, value."""
    return frame[frame["key"].isin(keys)][["period", "key", "value"]]


def weekly_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every KPI by week for one team, KPIs as rows and weeks as columns, formatted for reading."""
    rows = frame.assign(kpi=[kpi(k).label for k in frame["key"]],
                        text=[value_text(v, kpi(k).unit) for k, v in zip(frame["key"], frame["value"], strict=True)])
    order = {k: i for i, k in enumerate(k.key for k in KPIS)}
    rows = rows.assign(order=rows["key"].map(order)).sort_values(["order", "period"])
    wide = rows.pivot_table(index=["order", "kpi"], columns="period", values="text", aggfunc="first")
    wide.columns = [f"{p:%d %b}" for p in wide.columns]
    return wide.reset_index(level="order", drop=True).reset_index().rename(columns={"kpi": "KPI"})


def window_table(frame: pd.DataFrame, keys: tuple[str, ...], names: dict[str, str]) -> pd.DataFrame:
    """KEYS per team for the window as a readable table (team rows, KPI columns, formatted values)."""
    part = frame[frame["key"].isin(keys)]
    rows = [{"Team": names.get(team, team),
             **{kpi(k).label: value_text(v, kpi(k).unit) for k, v in zip(g["key"], g["value"], strict=True)}}
            for team, g in part.groupby("team", sort=True)]
    return pd.DataFrame(rows, columns=["Team", *(kpi(k).label for k in keys)])


def comparison_teams(url: str, team: str) -> list[str]:
    """The teams a team is compared with: the in-house baseline and the other teams of its sourcing model."""
    teams = visible_roster(url)
    model = next((t.sourcing_model for t in teams if t.id == team), None)
    return [t.id for t in teams if t.id != team and (t.sourcing_model in ("in_house", model))]


def filter_prs(prs: pd.DataFrame, team: str | None, only: str | None, text: str) -> pd.DataFrame:
    """The PR list narrowed to a team, a kind (unreviewed, rubber_stamp, cross_team) and a title search."""
    keep = pd.Series(True, index=prs.index)
    if team:
        keep &= prs["team"] == team
    if only:
        keep &= prs[only].fillna(False).astype(bool)
    if text.strip():
        keep &= prs["title"].fillna("").str.contains(text.strip(), case=False, regex=False)
    return prs[keep].sort_values("merged_at", ascending=False)


def vendor_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """People counts summed per vendor (teams without a vendor: in-house or direct)."""
    counts = [c for c in ("headcount", "joiners", "leavers", "senior_leavers", "quiet_members") if c in summary]
    vendors = summary.assign(vendor=summary["vendor"].fillna("(no vendor)"))
    return vendors.groupby("vendor", as_index=False)[counts].sum()


def cohort(url: str, teams: tuple[str, ...] | None, today: dt.date) -> pd.DataFrame:
    """The watched KPIs week by week, placed on an axis of months since each team's onboarding (first four
    30-day months): team, month (fractional, 1 = the first month), key, value, n."""
    f = frames(url)
    started = f.teams.dropna(subset=["started_on"])
    started = started[started["team_id"].isin(teams)] if teams is not None else started
    onboarded = pd.to_datetime(started.set_index("team_id")["started_on"])
    span = pd.Timedelta(days=30 * COHORT_MONTHS - 1)
    if onboarded.empty:
        return pd.DataFrame(columns=["team", "key", "value", "n", "month"])
    first = max(onboarded.min(), pd.Timestamp(anchor_day(url, today)) - pd.Timedelta(weeks=156)).date()
    last = min((onboarded.max() + span).date(), anchor_day(url, today))
    rows = weekly(url, first, last, tuple(onboarded.index))
    rows = rows[rows["key"].isin(WATCHED)]
    days = (pd.to_datetime(rows["period"]) - rows["team"].map(onboarded)).dt.days
    rows = rows.assign(month=1 + days / 30)[(days >= 0) & (days <= span.days)]
    return rows.drop(columns="period")


def month_three_verdicts(table: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """Per onboarded team: its verdict and the evidence (watched KPIs, months 1-2 against month 3), slipping
    first; a team with fewer KPIs sampled enough in both periods than a flag needs reads 'not enough data'."""
    out = []
    for team, rows in table.groupby("team", sort=True):
        sampled = ((rows["n_baseline"] >= slippage.MIN_SAMPLE) & (rows["n_month3"] >= slippage.MIN_SAMPLE)).sum()
        verdict = str(rows["verdict"].iloc[0]) if sampled >= slippage.MIN_FLAGGED else "not enough data"
        evidence = pd.DataFrame({
            "KPI": [kpi(k).label for k in rows["key"]],
            "Months 1-2": [value_text(v, kpi(k).unit) for k, v in zip(rows["key"], rows["baseline"], strict=True)],
            "Month 3": [value_text(v, kpi(k).unit) for k, v in zip(rows["key"], rows["month3"], strict=True)],
            "n (months 1-2)": rows["n_baseline"].to_list(), "n (month 3)": rows["n_month3"].to_list(),
            "Flagged": rows["flagged"].to_list()})
        out.append((str(team), verdict, evidence))
    return sorted(out, key=lambda item: ({"slipping": 0, "healthy": 1}.get(item[1], 2), item[0]))


def topic_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The six review_topics.* KPIs of a tidy table: team, key, value (float), n."""
    rows = frame[frame["key"].str.startswith("review_topics.")]
    return rows.assign(value=pd.to_numeric(rows["value"], errors="coerce"))


STAGES = {"coding": "Coding", "pickup": "Pickup", "review": "Review", "deploy": "Deploy"}


@st.cache_data(ttl=TTL, show_spinner=False)
def pr_stages(url: str, start: dt.date, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Per team, the median hours of each lead-time stage (metrics.delivery.lead_time_stages) side by side, one
    column per stage, 0 where a stage has no sample (a stacked bar has nothing to stack there)."""
    stages = delivery.lead_time_stages(frames(url), start, end, _teams(teams))
    wide = stages.pivot(index="team", columns="stage", values="hours").reindex(columns=list(STAGES))
    return wide.fillna(0.0).reset_index().rename_axis(columns=None)


def wide_counts(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """KEYS of a tidy table side by side per team (team + one numeric column per key)."""
    part = frame[frame["key"].isin(keys)].assign(value=lambda f: pd.to_numeric(f["value"], errors="coerce"))
    return part.pivot_table(index="team", columns="key", values="value", aggfunc="first").reindex(
        columns=list(keys)).fillna(0).reset_index()


@st.cache_data(ttl=TTL, show_spinner=False)
def open_bug_ages(url: str, end: dt.date, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """The bugs open at the end of END with their age in days (metrics.quality.open_bug_facts)."""
    return quality.open_bug_facts(frames(url), end, _teams(teams))
