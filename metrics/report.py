"""The report of `python -m metrics report`: the JSON shape of spec/cli.md, rendered as table, json, csv or markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd

from metrics.compute import kpi_table
from metrics.registry import KPIS, kpi
from metrics.slippage import month_three_flags, slippage_flags

FORMATS = ("table", "json", "csv", "markdown")


def _flag_json(flag: dict) -> dict:
    """A flag as it appears in the report (without the team, which is the enclosing object)."""
    return {"kind": flag["kind"], "metrics": flag["metrics"], "detail": flag["detail"],
            "period_end": flag["period_end"].isoformat()}


def build_report(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> dict:
    """Every KPI of every team for the window, with the month-three and slippage flags ending inside it."""
    table = kpi_table(frames, start, end, teams)
    flags = month_three_flags(frames, start, end, teams) + slippage_flags(frames, start, end, teams)
    info = frames.facts.teams.set_index("team_id")
    out = []
    for team, rows in table.groupby("team", sort=False):
        meta = info.loc[team]
        out.append({
            "id": team, "name": meta["name"], "sourcing_model": meta["sourcing_model"], "vendor": meta["vendor"],
            "metrics": {r.key: {"value": r.value, "n": int(r.n)} for r in rows.itertuples()},
            "flags": [_flag_json(f) for f in flags if f["team"] == team],
        })
    return {"from": start.isoformat(), "to": end.isoformat(), "teams": out}


def _value_text(key: str, value) -> str:
    """A value for people: ratios as percentages, floats to one or two decimals, null as a dash."""
    if value is None:
        return "–"
    unit = kpi(key).unit
    if isinstance(value, str) or isinstance(value, int) and unit in ("count", "people"):
        return str(value)
    if unit == "ratio":
        return f"{100 * value:.0f}%"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def _rows(report: dict) -> list[dict]:
    """Flat rows team, key, value, n (the CSV export)."""
    return [{"team": t["id"], "key": key, "value": cell["value"], "n": cell["n"]}
            for t in report["teams"] for key, cell in t["metrics"].items()]


def _grid(report: dict) -> tuple[list[str], list[list[str]]]:
    """KPIs down, teams across, values formatted for reading."""
    header = ["KPI", *(t["id"] for t in report["teams"])]
    body = [[k.label, *(_value_text(k.key, t["metrics"][k.key]["value"]) for t in report["teams"])] for k in KPIS]
    return header, body


def _flag_lines(report: dict) -> list[str]:
    return [f"{t['id']}: {f['kind']} ({f['period_end']}): {', '.join(f['metrics'])}"
            for t in report["teams"] for f in t["flags"]]


def render(report: dict, fmt: str) -> str:
    """REPORT as FORMAT: table (plain text), json, csv (team, key, value, n) or markdown."""
    if fmt == "json":
        return json.dumps(report, indent=2, allow_nan=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["team", "key", "value", "n"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(_rows(report))
        return buffer.getvalue()
    header, body = _grid(report)
    flags = _flag_lines(report) or ["none"]
    title = f"Legible report {report['from']} to {report['to']}"
    if fmt == "markdown":
        lines = [f"# {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join([*lines, "", "## Flags", "", *(f"- {line}" for line in flags)]) + "\n"
    if fmt == "table":
        frame = pd.DataFrame(body, columns=header)
        return "\n".join([title, "", frame.to_string(index=False), "", "Flags:", *(f"  {x}" for x in flags)]) + "\n"
    raise ValueError(f"unknown format '{fmt}' (use one of {', '.join(FORMATS)})")
