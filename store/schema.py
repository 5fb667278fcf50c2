"""The one database's tables: activity (data.md), roster, settings and sync bookkeeping."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from store.types import Day, Timestamp

SCHEMA_VERSION = 1

metadata = MetaData()

# --- activity (grain: one row per source object; keys come from the source) -------------

# One pull request.
pull_requests = Table(
    "pull_requests",
    metadata,
    Column("pr_id", String, primary_key=True),
    Column("repo", String, nullable=False, index=True),
    Column("number", Integer),
    Column("author", String),
    Column("title", Text),
    Column("url", Text),
    Column("created_at", Timestamp, nullable=False),
    Column("ready_at", Timestamp),
    Column("first_commit_at", Timestamp),
    Column("merged_at", Timestamp, index=True),
    Column("closed_at", Timestamp),
    Column("additions", Integer),
    Column("deletions", Integer),
    Column("updated_at", Timestamp),
    Column("author_is_bot", Boolean, nullable=False, default=False),
)

# One submitted review of a pull request.
reviews = Table(
    "reviews",
    metadata,
    Column("review_id", String, primary_key=True),
    Column("pr_id", String, nullable=False, index=True),
    Column("reviewer", String),
    Column("state", String),
    Column("submitted_at", Timestamp),
    Column("body", Text),
    Column("reviewer_is_bot", Boolean, nullable=False, default=False),
    Column("topics", String),
)

# One inline (path set) or conversation (path empty) comment on a pull request.
review_comments = Table(
    "review_comments",
    metadata,
    Column("comment_id", String, primary_key=True),
    Column("pr_id", String, nullable=False, index=True),
    Column("author", String),
    Column("created_at", Timestamp),
    Column("body", Text),
    Column("path", Text),
    Column("author_is_bot", Boolean, nullable=False, default=False),
    Column("topics", String),
)

# One deployment of a repo to an environment.
deployments = Table(
    "deployments",
    metadata,
    Column("deployment_id", String, primary_key=True),
    Column("repo", String, nullable=False, index=True),
    Column("environment", String),
    Column("sha", String),
    Column("created_at", Timestamp),
    Column("finished_at", Timestamp),
    Column("status", String),
    Column("is_production", Boolean, nullable=False, default=False),
)

# One Jira issue, classified at ingest.
issues = Table(
    "issues",
    metadata,
    Column("issue_key", String, primary_key=True),
    Column("project", String, nullable=False, index=True),
    Column("issue_type", String),
    Column("priority", String),
    Column("status", String),
    Column("status_category", String),
    Column("created_at", Timestamp, nullable=False),
    Column("resolved_at", Timestamp),
    Column("assignee", String),
    Column("story_points", Float),
    Column("labels", Text),
    Column("sprint_id", String),
    Column("updated_at", Timestamp),
    Column("is_bug", Boolean, nullable=False, default=False),
    Column("is_incident", Boolean, nullable=False, default=False),
    Column("is_escaped", Boolean, nullable=False, default=False),
)

# One status change of an issue, from its changelog.
issue_transitions = Table(
    "issue_transitions",
    metadata,
    Column("issue_key", String, primary_key=True),
    Column("at", Timestamp, primary_key=True),
    Column("from_status", String, primary_key=True),
    Column("to_status", String, primary_key=True),
    Column("from_category", String),
    Column("to_category", String),
)

# One sprint of a board.
sprints = Table(
    "sprints",
    metadata,
    Column("sprint_id", String, primary_key=True),
    Column("board_id", String, nullable=False, index=True),
    Column("name", String),
    Column("state", String),
    Column("start_at", Timestamp),
    Column("end_at", Timestamp),
    Column("completed_at", Timestamp),
    Column("committed_points", Float),
    Column("completed_points", Float),
    Column("points_source", String),
)

# --- roster (from teams.yaml; replaced whole by each roster sync) -----------------------

# One team.
teams = Table(
    "teams",
    metadata,
    Column("team_id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("sourcing_model", String, nullable=False),
    Column("vendor", String),
    Column("location", String),
    Column("timezone", String, nullable=False),
    Column("started_on", Day),
)

# One person (id: github:LOGIN, else jira:ACCOUNT, else email:ADDRESS).
people = Table(
    "people",
    metadata,
    Column("person_id", String, primary_key=True),
    Column("name", String),
    Column("email", String),
)

# One source identity of a person (source: github | jira | email).
identities = Table(
    "identities",
    metadata,
    Column("source", String, primary_key=True),
    Column("identity", String, primary_key=True),
    Column("person_id", String, nullable=False),
)

# One stretch of a person on a team: joined_on up to the day before left_on.
memberships = Table(
    "memberships",
    metadata,
    Column("team_id", String, primary_key=True),
    Column("person_id", String, primary_key=True),
    Column("joined_on", Day, primary_key=True),
    Column("left_on", Day),
    Column("seniority", String),
)

# A repo and the team that owns it.
team_repos = Table(
    "team_repos",
    metadata,
    Column("repo", String, primary_key=True),
    Column("team_id", String, nullable=False),
)

# A Jira project and the team that owns it.
team_jira_projects = Table(
    "team_jira_projects",
    metadata,
    Column("project", String, primary_key=True),
    Column("team_id", String, nullable=False),
)

# A Jira board and the team that owns it.
team_boards = Table(
    "team_boards",
    metadata,
    Column("board_id", String, primary_key=True),
    Column("team_id", String, nullable=False),
)

# Who may see a team: an e-mail or @domain, and a team id ("*" = every team, for leadership).
access_rules = Table(
    "access_rules",
    metadata,
    Column("principal", String, primary_key=True),
    Column("team_id", String, primary_key=True),
)

# --- settings and bookkeeping -------------------------------------------------------------

# The config's policy as last synced (rubber_stamp_min_lines, incident_window_days, ...).
settings = Table(
    "settings",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text),
)

# The schema version and other facts about the database itself.
meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text),
)

# A bookmark per source, stream and scope (repo, project or board).
sync_state = Table(
    "sync_state",
    metadata,
    Column("source", String, primary_key=True),
    Column("stream", String, primary_key=True),
    Column("scope", String, primary_key=True),
    Column("bookmark", Text),
    Column("updated_at", Timestamp),
)

# One run of a source: start, end, status, rows written, error.
sync_runs = Table(
    "sync_runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String, nullable=False),
    Column("started_at", Timestamp, nullable=False),
    Column("finished_at", Timestamp),
    Column("status", String, nullable=False),
    Column("rows_written", Integer, nullable=False, default=0),
    Column("error", Text),
)

ACTIVITY_TABLES = (
    "pull_requests",
    "reviews",
    "review_comments",
    "deployments",
    "issues",
    "issue_transitions",
    "sprints",
)
ROSTER_TABLES = (
    "teams",
    "people",
    "identities",
    "memberships",
    "team_repos",
    "team_jira_projects",
    "team_boards",
    "access_rules",
)
