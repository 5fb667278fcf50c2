"""The Streamlit dashboard: the weekly leadership review and its drill-downs."""
