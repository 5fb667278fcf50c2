"""teams.yaml: loading and validation into typed config objects, with errors that name the path."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from collectors.review_topics import DIMENSIONS, term_problem

DEFAULT_CONFIG = "teams.yaml"
SOURCING_MODELS = ("in_house", "outsourcing", "offshoring", "nearshoring", "staff_augmentation")
SENIORITIES = ("junior", "mid", "senior", "staff", "principal", "lead")
SENIOR = ("senior", "staff", "principal", "lead")
DEPLOYMENT_SOURCES = ("deployments", "releases", "workflow_runs")
TEAM_ID = re.compile(r"^[a-z0-9_-]+$")
PRINCIPAL = re.compile(r"^([^@\s]+@|@)[^@\s]+\.[^@\s]+$")


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text (checked with their path) and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", node.value[i][0].start_mark)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ConfigError(Exception):
    """A mistake in the config: one line naming the file, the path inside it and the problem."""

    def __init__(self, file: str, path: str, problem: str):
        self.file, self.path, self.problem = file, _one_line(path), _one_line(problem)
        super().__init__(f"{file}: {self.path}: {self.problem}" if path else f"{file}: {self.problem}")


def _one_line(text: str) -> str:
    """TEXT with control characters escaped, so a message stays on one line."""
    return "".join(repr(ch)[1:-1] if not ch.isprintable() else ch for ch in str(text))


@dataclass(frozen=True)
class Deployments:
    """How a production deployment is recognised."""

    source: str = "deployments"
    environments: tuple[str, ...] = ("production", "prod")
    workflow: str = "deploy.*prod"


@dataclass(frozen=True)
class GitHub:
    """Where and how to read GitHub."""

    base_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    api: str = "graphql"
    deployments: Deployments = field(default_factory=Deployments)


@dataclass(frozen=True)
class Jira:
    """Where and how to read Jira, and how its issues are classified."""

    url: str | None = None
    email_env: str | None = None
    token_env: str = "JIRA_API_TOKEN"
    story_points_field: str = "auto"
    bug_types: tuple[str, ...] = ("Bug",)
    incident_types: tuple[str, ...] = ("Incident",)
    escaped_labels: tuple[str, ...] = ("production", "escaped", "customer-found")


@dataclass(frozen=True)
class Policy:
    """Judgement calls applied at ingest and by the metrics."""

    bots: tuple[str, ...] = ("dependabot[bot]", "renovate[bot]")
    incident_window_days: int = 7
    rubber_stamp_min_lines: int = 50
    review_topics: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per dimension: stems replacing the defaults


@dataclass(frozen=True)
class Member:
    """One stretch of a person on a team."""

    name: str
    github: str | None
    jira: str | None
    email: str | None
    seniority: str | None
    joined_on: dt.date
    left_on: dt.date | None

    @property
    def person_id(self) -> str:
        """The person's id: GitHub login, else Jira account, else e-mail."""
        if self.github:
            return f"github:{self.github.lower()}"
        if self.jira:
            return f"jira:{self.jira}"
        return f"email:{(self.email or '').lower()}"

    def covers(self, day: dt.date) -> bool:
        """True when DAY falls inside this membership (joined_on up to the day before left_on)."""
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class Team:
    """One team of the roster."""

    id: str
    name: str
    sourcing_model: str
    vendor: str | None = None
    location: str | None = None
    timezone: str = "UTC"
    started_on: dt.date | None = None
    repos: tuple[str, ...] = ()
    jira_projects: tuple[str, ...] = ()
    jira_boards: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Access:
    """Who may see what: leadership sees every team, the others only the teams listed for them."""

    leadership: tuple[str, ...] = ()
    teams: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (team id, e-mails or @domains)


@dataclass(frozen=True)
class Config:
    """The whole validated teams.yaml."""

    path: str
    database: str | None = None
    github: GitHub = field(default_factory=GitHub)
    jira: Jira = field(default_factory=Jira)
    policy: Policy = field(default_factory=Policy)
    teams: tuple[Team, ...] = ()
    access: Access = field(default_factory=lambda: Access())

    def is_bot(self, login: str | None) -> bool:
        """True for a login in policy.bots or ending in [bot]."""
        if not login:
            return False
        return login.endswith("[bot]") or login in self.policy.bots


def config_path(cli_path: str | None = None) -> str:
    """The config file: --config, else LEGIBLE_CONFIG, else teams.yaml here."""
    return cli_path or os.environ.get("LEGIBLE_CONFIG") or DEFAULT_CONFIG


class _Reader:
    """Checks one YAML document against the schema, raising ConfigError with the path."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, problem: str):
        raise ConfigError(self.file, path, problem)

    def mapping(self, value: Any, path: str, known: tuple[str, ...]) -> dict:
        """A mapping whose keys are all in KNOWN."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"must be a mapping, got {_kind(value)}")
        for key in value:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                more = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(known)})"
                self.fail(_join(path, str(key)), f"unknown key{more}")
        return value

    def text(self, data: dict, key: str, path: str, default=None, required=False,
             choices: tuple[str, ...] | None = None) -> str | None:
        """An optional or required string, optionally one of CHOICES."""
        value = data.get(key)
        where = _join(path, key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(where, f"must be text, got {_kind(value)}")
        value = str(value).strip()
        if required and not value:
            self.fail(where, "must not be empty")
        if choices and value not in choices:
            self.fail(where, f"must be one of {', '.join(choices)}, got '{value}'")
        return value

    def integer(self, data: dict, key: str, path: str, default: int, minimum: int = 0) -> int:
        """A whole number of at least MINIMUM."""
        value = data.get(key, default)
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number, got {_kind(value)}")
        if value < minimum:
            self.fail(where, f"must be at least {minimum}, got {value}")
        return value

    def texts(self, data: dict, key: str, path: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A list of strings (numbers are taken as text, e.g. board ids)."""
        value = data.get(key)
        where = _join(path, key)
        if value is None:
            return default
        if not isinstance(value, list):
            self.fail(where, f"must be a list, got {_kind(value)}")
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int)) or str(item).strip() == "":
                self.fail(f"{where}[{i}]", f"must be non-empty text, got {_kind(item)}")
            out.append(str(item).strip())
        return tuple(out)

    def date(self, data: dict, key: str, path: str, required: bool = False) -> dt.date | None:
        """A calendar day written YYYY-MM-DD."""
        value = data.get(key)
        where = _join(path, key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return None
        if isinstance(value, dt.datetime):
            self.fail(where, f"must be a date (YYYY-MM-DD), not a timestamp: '{value}'")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(where, f"not a valid date (YYYY-MM-DD): '{value}'")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__)


def load_config(path: str | None = None) -> Config:
    """Read and validate the config at PATH (see config_path); raise ConfigError on any mistake."""
    file = config_path(path)
    try:
        raw = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, "", "file not found (pass --config or set LEGIBLE_CONFIG)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, "", f"cannot read: {exc.__class__.__name__}") from None
    try:
        doc = yaml.load(raw, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(file, where, f"invalid YAML: {problem}") from None
    return parse_config(doc, file)


def parse_config(doc: Any, file: str = DEFAULT_CONFIG) -> Config:
    """Validate a parsed YAML document into a Config."""
    r = _Reader(file)
    top = r.mapping(doc, "", ("database", "github", "jira", "policy", "teams", "access"))
    config = Config(
        path=file,
        database=r.text(top, "database", ""),
        github=_github(r, top.get("github")),
        jira=_jira(r, top.get("jira")),
        policy=_policy(r, top.get("policy")),
        teams=_teams(r, top.get("teams")),
    )
    config = replace(config, access=_access(r, top.get("access"), {t.id for t in config.teams}))
    _check_ownership(r, config.teams)
    _check_overlaps(r, config.teams)
    return config


def _github(r: _Reader, value: Any) -> GitHub:
    d = r.mapping(value, "github", ("base_url", "token_env", "api", "deployments"))
    dep = r.mapping(d.get("deployments"), "github.deployments", ("source", "environments", "workflow"))
    default = Deployments()
    workflow = r.text(dep, "workflow", "github.deployments", default.workflow)
    try:
        re.compile(workflow)
    except re.error as exc:
        r.fail("github.deployments.workflow", f"not a valid regular expression: {exc}")
    return GitHub(
        base_url=r.text(d, "base_url", "github", GitHub.base_url).rstrip("/"),
        token_env=r.text(d, "token_env", "github", GitHub.token_env),
        api=r.text(d, "api", "github", "graphql", choices=("graphql", "rest")),
        deployments=Deployments(
            source=r.text(dep, "source", "github.deployments", default.source, choices=DEPLOYMENT_SOURCES),
            environments=r.texts(dep, "environments", "github.deployments", default.environments),
            workflow=workflow,
        ),
    )


def _jira(r: _Reader, value: Any) -> Jira:
    d = r.mapping(value, "jira", ("url", "email_env", "token_env", "story_points_field", "bug_types",
                                  "incident_types", "escaped_labels"))
    j = Jira()
    url = r.text(d, "url", "jira")
    if url and not re.match(r"^https?://", url):
        r.fail("jira.url", f"must start with http:// or https://, got '{url}'")
    return Jira(
        url=url.rstrip("/") if url else None,
        email_env=r.text(d, "email_env", "jira"),
        token_env=r.text(d, "token_env", "jira", j.token_env),
        story_points_field=r.text(d, "story_points_field", "jira", j.story_points_field),
        bug_types=r.texts(d, "bug_types", "jira", j.bug_types),
        incident_types=r.texts(d, "incident_types", "jira", j.incident_types),
        escaped_labels=r.texts(d, "escaped_labels", "jira", j.escaped_labels),
    )


def _policy(r: _Reader, value: Any) -> Policy:
    d = r.mapping(value, "policy", ("bots", "incident_window_days", "rubber_stamp_min_lines", "review_topics"))
    p = Policy()
    lexicon = r.mapping(d.get("review_topics"), "policy.review_topics", DIMENSIONS)
    topics = tuple((dim, r.texts(lexicon, dim, "policy.review_topics")) for dim in DIMENSIONS if dim in lexicon)
    for dim, terms in topics:
        for i, term in enumerate(terms):
            if problem := term_problem(term):
                r.fail(f"policy.review_topics.{dim}[{i}]", problem)
    return Policy(
        bots=r.texts(d, "bots", "policy", p.bots),
        incident_window_days=r.integer(d, "incident_window_days", "policy", p.incident_window_days, 1),
        rubber_stamp_min_lines=r.integer(d, "rubber_stamp_min_lines", "policy", p.rubber_stamp_min_lines, 0),
        review_topics=topics,
    )


TEAM_KEYS = ("id", "name", "sourcing_model", "vendor", "location", "timezone", "started_on", "repos",
             "jira_projects", "jira_boards", "members")
MEMBER_KEYS = ("name", "github", "jira", "email", "seniority", "joined_on", "left_on")


def _teams(r: _Reader, value: Any) -> tuple[Team, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        r.fail("teams", f"must be a list, got {_kind(value)}")
    seen: dict[str, int] = {}
    teams = []
    for i, item in enumerate(value):
        path = f"teams[{i}]"
        d = r.mapping(item, path, TEAM_KEYS)
        team_id = r.text(d, "id", path, required=True)
        if not TEAM_ID.match(team_id):
            r.fail(f"{path}.id", f"must match [a-z0-9_-]+, got '{team_id}'")
        if team_id in seen:
            r.fail(f"{path}.id", f"duplicate team id '{team_id}' (also teams[{seen[team_id]}])")
        seen[team_id] = i
        tz = r.text(d, "timezone", path, "UTC")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            r.fail(f"{path}.timezone", f"unknown IANA time zone '{tz}'")
        members = d.get("members")
        if members is not None and not isinstance(members, list):
            r.fail(f"{path}.members", f"must be a list, got {_kind(members)}")
        teams.append(Team(
            id=team_id,
            name=r.text(d, "name", path, required=True),
            sourcing_model=r.text(d, "sourcing_model", path, required=True, choices=SOURCING_MODELS),
            vendor=r.text(d, "vendor", path),
            location=r.text(d, "location", path),
            timezone=tz,
            started_on=r.date(d, "started_on", path),
            repos=r.texts(d, "repos", path),
            jira_projects=r.texts(d, "jira_projects", path),
            jira_boards=r.texts(d, "jira_boards", path),
            members=tuple(_member(r, m, f"{path}.members[{k}]") for k, m in enumerate(members or [])),
        ))
    return tuple(teams)


def _member(r: _Reader, value: Any, path: str) -> Member:
    d = r.mapping(value, path, MEMBER_KEYS)
    member = Member(
        name=r.text(d, "name", path, required=True),
        github=r.text(d, "github", path),
        jira=r.text(d, "jira", path),
        email=r.text(d, "email", path),
        seniority=r.text(d, "seniority", path, choices=SENIORITIES),
        joined_on=r.date(d, "joined_on", path, required=True),
        left_on=r.date(d, "left_on", path),
    )
    if not (member.github or member.jira or member.email):
        r.fail(path, "needs at least one of github, jira or email to identify the person")
    if member.left_on is not None and member.left_on <= member.joined_on:
        r.fail(f"{path}.left_on", f"must be after joined_on ({member.joined_on}), got {member.left_on}")
    return member


def _principals(r: _Reader, data: dict, key: str, path: str) -> tuple[str, ...]:
    """E-mail addresses or @domains, lower-cased."""
    values = r.texts(data, key, path)
    for i, value in enumerate(values):
        if not PRINCIPAL.match(value):
            r.fail(f"{_join(path, key)}[{i}]", f"must be an e-mail address or an @domain, got '{value}'")
    return tuple(v.lower() for v in values)


def _access(r: _Reader, value: Any, team_ids: set[str]) -> Access:
    d = r.mapping(value, "access", ("leadership", "teams"))
    teams = r.mapping(d.get("teams"), "access.teams", tuple(sorted(team_ids)))
    return Access(
        leadership=_principals(r, d, "leadership", "access"),
        teams=tuple((team, _principals(r, teams, team, "access.teams")) for team in teams),
    )


def _check_ownership(r: _Reader, teams: tuple[Team, ...]) -> None:
    """A repo, Jira project or board belongs to one team only."""
    for attr, label in (("repos", "repo"), ("jira_projects", "Jira project"), ("jira_boards", "board")):
        owner: dict[str, str] = {}
        for i, team in enumerate(teams):
            for k, name in enumerate(getattr(team, attr)):
                key = name.lower() if attr == "repos" else name
                if key in owner and owner[key] != team.id:
                    r.fail(f"teams[{i}].{attr}[{k}]", f"{label} '{name}' is already owned by team '{owner[key]}'")
                if key in owner:
                    r.fail(f"teams[{i}].{attr}[{k}]", f"{label} '{name}' is listed twice")
                owner[key] = team.id


def _check_overlaps(r: _Reader, teams: tuple[Team, ...]) -> None:
    """A person is on at most one team on any day."""
    stints: dict[str, list[tuple[Member, str, str]]] = {}
    for i, team in enumerate(teams):
        for k, member in enumerate(team.members):
            stints.setdefault(member.person_id, []).append((member, team.id, f"teams[{i}].members[{k}]"))
    for person, entries in stints.items():
        entries.sort(key=lambda e: e[0].joined_on)
        for (a, team_a, path_a), (b, _team_b, path_b) in zip(entries, entries[1:], strict=False):
            if a.left_on is None or b.joined_on < a.left_on:
                who = person.split(":", 1)[1]
                r.fail(path_b, f"{who} would be on two teams on {b.joined_on}: "
                               f"already on '{team_a}' ({path_a}) from {a.joined_on}")
