"""`collectors check` for GitHub: the token, GraphQL access and every configured repo."""

from __future__ import annotations

from dataclasses import replace
from typing import TextIO

from collectors.config import Config
from collectors.github.client import Client, GitHubError, NotFound, Tuning
from collectors.github.queries import CHECK


def check(config: Config, stream: TextIO) -> int:
    """Print one line per probe (token, GraphQL, each repo); return the number of problems."""
    try:
        client = Client(config, replace(Tuning.from_env(), tries=2))
    except GitHubError as exc:
        stream.write(f"github: {exc}\n")
        return 1
    problems = 0
    try:
        if config.github.api == "graphql":
            try:
                data = client.graphql(CHECK, {})
                rate = data.get("rateLimit") or {}
                stream.write(f"github: GraphQL ok as {data['viewer']['login']}; "
                             f"{rate.get('remaining')}/{rate.get('limit')} points left\n")
            except GitHubError as exc:
                stream.write(f"github: GraphQL: {exc} (set github.api: rest for servers without GraphQL)\n")
                problems += 1
        for repo in [r for team in config.teams for r in team.repos]:
            try:
                client.get(f"/repos/{repo}")
                stream.write(f"github: {repo}: ok\n")
            except NotFound:
                stream.write(f"github: {repo}: not found, or not visible to the token\n")
                problems += 1
            except GitHubError as exc:
                stream.write(f"github: {repo}: {exc}\n")
                problems += 1
    finally:
        client.close()
    return problems
