"""How KPI values and changes read on screen: units, percentages, hours or days, and a dash for no sample."""

from __future__ import annotations

import math

NO_VALUE = "—"
UNIT_SUFFIX = {"lines": " lines", "points": " pts", "months": " mo"}  # other units are in the KPI's label


def missing(value) -> bool:
    """True for None, NaN and pandas' NA."""
    try:
        return value is None or bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pd.NA
        return True


def value_text(value, unit: str) -> str:
    """A KPI value as a reader wants it: 42%, 3.5 h, 2.1 d, high, 12."""
    if missing(value):
        return NO_VALUE
    if unit == "band":
        return str(value).capitalize()
    return _amount(value, unit, "")


def change_text(value, baseline, unit: str) -> str | None:
    """The change from BASELINE to VALUE in the KPI's unit (ratios in percentage points); None if not comparable."""
    if unit == "band" or missing(value) or missing(baseline):
        return None
    return _amount(value - baseline, unit, "+").replace("%", " pp")


def _amount(number, unit: str, sign: str) -> str:
    """NUMBER in UNIT (ratios as %, hours as h or d past 48 h), with a + on positives when SIGN is "+"."""
    if unit == "ratio":
        return f"{number * 100:{sign}.0f}%"
    if unit == "hours":
        return f"{number / 24:{sign}.1f} d" if abs(number) >= 48 else f"{number:{sign}.1f} h"
    if unit in ("count", "people"):
        return f"{number:{sign},.0f}"
    return f"{number:{sign},.1f}{UNIT_SUFFIX.get(unit, '')}"


def delta_colour(direction: str | None, change: str | None = None) -> str:
    """st.metric's delta_color for a KPI direction: a rise is green when higher is better, red when lower is;
    grey when the shown CHANGE rounds to zero."""
    if change is not None and not any(ch in "123456789" for ch in change):
        return "off"
    return {"higher": "normal", "lower": "inverse"}.get(direction or "", "off")


def verdict(value, baseline, direction: str | None) -> str | None:
    """'better', 'worse' or 'same' for a change, by the KPI's direction; None when there is nothing to compare."""
    if direction is None or missing(value) or missing(baseline):
        return None
    if value == baseline:
        return "same"
    return "better" if (value > baseline) == (direction == "higher") else "worse"
