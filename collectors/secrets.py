"""Secrets named by the config: reading them from the environment, and keeping them out of text."""

from __future__ import annotations

import os

from collectors.config import Config


def secret_values(config: Config) -> list[str]:
    """The values of every secret env var the config names (tokens, e-mails for basic auth)."""
    names = [config.github.token_env, config.jira.token_env, config.jira.email_env]
    return [v for v in (os.environ.get(n) for n in names if n) if v and len(v) >= 4]


def redact(text: str, config: Config) -> str:
    """TEXT with every secret value replaced by ***."""
    for value in secret_values(config):
        text = text.replace(value, "***")
    return text
