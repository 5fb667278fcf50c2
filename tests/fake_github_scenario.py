"""A small hand-made organisation on the fake GitHub, and the teams.yaml that points at it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from collectors.config import load_config
from collectors.github import sync
from collectors.github.client import Tuning
from store import open_engine
from tests.fake_github_data import Comment, Deployment, Pull, Release, Review, Run


def populate(fake) -> None:
    """Two repos: bots, a deleted user, a draft made ready, threads, deployments, releases and runs."""
    pay = fake.repo("acme/payments")
    pay.add(Pull(1, "asha-k", "Add refunds", created="2026-05-04T09:00:00Z", updated="2026-05-05T12:00:00Z",
                 merged="2026-05-05T12:00:00Z", first_commit="2026-05-03T18:00:00Z", additions=120, deletions=30,
                 reviews=[Review(101, "bo", "APPROVED", "2026-05-05T10:00:00Z", "Looks good; add a test for it"),
                          Review(102, "dependabot[bot]", "COMMENTED", "2026-05-05T10:30:00Z", "")],
                 comments=[Comment(201, "bo", "2026-05-04T11:00:00Z", "Handle the timeout here", "api/pay.py", 1),
                           Comment(202, None, "2026-05-04T12:00:00Z", "Done", "api/pay.py", 1),
                           Comment(301, "asha-k", "2026-05-04T13:00:00Z", "Thanks!")]))
    pay.add(Pull(2, None, "Draft from a deleted user", created="2026-05-06T08:00:00Z",
                 updated="2026-05-06T11:00:00Z", ready="2026-05-06T10:00:00Z"))
    pay.add(Pull(3, "renovate[bot]", "Bump lib", created="2026-05-02T08:00:00Z", updated="2026-05-02T09:00:00Z",
                 closed="2026-05-02T09:00:00Z", additions=1, deletions=1))
    pay.deployments += [
        Deployment(11, "production", "a" * 40, "2026-05-05T13:00:00Z",
                   [("pending", "2026-05-05T13:00:05Z"), ("success", "2026-05-05T13:04:00Z"),
                    ("inactive", "2026-05-06T09:00:00Z")]),
        Deployment(12, "staging", "b" * 40, "2026-05-05T14:00:00Z", [("failure", "2026-05-05T14:02:00Z")]),
        Deployment(13, "production", "c" * 40, "2026-05-06T09:00:00Z", [("in_progress", "2026-05-06T09:00:10Z")]),
    ]
    pay.releases += [Release(21, "v1.0", "2026-05-05T15:00:00Z", "2026-05-05T15:05:00Z", "e" * 40),
                     Release(22, "v1.1-rc1", "2026-05-06T15:00:00Z", "2026-05-06T15:00:00Z", "f" * 40,
                             prerelease=True),
                     Release(23, "v1.1", "2026-05-07T15:00:00Z", None, "f" * 40, draft=True)]
    pay.runs += [Run(31, "Deploy to prod", "a" * 40, "2026-05-05T13:00:00Z", "2026-05-05T13:06:00Z"),
                 Run(32, "CI", "a" * 40, "2026-05-05T12:00:00Z", "2026-05-05T12:10:00Z"),
                 Run(33, "deploy-prod", "b" * 40, "2026-05-06T13:00:00Z", "2026-05-06T13:03:00Z",
                     conclusion="failure"),
                 Run(34, "Deploy prod", "c" * 40, "2026-05-07T13:00:00Z", "2026-05-07T13:00:30Z",
                     status="in_progress", conclusion=None)]
    web = fake.repo("acme/web")
    web.add(Pull(7, "chen", "Dark mode", created="2026-05-01T08:00:00Z", updated="2026-05-03T08:00:00Z",
                 merged="2026-05-03T08:00:00Z",
                 reviews=[Review(701, "asha-k", "CHANGES_REQUESTED", "2026-05-02T08:00:00Z", "Needs a rollback plan"),
                          Review(702, "asha-k", "APPROVED", "2026-05-03T07:00:00Z", "")]))


def write_config(path: Path, base_url: str, repos=("acme/payments", "acme/web"), api: str = "graphql",
                 source: str = "deployments") -> Path:
    """A teams.yaml for the fake at BASE_URL, one team owning REPOS."""
    doc = {
        "github": {"base_url": base_url, "token_env": "GITHUB_TOKEN", "api": api,
                   "deployments": {"source": source, "environments": ["production"], "workflow": "deploy.*prod"}},
        "teams": [{"id": "atlas", "name": "Atlas", "sourcing_model": "offshoring", "repos": list(repos),
                   "members": [{"name": "Asha K", "github": "asha-k", "joined_on": "2026-01-05"}]}],
    }
    path.write_text(yaml.safe_dump(doc))
    return path


ACTIVITY = ("pull_requests", "reviews", "review_comments", "deployments")


def activity(engine) -> dict[str, list[dict]]:
    """Every activity row, sorted by key, as plain dicts (for comparing whole tables)."""
    from store import read_frames

    frames = read_frames(engine, dict.fromkeys(ACTIVITY))
    out = {}
    for table, frame in frames.items():
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
        out[table] = sorted(rows, key=lambda r: str(next(iter(r.values()))))
    return out


FAST = Tuning(backoff_base=0.001, backoff_cap=0.01, secondary_wait=0.002, timeout=2)


def at(text: str) -> dt.datetime:
    """An aware datetime from ISO text."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def run(fake, tmp_path: Path, engine=None, full=False, tuning=FAST, sleep=None, **config):
    """Sync the fake into ENGINE (a new SQLite file under TMP_PATH by default); return (engine, result)."""
    engine = engine or open_engine(f"sqlite:///{tmp_path / 'legible.db'}")
    cfg = load_config(str(write_config(tmp_path / "teams.yaml", fake.base_url, **config)))
    with open(tmp_path / "progress.txt", "a") as stream:
        extra = {"sleep": sleep} if sleep is not None else {}
        return engine, sync(engine, cfg, full, stream, tuning, **extra)
