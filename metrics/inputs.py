"""The store tables and columns the metrics read (dashboard and report call store.read_frames(engine, TABLES))."""

from __future__ import annotations

TABLES: dict[str, list[str] | None] = {
    "pull_requests": ["pr_id", "repo", "number", "author", "title", "url", "created_at", "ready_at",
                      "first_commit_at", "merged_at", "additions", "deletions", "author_is_bot"],
    "reviews": ["review_id", "pr_id", "reviewer", "state", "submitted_at", "body", "reviewer_is_bot", "topics"],
    "review_comments": ["comment_id", "pr_id", "author", "created_at", "body", "author_is_bot", "topics"],
    "deployments": ["deployment_id", "repo", "finished_at", "status", "is_production"],
    "issues": ["issue_key", "project", "issue_type", "priority", "status", "status_category", "created_at",
               "resolved_at", "assignee", "is_bug", "is_incident", "is_escaped"],
    "issue_transitions": ["issue_key", "at", "from_category", "to_category"],
    "sprints": ["sprint_id", "board_id", "name", "state", "completed_at", "committed_points", "completed_points"],
    "teams": None,
    "people": None,
    "identities": None,
    "memberships": None,
    "team_repos": None,
    "team_jira_projects": None,
    "team_boards": None,
    "settings": None,
}
