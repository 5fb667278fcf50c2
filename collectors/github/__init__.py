"""The GitHub collector: pull requests, reviews, comments and deployments into the store."""

from collectors.github.check import check
from collectors.github.sync import sync

__all__ = ["sync", "check"]
