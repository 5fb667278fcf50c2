"""Times `report` for a 12-month window, all teams, at growing scale: database read and KPI computation apart.

Run: python -m bench.report [--source synthetic|demo] [--scales ...]
  synthetic (default): scale = PRs (issues = PRs / 5), written straight into SQLite by bench.generate;
  demo: scale = `collectors demo --scale` (about 9,300 PRs and 6 teams per unit), loaded by the demo command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def _peak_mb() -> float:
    """The process's peak resident memory since the last reset, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


DEMO_WINDOW = (dt.date(2025, 11, 23), dt.date(2026, 11, 22))  # the demo's last 12 months


def measure(path: str, demo: bool = False) -> dict:
    """Read the store at PATH and build the report; return seconds and peak MB of each step."""
    from bench.generate import window
    from metrics.frames import frames_from_tables
    from metrics.inputs import TABLES
    from metrics.report import build_report
    from store import open_engine, read_frames

    engine = open_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    tables = read_frames(engine, TABLES)
    read_s = time.perf_counter() - started
    read_mb = _peak_mb()
    _reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    report = build_report(frames_from_tables(tables), *(DEMO_WINDOW if demo else window()))
    compute_s, compute_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": sum(len(t) for t in tables.values()), "read_s": read_s, "compute_s": compute_s,
            "compute_cpu_s": compute_cpu_s, "load": os.getloadavg()[0],
            "read_peak_mb": read_mb, "compute_peak_mb": _peak_mb(), "teams": len(report["teams"]),
            "flags": sum(len(t["flags"]) for t in report["teams"])}


def _make(path: Path, scale: int, demo: bool) -> None:
    """Write the store for SCALE at PATH (via a temporary name, so an interrupted run leaves nothing)."""
    from bench.generate import generate

    tmp = Path(f"{path}.tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    if demo:
        subprocess.run([sys.executable, "-m", "collectors", "demo", "--out", str(OUT / f"demo_{scale}"),
                        "--db", f"sqlite:///{tmp}", "--scale", str(scale)], check=True)
    else:
        generate(str(tmp), scale)
    tmp.rename(path)
    print(f"made {path.name} in {time.perf_counter() - started:.0f}s", file=sys.stderr)


def run_scale(scale: int, demo: bool = False) -> dict:
    """Make (once) the store for SCALE and measure it in a fresh process."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{'demo' if demo else 'bench'}_{scale}.db"
    if not path.exists():
        _make(path, scale, demo)
    args = [sys.executable, "-m", "bench.report", "--measure", str(path)] + (["--source", "demo"] if demo else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return {"scale": scale, **json.loads(done.stdout)}


def table(results: list[dict]) -> str:
    """The results as a markdown table."""
    lines = ["| scale | rows read | read s | compute s | compute CPU s | compute/read | read peak MB | "
             "compute peak MB | load |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['scale']:,} | {r['rows']:,} | {r['read_s']:.1f} | {r['compute_s']:.1f} | "
              f"{r['compute_cpu_s']:.1f} | {r['compute_s'] / r['read_s']:.2f} | {r['read_peak_mb']:,.0f} | "
              f"{r['compute_peak_mb']:,.0f} | {r['load']:.1f} |" for r in results]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at each scale and print the table."""
    parser = argparse.ArgumentParser(prog="bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["synthetic", "demo"], default="synthetic", help="data generator")
    parser.add_argument("--scales", help="comma-separated scales (default: 10000,100000,1000000 PRs "
                                         "for synthetic, 1,10,100 for demo)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    demo = args.source == "demo"
    if args.measure:
        print(json.dumps(measure(args.measure, demo)))
        return 0
    results = []
    for scale in (int(s) for s in (args.scales or ("1,10,100" if demo else "10000,100000,1000000")).split(",")):
        results.append(run_scale(scale, demo))
        print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
