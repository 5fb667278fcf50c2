"""The Jira collector: issues, status transitions and sprints of Jira Cloud and Data Center."""

from collectors.jira.check import check
from collectors.jira.sync import sync

__all__ = ["check", "sync"]
