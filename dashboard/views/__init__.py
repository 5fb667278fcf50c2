"""The dashboard's pages: each only lays out widgets (data in dashboard.data, charts in dashboard.figures)."""
