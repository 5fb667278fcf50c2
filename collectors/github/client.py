"""GitHub over HTTP through PyGithub's requester: retries, backoff, rate-limit pacing, counting."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import requests
from github import Auth, Github, GithubException

from collectors.config import Config
from collectors.secrets import redact


class GitHubError(Exception):
    """A request that failed for good; the message is one line and holds no secret."""


class NotFound(GitHubError):
    """The repo (or object) does not exist or the token cannot see it."""


@dataclass(frozen=True)
class Tuning:
    """Knobs of the GitHub collector; override with LEGIBLE_GITHUB_TUNING="name=value,name=value"."""

    tries: int = 6                 # attempts per request before the repo fails
    backoff_base: float = 1.0      # seconds; the n-th retry waits about base * 2**(n-1), jittered
    backoff_cap: float = 60.0      # longest backoff between two attempts
    secondary_wait: float = 60.0   # base wait after a secondary rate limit without Retry-After (GitHub: >= 1 min)
    max_wait: float = 3600.0       # longest Retry-After / rate-limit reset honoured before failing
    reserve: int = 200             # below this many requests or points left, spread the rest until reset
    timeout: int = 30              # seconds per HTTP request (PyGithub takes whole seconds)
    overlap_minutes: int = 60      # incremental re-read window before each bookmark
    prs: int = 50                  # pull requests per GraphQL page
    reviews: int = 40              # reviews per pull request in the page query
    threads: int = 20              # review threads per pull request
    thread_comments: int = 10      # inline comments per thread
    comments: int = 40             # conversation comments per pull request
    deployments: int = 50          # deployments or releases per page
    follow_up: int = 100           # items per nested follow-up page

    @classmethod
    def from_env(cls, text: str | None = None) -> Tuning:
        """The defaults with LEGIBLE_GITHUB_TUNING's name=value pairs applied."""
        text = os.environ.get("LEGIBLE_GITHUB_TUNING", "") if text is None else text
        kinds = {f.name: f.type for f in fields(cls)}
        changes: dict[str, Any] = {}
        for pair in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = pair.partition("=")
            if name not in kinds:
                raise GitHubError(f"LEGIBLE_GITHUB_TUNING: unknown name '{name}' (known: {', '.join(kinds)})")
            try:
                changes[name] = float(value) if kinds[name] == "float" else int(value)
            except ValueError:
                raise GitHubError(f"LEGIBLE_GITHUB_TUNING: {name} must be a number, got '{value}'") from None
        return replace(cls(), **changes)


RETRYABLE_NETWORK = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class Client:
    """One authenticated GitHub connection that retries, paces itself and counts requests and points."""

    def __init__(self, config: Config, tuning: Tuning, sleep: Callable[[float], None] = time.sleep):
        self.config, self.tuning, self.sleep = config, tuning, sleep
        token = os.environ.get(config.github.token_env or "")
        if not token:
            raise GitHubError(f"environment variable {config.github.token_env} (github.token_env) is not set")
        # Pacing and retries are ours (below): PyGithub's fixed sleeps and its retry are switched off.
        self.github = Github(auth=Auth.Token(token), base_url=config.github.base_url, timeout=tuning.timeout,
                             per_page=100, retry=None, seconds_between_requests=None,
                             seconds_between_writes=None)
        self.requester = self.github.requester
        self.requests = 0
        self.points = 0
        self.waited = 0.0

    def get(self, url: str, params: dict | None = None) -> tuple[dict, Any]:
        """GET a REST path or absolute URL; return (headers, JSON)."""
        return self._call(lambda: self.requester.requestJsonAndCheck("GET", url, parameters=params))

    def graphql(self, query: str, variables: dict) -> dict:
        """POST a GraphQL query; return its data, retrying RATE_LIMITED and transient failures."""
        body = {"query": query, "variables": variables}
        headers, data = self._call(
            lambda: self.requester.requestJsonAndCheck("POST", self.requester.graphql_url, input=body),
            graphql=True)
        cost = ((data.get("data") or {}).get("rateLimit") or {}).get("cost")
        self.points += int(cost) if cost is not None else 1
        return data["data"]

    def _call(self, send: Callable[[], tuple[dict, Any]], graphql: bool = False) -> tuple[dict, Any]:
        last = ""
        for attempt in range(1, self.tuning.tries + 1):
            wait = None
            try:
                self.requests += 1
                headers, data = send()
            except GithubException as exc:
                headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
                last = f"HTTP {exc.status}: {_message(exc.data)}"
                wait = self._retry_wait(exc.status, headers, _message(exc.data), attempt)
                if wait is None:
                    raise (NotFound if exc.status in (404, 410) else GitHubError)(self._safe(last)) from None
            except RETRYABLE_NETWORK as exc:
                last = f"{type(exc).__name__} (connection dropped or timed out)"
                wait = self._backoff(attempt)
            else:
                errors = (data or {}).get("errors") if graphql else None
                if not errors:
                    self.points += not graphql  # a REST request costs one point; GraphQL reports its cost
                    self._pace(headers)
                    return headers, data
                kinds = {e.get("type") for e in errors}
                last = "GraphQL: " + "; ".join(str(e.get("message", e.get("type"))) for e in errors)[:300]
                if "NOT_FOUND" in kinds:
                    raise NotFound(self._safe(last))
                if "RATE_LIMITED" not in kinds:
                    raise GitHubError(self._safe(last))
                wait = self._reset_wait(headers) or self._backoff(attempt)
            if attempt < self.tuning.tries:
                self._wait(wait, last)
        raise GitHubError(self._safe(f"gave up after {self.tuning.tries} attempts; last: {last}"))

    def _retry_wait(self, status: int, headers: dict, message: str, attempt: int) -> float | None:
        """Seconds to wait before retrying a failed response, or None when it is not worth retrying."""
        if "retry-after" in headers and status in (403, 429, 500, 502, 503, 504):
            try:
                return float(headers["retry-after"])
            except ValueError:
                return self._backoff(attempt)
        if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
            return self._reset_wait(headers) or self._backoff(attempt)
        secondary = "secondary rate limit" in message.lower() or "abuse" in message.lower()
        if status == 429 or (status == 403 and secondary):
            return self._backoff(attempt, self.tuning.secondary_wait)
        if status >= 500:
            return self._backoff(attempt)
        return None

    def _backoff(self, attempt: int, base: float | None = None) -> float:
        """Capped exponential backoff with jitter: between half and all of base * 2**(attempt-1)."""
        base = self.tuning.backoff_base if base is None else base
        ceiling = min(max(self.tuning.backoff_cap, base), base * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    @staticmethod
    def _reset_wait(headers: dict) -> float | None:
        """Seconds until x-ratelimit-reset (plus one), when the headers say the limit is spent."""
        if headers.get("x-ratelimit-remaining") != "0" or "x-ratelimit-reset" not in headers:
            return None
        try:
            return max(0.0, float(headers["x-ratelimit-reset"]) - time.time()) + 1
        except ValueError:
            return None

    def _pace(self, headers: dict) -> None:
        """Slow down before the limit: below the reserve, spread what is left evenly until the reset."""
        try:
            remaining = int(float(headers["x-ratelimit-remaining"]))
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        if remaining >= self.tuning.reserve:
            return
        left = max(0.0, reset - time.time())
        self._wait(left / max(remaining, 1) if remaining else left + 1, "rate limit nearly spent")

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.tuning.max_wait:
            raise GitHubError(self._safe(f"would have to wait {seconds:.0f}s (more than max_wait "
                                         f"{self.tuning.max_wait:.0f}s): {why}"))
        self.waited += seconds
        self.sleep(seconds)

    def _safe(self, text: str) -> str:
        return redact(" ".join(text.split()), self.config)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.github.close()


def _message(data: Any) -> str:
    """The message of an error payload, whatever its shape."""
    if isinstance(data, dict):
        return str(data.get("message") or data.get("errors") or "")
    return str(data or "")

