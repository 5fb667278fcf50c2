"""The dashboard run by Streamlit's AppTest on a tiny imported organisation (tests/data/dashboard)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from collectors.cli import main as collectors
from dashboard import data, figures
from dashboard.exports import csv_bytes
from dashboard.formats import change_text, delta_colour, value_text
from dashboard.ui import plain
from metrics.compute import kpi_table
from metrics.frames import frames_from_tables
from metrics.inputs import TABLES
from metrics.registry import HEADLINE, kpi
from metrics.report import build_report, render
from store import open_engine, read_frames

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
DATA = ROOT / "tests" / "data" / "dashboard"
PAGES = ["views/weekly.py", "views/team.py", "views/review.py", "views/delivery.py", "views/quality.py",
         "views/people.py", "views/month_three.py"]
WEEK = {"from": "2026-09-28", "to": "2026-10-04"}

pytestmark = pytest.mark.usefixtures("loopback")  # the app listens on 127.0.0.1


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """The fixture organisation: roster synced from teams.yaml, activity imported from the CSVs."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'legible.db'}"
    config = str(DATA / "teams.yaml")
    assert collectors(["sync", "--source", "roster", "--config", config, "--db", url]) == 0
    assert collectors(["import", str(DATA), "--config", config, "--db", url]) == 0
    return url


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> str:
    """A database with the schema and nothing else."""
    url = f"sqlite:///{tmp_path_factory.mktemp('empty') / 'legible.db'}"
    open_engine(url).dispose()
    return url


def run(url: str, monkeypatch, page: str | None = None, setup=None, **params: str) -> AppTest:
    """Run the app against URL with the query parameters PARAMS (SETUP(at) first, e.g. sign-in), then PAGE."""
    monkeypatch.setenv("LEGIBLE_DATABASE_URL", url)
    monkeypatch.delenv("LEGIBLE_CONFIG", raising=False)
    monkeypatch.chdir(ROOT / "tests")  # no teams.yaml or secrets here: the environment decides the database
    at = AppTest.from_file(APP, default_timeout=60)
    if setup:
        setup(at)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def scorecard(at: AppTest) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(team name, KPI label) → (value, delta) as the weekly page shows them; rows in page order."""
    names = [link.proto.label for link in at.get("page_link")]
    labels = [kpi(k).label for k in HEADLINE]
    shown = {}
    for i, m in enumerate(at.metric):
        team = names[i // len(HEADLINE)]
        assert m.label == labels[i % len(HEADLINE)]
        shown[(team, m.label)] = (m.value, m.delta or None)
    return shown


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_fixture(db, monkeypatch, page):
    at = run(db, monkeypatch, page, **WEEK)
    assert not at.error
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_what_is_missing_on_an_empty_database(empty_db, monkeypatch, page):
    at = run(empty_db, monkeypatch, page)
    assert not at.error
    assert any("No " in i.value for i in at.info), [i.value for i in at.info]


def test_empty_database_tells_how_to_load_data(empty_db, monkeypatch):
    at = run(empty_db, monkeypatch)
    assert any("python -m collectors demo" in i.value for i in at.info)


def test_scorecard_shows_kpi_table_values(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    shown = scorecard(at)
    frames = frames_from_tables(read_frames(open_engine(db), TABLES))
    table = kpi_table(frames, dt.date(2026, 9, 28), dt.date(2026, 10, 4))
    for row in table[table["key"].isin(HEADLINE)].itertuples():
        name = {"atlas": "Atlas", "borealis": "Borealis"}[row.team]
        assert shown[(name, kpi(row.key).label)][0] == value_text(row.value, kpi(row.key).unit)
    assert len(shown) == 2 * len(HEADLINE)


def test_scorecard_numbers_by_hand(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    shown = scorecard(at)
    # Atlas merged p1, p2, p3 this week; only p2 had no non-author review: 1/3. Before: p10-p12 all reviewed.
    assert shown[("Atlas", "Unreviewed merges")] == ("33%", "+33 pp")
    # Depth: p1 has a review with a body and an inline comment (2), p2 none, p3 an empty approval: 2/3.
    # Before: p10 has 2 bodies + 1 comment, p11 1 body + 1 comment, p12 1 body: 6/3 = 2.0, so -1.3.
    assert shown[("Atlas", "Review depth")] == ("0.7", "-1.3")
    # Cy (senior) left on 09-30: 2 of the 3 members at the start remain.
    assert shown[("Atlas", "Retention")][0] == "67%"
    assert shown[("Atlas", "Deployment frequency (DORA)")][0] == "High"
    # Borealis has no sprint board: no sample, a dash, never 0.
    assert shown[("Borealis", "Sprint say/do")] == ("—", None)


def test_changes_are_coloured_by_the_kpis_direction(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    colours = {m.label: m.proto.color for m in at.metric[:len(HEADLINE)]}  # Atlas's row
    # Unreviewed merges rose and lower is better: red. Depth fell and higher is better: red. Deploy days rose: green.
    assert colours["Unreviewed merges"] == Metric.RED
    assert colours["Review depth"] == Metric.RED
    assert colours["Deploy days per week"] == Metric.GREEN
    # A band has no direction: grey.
    assert colours["Deployment frequency (DORA)"] == Metric.GRAY


def test_flags_of_the_week_show_the_senior_leaver_and_the_question(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    assert any("Atlas" in m.value and "senior leavers: 1" in m.value for m in at.markdown)
    assert any("Leavers 1" in m.value and "Senior leavers 1" in m.value for m in at.markdown)
    assert any(kpi("senior_leavers").question.split("?")[0] in m.value for m in at.markdown)


def test_query_parameters_choose_the_teams(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK, teams="borealis")
    assert {k[0] for k in scorecard(at)} == {"Borealis"}
    assert at.multiselect(key="f_teams").value == ["borealis"]
    at = run(db, monkeypatch, **WEEK, model="offshoring")
    assert {k[0] for k in scorecard(at)} == {"Atlas"}
    at = run(db, monkeypatch, **WEEK, vendor="Acme Dev")
    assert {k[0] for k in scorecard(at)} == {"Atlas"}


def test_filters_are_written_back_to_the_url(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    at.multiselect(key="f_teams").set_value(["atlas"]).run()
    assert at.query_params["teams"] == "atlas"
    assert at.query_params["from"] == "2026-09-28"
    assert {k[0] for k in scorecard(at)} == {"Atlas"}


def test_window_defaults_to_the_week_just_ended_in_the_data(db, monkeypatch):
    # The fixture's last activity is Friday 2026-10-02, so the last complete week is 09-21 to 09-27.
    at = run(db, monkeypatch)
    assert at.query_params["from"] == "2026-09-21" and at.query_params["to"] == "2026-09-27"
    assert at.selectbox(key="f_preset").value == "week"


def test_a_bad_link_falls_back_and_says_what_is_unknown(db, monkeypatch):
    at = run(db, monkeypatch, **{"from": "yesterday", "to": "2026-10-04"}, teams="atlas,nope")
    assert at.query_params["from"] == "2026-09-21"
    assert any("team nope" in w.value for w in at.warning)
    assert {k[0] for k in scorecard(at)} == {"Atlas"}


def test_team_page_follows_the_team_parameter(db, monkeypatch):
    at = run(db, monkeypatch, "views/team.py", **WEEK, team="borealis")
    assert at.title[0].value == "Borealis"
    assert at.selectbox(key="team_page_team").value == "borealis"
    at.selectbox(key="team_page_team").set_value("atlas").run()
    assert at.title[0].value == "Atlas" and at.query_params["team"] == "atlas"
    at.query_params["team"] = "borealis"  # a click on Borealis's line in a chart
    at.run()
    assert at.title[0].value == "Borealis"


def test_scorecard_download_is_excel_safe(db, monkeypatch, downloads):
    run(db, monkeypatch, **WEEK)
    body = downloads["legible-scorecard-2026-09-28-2026-10-04.csv"]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    atlas = {r["key"]: r for r in rows if r["team"] == "atlas"}
    assert float(atlas["unreviewed_merge_rate"]["value"]) == pytest.approx(1 / 3)
    assert atlas["deploy_frequency_band"]["band"] == "high"


def test_pr_list_download_neutralises_formulas_and_keeps_markup_as_text(db, monkeypatch, downloads):
    at = run(db, monkeypatch, "views/review.py", **WEEK)
    body = downloads["legible-pull-requests-2026-09-28-2026-10-04.csv"].decode("utf-8-sig")
    titles = {r["number"]: r["title"] for r in csv.DictReader(io.StringIO(body))}
    assert titles["3"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert titles["2"] == "<script>alert(1)</script> fix typo"
    assert not any("<script>" in m.value for m in at.markdown)


def test_pr_list_filters(db, monkeypatch):
    at = run(db, monkeypatch, "views/review.py", **WEEK)
    at.selectbox(key="pr_only").set_value("unreviewed").run()
    assert any(c.value.startswith("1 of 4 PRs") for c in at.caption)
    at.selectbox(key="pr_only").set_value("").run()
    at.text_input(key="pr_text").set_value("core").run()
    assert any(c.value.startswith("1 of 4 PRs") for c in at.caption)


def test_printable_report_is_the_markdown_report_as_escaped_html(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    labels = [b.label for b in at.download_button]
    assert "Weekly report (HTML, printable)" in labels and "Weekly report (Markdown)" in labels
    # The buttons build their files when clicked, from these functions.
    start, end = dt.date(2026, 9, 28), dt.date(2026, 10, 4)
    markdown = data.report_markdown(db, start, end, None)
    frames = frames_from_tables(read_frames(open_engine(db), TABLES))
    assert markdown == render(build_report(frames, start, end), "markdown")
    html = data.report_page(db, start, end, None).decode()
    assert "<h1>Legible report 2026-09-28 to 2026-10-04</h1>" in html
    assert "<td>Unreviewed merges</td><td>33%</td><td>0%</td>" in html
    assert "Data as of: import" in html
    assert "<script" not in html


def test_kpi_help_comes_from_the_registry(db, monkeypatch):
    at = run(db, monkeypatch, **WEEK)
    depth = next(m for m in at.metric if m.label == "Review depth")
    assert kpi("review_depth").definition in depth.help
    assert kpi("review_depth").question in depth.help


def test_csv_cells_that_spreadsheets_would_run_get_an_apostrophe():
    frame = pd.DataFrame({"title": ["=1+1", "+cmd", "-2", "@SUM(A1)", "plain", None], "n": [1, 2, 3, 4, 5, 6]})
    body = csv_bytes(frame)
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines == ["title,n", "'=1+1,1", "'+cmd,2", "'-2,3", "'@SUM(A1),4", "plain,5", ",6"]


def test_text_from_the_data_stays_text():
    assert plain("[click](javascript:x) **bold** <b>") == r"\[click\]\(javascript\:x\) \*\*bold\*\* \<b\>"
    fig = figures.kpi_bars(pd.DataFrame({"team": ["t"], "value": [0.5], "n": [3]}), "unreviewed_merge_rate",
                           {"t": "<b>Evil</b>"}, {})
    assert list(fig.data[0].x) == ["&lt;b&gt;Evil&lt;/b&gt;"]


def test_values_and_changes_read_in_their_units():
    assert value_text(0.3333, "ratio") == "33%"
    assert value_text(50.0, "hours") == "2.1 d" and value_text(20.5, "hours") == "20.5 h"
    assert value_text(None, "hours") == "—" and value_text("elite", "band") == "Elite"
    assert change_text(0.40, 0.25, "ratio") == "+15 pp"
    assert change_text(None, 0.25, "ratio") is None
    assert delta_colour("lower", "+15 pp") == "inverse" and delta_colour("higher", "+0 pp") == "off"


def test_quality_page_links_each_bug_to_jira_from_the_roster_settings(db, monkeypatch):
    # teams.yaml has jira.url https://jira.example.com; the roster sync stores it for the metrics' links.
    at = run(db, monkeypatch, "views/quality.py", **WEEK)
    bugs = next(d.value for d in at.dataframe if "issue_key" in d.value.columns)
    links = dict(zip(bugs["issue_key"], bugs["url"], strict=True))
    assert links == {"PAY-1": "https://jira.example.com/browse/PAY-1", "PAY-2": "https://jira.example.com/browse/PAY-2",
                     "CORE-2": "https://jira.example.com/browse/CORE-2"}  # created or resolved in the week
