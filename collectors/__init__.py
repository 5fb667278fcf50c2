"""Collectors: sources (GitHub, Jira, roster, CSV, demo) → normalised rows → the store."""
