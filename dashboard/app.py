"""Legible's dashboard: `streamlit run dashboard/app.py [-- --db URL]`. Navigation and shared filters, then the page."""

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from collectors.config import ConfigError  # noqa: E402
from dashboard import data, filters, signin  # noqa: E402
from store import StoreError  # noqa: E402

st.set_page_config(page_title="Legible", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("views/weekly.py", title="Weekly review", icon=":material/event_note:", default=True),
    st.Page("views/team.py", title="Team", icon=":material/groups:", url_path="team"),
    st.Page("views/review.py", title="Review quality", icon=":material/rate_review:", url_path="review"),
    st.Page("views/delivery.py", title="Delivery", icon=":material/rocket_launch:", url_path="delivery"),
    st.Page("views/quality.py", title="Quality", icon=":material/bug_report:", url_path="quality"),
    st.Page("views/people.py", title="People", icon=":material/diversity_3:", url_path="people"),
    st.Page("views/month_three.py", title="Month three", icon=":material/timeline:", url_path="month-three"),
]

# Projector-sized type for the scorecard's metrics (static CSS, nothing from the data).
STYLE = """<style>
[data-testid="stMetricValue"] { font-size: 1.9rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; }
[data-testid="stMetricDelta"] { font-size: 0.95rem; padding-left: 0.2rem; padding-right: 0.2rem; }
[data-testid="stMetricDelta"] div { overflow: visible; text-overflow: clip; white-space: nowrap; }
[data-testid="stMetric"] { padding: 0.5rem 0.45rem; }
h1 { font-size: 2.6rem !important; }
</style>"""

page = st.navigation(PAGES)
st.markdown(STYLE, unsafe_allow_html=True)
try:
    url = data.database_url()
    anchor = data.anchor_day(url, dt.date.today())
except (ConfigError, StoreError) as exc:
    st.error(f"Cannot open the database: {exc}", icon="🛑")
    st.stop()
st.session_state["db_url"] = url
st.session_state["viewer"] = signin.gate(url)
st.session_state["filters"] = filters.sidebar(data.visible_roster(url), anchor)
with st.sidebar:
    as_of = data.data_as_of(url)
    st.caption("Data as of (last successful run): " + (
        " · ".join(f"{source} {when:%d %b %H:%M} UTC" for source, when in sorted(as_of.items()))
        if as_of else "no successful sync yet"))
    if st.session_state["viewer"].sees_everything:  # where the data lives is for leadership and operators
        st.caption(f"Database: {data.describe(url)}")
page.run()
