"""The synthetic demo organisation: teams.yaml and CSV interchange files, deterministic for a seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from collectors.demo.assemble import team_tables
from collectors.demo.org import organisation
from collectors.demo.output import CsvSink, write_config
from collectors.demo.team import build_team

__all__ = ["generate"]


def generate(out_dir: Path, seed: int = 7, scale: int = 1) -> None:
    """Write teams.yaml and the interchange CSVs of the demo (SCALE copies of its six teams) into OUT_DIR."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plans = organisation(scale)
    write_config(out_dir / "teams.yaml", plans, seed, scale)
    with CsvSink(out_dir) as sink:
        architects = np.array([], dtype=object)
        for index, plan in enumerate(plans):
            if plan.sourcing_model == "in_house":  # each copy's in-house team comes first and lends its architects
                architects = np.array([p.login for p in plan.members if p.architect], dtype=object)
            team = build_team(plan, np.random.default_rng([seed, index]), architects)
            sink.write(team_tables(team))
