"""Metrics: pure pandas functions from store frames to KPI tables, flags and reports."""
