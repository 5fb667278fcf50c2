"""Dumb I/O with Jira through the `jira` library: one method per endpoint, raw JSON, capped retries."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests
from jira import JIRA, JIRAError

from collectors.config import Config

GREENHOPPER = "{server}/rest/greenhopper/1.0/{path}"
AGILE = JIRA.AGILE_BASE_URL
RETRIED_STATUSES = {429, 502, 503, 504}
DROPPED = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class JiraFailure(Exception):
    """A Jira call that failed for good: one line, never holding a header or a secret."""

    def __init__(self, message: str, status: int | None = None, reason: str | None = None):
        self.status, self.reason = status, reason or message
        super().__init__(message)


@dataclass(frozen=True)
class Retry:
    """Capped exponential backoff for 429, 5xx and dropped connections, honouring Retry-After."""

    attempts: int = 6
    base: float = 2.0
    cap: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before retry number ATTEMPT (1-based)."""
        wanted = _seconds(retry_after)
        return min(self.cap, wanted if wanted is not None else self.base * 2 ** (attempt - 1))


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date), or None."""
    if not retry_after:
        return None
    try:
        return max(0.0, float(retry_after))
    except ValueError:
        when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
        return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds()) if when else None


def credentials(config: Config) -> dict:
    """The `jira.JIRA` auth arguments: Cloud basic auth (e-mail + API token) or a Data Center PAT."""
    token = os.environ.get(config.jira.token_env or "")
    if not token:
        raise JiraFailure(f"environment variable {config.jira.token_env} (jira.token_env) is not set")
    if not config.jira.email_env:
        return {"token_auth": token}
    user = os.environ.get(config.jira.email_env)
    if not user:
        raise JiraFailure(f"environment variable {config.jira.email_env} (jira.email_env) is not set")
    return {"basic_auth": (user, token)}


class Site:
    """One Jira site: raw endpoints, request counting and retries around the library's calls."""

    def __init__(self, config: Config, retry: Retry | None = None, page_size: int = 100, timeout: float = 60):
        self.retry = retry or Retry()
        self.page_size = page_size
        self.requests = 0
        # The library's own retries are off (max_retries=0): it does not retry 503 without Retry-After
        # and sleeps up to 60 s per try; one capped policy here covers every call instead.
        self.client = JIRA(server=config.jira.url, get_server_info=False, max_retries=0, timeout=timeout,
                           logging=False, **credentials(config))
        self.info = self.call("serverInfo", self.client.server_info)
        self.client.deploymentType = self.info.get("deploymentType")  # what the library's Cloud-only calls test
        self.cloud = (self.info.get("deploymentType") or "").lower() == "cloud"

    def call(self, what: str, fn: Callable, *args, **kwargs):
        """FN(*ARGS, **KWARGS), retried with capped backoff on 429, 502-504 and dropped connections."""
        attempt = 0
        while True:
            self.requests += 1
            try:
                return fn(*args, **kwargs)
            except JIRAError as exc:
                status = exc.status_code
                retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
                reason = f"HTTP {status}: {(exc.text or '').strip()[:200]}"
                if status not in RETRIED_STATUSES:
                    raise JiraFailure(f"{what}: {reason}", status, reason) from None
            except DROPPED as exc:
                status, retry_after, reason = None, None, f"connection failed ({type(exc).__name__})"
            attempt += 1
            if attempt > self.retry.attempts:
                reason += f", still failing after {self.retry.attempts} retries"
                raise JiraFailure(f"{what}: {reason}", status, reason) from None
            self.retry.sleep(self.retry.delay(attempt, retry_after))

    def get(self, what: str, path: str, params: dict | None = None, base: str = JIRA.JIRA_BASE_URL):
        """The JSON of GET PATH (relative to BASE), with retries."""
        return self.call(what, self.client._get_json, path, params=params, base=base)

    def myself(self) -> dict:
        """The API user, with the time zone Jira reads JQL dates in."""
        return self.get("myself", "myself")

    def fields(self) -> list[dict]:
        """Every field of the site (`/rest/api/2/field`)."""
        fields = self.get("fields", "field")
        # The library's searches translate names through a cache it would fill with a second /field
        # request; fill it from this answer instead (same content: clause name → field id).
        self.client._fields_cache_value = {n: f["id"] for f in fields for n in f.get("clauseNames") or []}
        return fields

    def statuses(self) -> list[dict]:
        """Every status with its category (`/rest/api/2/status`)."""
        return self.get("statuses", "status")

    def project(self, key: str) -> dict:
        """One project, with its issue types."""
        return self.get(f"project {key}", f"project/{key}")

    def count(self, jql: str) -> int | None:
        """How many issues JQL matches (approximate on Cloud), for the progress bar."""
        if self.cloud:
            return self.call("count", self.client.approximate_issue_count, jql)
        return None

    def search(self, jql: str, fields: list[str], expand: str | None = "changelog") -> Iterator[dict]:
        """Each page of a search: Cloud's `search/jql` with nextPageToken, else `/search` with startAt."""
        token, start = None, 0
        while True:
            if self.cloud:
                page = self.call("search", self.client.enhanced_search_issues, jql, nextPageToken=token,
                                 maxResults=self.page_size, fields=list(fields), expand=expand, json_result=True)
            else:
                page = self.call("search", self.client.search_issues, jql, startAt=start, maxResults=self.page_size,
                                 fields=list(fields), expand=expand, json_result=True, validate_query=True)
            issues = page.get("issues") or []
            yield page
            start += len(issues)
            token = page.get("nextPageToken")
            done = (not token or page.get("isLast")) if self.cloud else (not issues or start >= page.get("total", 0))
            if done:
                return

    def changelog(self, key: str, oldest: int) -> list[dict]:
        """The OLDEST histories of an issue (chronological), those a capped search left out.

        Cloud embeds only the most recent histories (100, or 40 with search/jql): page
        `/rest/api/3/issue/{key}/changelog` from the start until OLDEST are in. Server/Data Center:
        the issue itself with its whole changelog.
        """
        if not self.cloud:
            raw = self.get(f"changelog of {key}", f"issue/{key}", {"expand": "changelog", "fields": "status"})
            return (raw.get("changelog") or {}).get("histories") or []
        histories: list[dict] = []
        while len(histories) < oldest:
            page = self.get(f"changelog of {key}", f"issue/{key}/changelog",
                            {"startAt": len(histories), "maxResults": min(100, oldest - len(histories))},
                            base="{server}/rest/api/3/{path}")
            values = page.get("values") or []
            histories += values
            if not values or page.get("isLast"):
                break
        return histories

    def board_configuration(self, board: str) -> dict:
        """A board's configuration (its estimation field)."""
        return self.get(f"board {board} configuration", f"board/{board}/configuration", base=AGILE)

    def sprints(self, board: str) -> list[dict]:
        """Every sprint of a board, all pages."""
        found: list[dict] = []
        while True:
            page = self.get(f"sprints of board {board}", f"board/{board}/sprint",
                            {"startAt": len(found), "maxResults": 50}, base=AGILE)
            found += page.get("values") or []
            if page.get("isLast", True) or not page.get("values"):
                return found

    def sprint_report(self, board: str, sprint: str) -> dict:
        """The greenhopper sprint report (the library's helper calls a wrong path, so this calls it directly)."""
        return self.get(f"sprint report {sprint} of board {board}", "rapid/charts/sprintreport",
                        {"rapidViewId": board, "sprintId": sprint}, base=GREENHOPPER)
