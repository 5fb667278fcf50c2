"""Pull requests of one team with their reviews and review comments (arrays, not yet numbered)."""

from __future__ import annotations

import numpy as np

from collectors.demo.calendar import HOUR, MINUTE, N_DAYS, local_to_utc, period_day
from collectors.demo.calendar import into_working_hours as snap
from collectors.demo.team import Team, concat
from collectors.demo.text import APPROVALS, ARCHITECT_DIMENSIONS, PACKAGES, PATHS, REPLIES, review_texts, titles

GHOST = "ghost"


def _events(pr, who, at, body, path=None) -> dict:
    rows = {"pr": pr, "who": who, "at": at, "body": body}
    if path is not None:
        rows["path"] = path
    return rows



def authored(team: Team) -> tuple[np.ndarray, np.ndarray]:
    """(author member index, creation day) of every PR people of the team open; -1 is the ghost user."""
    rng = team.rng
    days = np.arange(N_DAYS)
    active = (team.start[:, None] <= days) & (days < team.stop[:, None])
    counts = rng.poisson(team.habits["pr_rate"][None, :] * team.activity[None, :] * team.rate[:, None] * active)
    member, day = np.nonzero(counts)
    author, day = np.repeat(member, counts[member, day]), np.repeat(day, counts[member, day])
    if team.first_day == 0:  # a former contributor whose account was deleted: GitHub shows `ghost`
        ghost_days = rng.integers(0, 40, size=4)
        author, day = np.r_[author, np.full(4, -1)], np.r_[day, ghost_days]
    return author, day


def human_pull_requests(team: Team) -> tuple[dict, dict, dict]:
    """PRs of the team's people with their reviews and comments; PR rows ordered by creation."""
    rng, draws, h, tz = team.rng, team.draws, team.habits, team.tz
    author, day = authored(team)
    created = local_to_utc(day, np.clip(rng.normal(13.5, 2.4, len(day)), 8.5, 21.5), tz)
    order = np.argsort(created, kind="stable")
    author, day, created = author[order], day[order], created[order]
    n = len(created)
    lines = np.maximum(1, np.round(draws.lognormal(h["size"][day], 1.0, n))).astype(int)
    additions = np.round(lines * rng.uniform(0.45, 0.95, n)).astype(int)
    draft = rng.random(n) < 0.12
    ready = np.where(draft, created + rng.lognormal(np.log(5 * HOUR), 1.0, n), np.nan)
    base = np.where(draft, ready, created)
    end = snap(base + np.maximum(draws.lognormal(h["merge_hours"][day], 0.75, n) * HOUR, 15 * MINUTE), tz, rng)
    merged = draws.strata_by(end) >= 0.06
    u = draws.strata_by(end)  # in merge order: the planted shares hold in any window of merged PRs
    unreviewed = u < h["unreviewed"][day]
    stamped = ~unreviewed & (u < h["unreviewed"][day] + h["rubber_stamp"][day])
    first = snap(base + draws.lognormal(h["pickup_hours"][day], 1.1, n) * HOUR, tz, rng)
    late = first > end - 10 * MINUTE
    first = np.where(late, base + (end - base) * rng.uniform(0.2, 0.7, n), first)
    prs = {
        "author": np.where(author >= 0, team.logins[np.maximum(author, 0)], GHOST).astype(object),
        "repo": np.array(team.plan.repos, dtype=object)[rng.integers(len(team.plan.repos), size=n)],
        "title": titles(rng, n),
        "created": created, "ready": ready,
        "first_commit": created - rng.lognormal(np.log(5 * HOUR), 1.2, n),
        "end": end, "merged": merged, "additions": additions, "deletions": lines - additions,
    }
    end_day = period_day(end)
    reviews, comments = [], []
    # Rubber stamps: one approval with an empty body.
    idx = np.flatnonzero(stamped)
    who = team.pick([day[idx], end_day[idx]], [author[idx]])
    ok = who >= 0
    reviews.append(_events(idx[ok], team.logins[who[ok]], first[idx[ok]], np.full(ok.sum(), "", object))
                   | {"state": np.full(ok.sum(), "APPROVED", object)})
    # Proper reviews: one or two teammates, sometimes an in-house architect, comments with replies.
    idx = np.flatnonzero(~unreviewed & ~stamped)
    r1 = team.pick([day[idx], end_day[idx]], [author[idx]])
    r2 = np.where(rng.random(len(idx)) < 0.35, team.pick([day[idx], end_day[idx]], [author[idx], r1]), -1)
    keep = r1 >= 0
    idx, r1, r2 = idx[keep], r1[keep], r2[keep]
    k = len(idx)
    slots = np.full((k, 3), "", dtype=object)
    slots[:, 0] = team.logins[r1]
    slots[:, 1] = np.where(r2 >= 0, team.logins[np.maximum(r2, 0)], "")
    has_arch = (draws.strata(k) < h["cross"][day[idx]]) & (len(team.architects) > 0)
    if len(team.architects):
        slots[:, 2] = np.where(has_arch, team.architects[rng.integers(len(team.architects), size=k)], "")
    reviewer_count = (slots != "").sum(axis=1)
    slots = np.take_along_axis(slots, np.argsort(slots == "", axis=1, kind="stable"), axis=1)  # filled first
    topical = h["topical"][day[idx]]
    span = end[idx] - first[idx]
    # Final reviews, one per reviewer, shortly before the merge; a third carry a body.
    for slot in range(3):
        rows = np.flatnonzero(slots[:, slot] != "")
        m = len(rows)
        is_arch = np.isin(slots[rows, slot], team.architects)
        bodied = is_arch | (rng.random(m) < 0.33)
        text = rng.random(m) < topical[rows]
        body = np.where(bodied, review_texts(rng, text, plain=APPROVALS), "")
        body[is_arch] = review_texts(rng, np.ones(is_arch.sum(), bool), ARCHITECT_DIMENSIONS)
        state = np.where(rng.random(m) < 0.9, "APPROVED", np.where(rng.random(m) < 0.6, "COMMENTED", "DISMISSED"))
        at = end[idx[rows]] - np.minimum(rng.uniform(5, 120, m) * MINUTE, 0.5 * span[rows])
        reviews.append(_events(idx[rows], slots[rows, slot], at, body.astype(object)) | {"state": state.astype(object)})
    # A first reviewer who asks for changes first.
    rows = np.flatnonzero(rng.random(k) < 0.22)
    text = rng.random(len(rows)) < topical[rows]
    reviews.append(_events(idx[rows], slots[rows, 0], first[idx[rows]] + 0.25 * span[rows],
                           review_texts(rng, text)) | {"state": np.full(len(rows), "CHANGES_REQUESTED", object)})
    # Comments: the first at pickup time, the rest spread before the merge.
    lam = np.maximum(h["depth"][day[idx]] - 0.33 * reviewer_count - 0.22, 0.2)
    count = rng.poisson(lam)
    pr = np.repeat(np.arange(k), count)
    c = len(pr)
    opening = np.r_[True, pr[1:] != pr[:-1]] if c else np.zeros(0, bool)
    at = first[idx[pr]] + np.where(opening, 0.0, rng.uniform(0.05, 0.9, c)) * span[pr]
    who = slots[pr, (rng.random(c) * reviewer_count[pr]).astype(int)]
    text = rng.random(c) < topical[pr]
    inline = rng.random(c) < 0.7
    path = np.where(inline, PATHS[rng.integers(len(PATHS), size=c)], "").astype(object)
    comments.append(_events(idx[pr], who, at, review_texts(rng, text), path))
    # The author answers some comments (never counted as review).
    reply = np.flatnonzero(rng.random(c) < 0.3)
    reply_at = at[reply] + (end[idx[pr[reply]]] - at[reply]) * rng.uniform(0.1, 0.8, len(reply))
    comments.append(_events(idx[pr[reply]], prs["author"][idx[pr[reply]]], reply_at,
                            REPLIES[rng.integers(len(REPLIES), size=len(reply))], path[reply]))
    # Some discussion after the merge (review activity counts only up to merged_at).
    rows = np.flatnonzero(rng.random(k) < 0.03)
    comments.append(_events(idx[rows], slots[rows, 0], end[idx[rows]] + rng.lognormal(np.log(20 * HOUR), 0.8,
                            len(rows)), np.full(len(rows), "Follow-up: this path still fails on retry, see the bug.",
                                                object), np.full(len(rows), "", object)))
    # A coverage bot comments on PRs of teams that run it (bots never count as reviewers).
    if team.plan.staging or team.plan.sourcing_model == "in_house":
        rows = np.flatnonzero(rng.random(n) < 0.4)
        body = np.array([f"Coverage report: {v:.1f}% of lines covered" for v in rng.uniform(70, 92, len(rows))],
                        dtype=object)
        comments.append(_events(rows, np.full(len(rows), "codecov[bot]", object), created[rows] + 20 * MINUTE,
                                body, np.full(len(rows), "", object)))
    return prs, concat(reviews), concat(comments)


def bot_pull_requests(team: Team) -> tuple[dict, dict]:
    """Dependabot's weekly dependency bumps (Mondays, early UTC) and the approval of whoever merges them."""
    rng = team.rng
    mondays = np.arange(team.first_day + (7 - (team.first_day % 7)) % 7, N_DAYS, 7)  # the period starts on a Monday
    parts, approvals = [], []
    for repo in team.plan.repos:
        count = rng.poisson(1.2, len(mondays))
        day = np.repeat(mondays, count)
        n = len(day)
        created = local_to_utc(day, rng.uniform(3, 6, n), "UTC")
        end = snap(created + rng.lognormal(np.log(30 * HOUR), 1.0, n), team.tz, rng)
        pkg = PACKAGES[rng.integers(len(PACKAGES), size=n)]
        old, new = rng.integers(1, 9, n), rng.integers(0, 30, n)
        title = np.array([f"Bump {p} from {o}.{v}.0 to {o}.{v + 1}.0" for p, o, v in zip(pkg, old, new, strict=True)],
                         dtype=object)
        lines = rng.integers(2, 40, n)
        merged = rng.random(n) < 0.75
        parts.append({"author": np.full(n, "dependabot[bot]", object), "repo": np.full(n, repo, object),
                      "title": title, "created": created, "ready": np.full(n, np.nan), "first_commit": created,
                      "end": end, "merged": merged, "additions": lines // 2 + 1, "deletions": lines // 2})
        who = team.pick([period_day(end)])
        ok = merged & (who >= 0)
        approvals.append((ok, who))
    prs = concat(parts)
    ok = np.concatenate([a for a, _ in approvals])
    who = np.concatenate([w for _, w in approvals])
    rows = np.flatnonzero(ok)
    reviews = _events(rows, team.logins[who[rows]], prs["end"][rows] - 5 * MINUTE, np.full(len(rows), "", object)) | {
        "state": np.full(len(rows), "APPROVED", object)}
    return prs, reviews


def revert_pull_requests(team: Team, prs: dict, repo: np.ndarray, deployed: np.ndarray,
                         at: np.ndarray) -> tuple[dict, dict]:
    """`Revert "..."` PRs opened at AT for deployments of REPO finished at DEPLOYED, with a short approval."""
    rng = team.rng
    n = len(at)
    merged_at = np.where(prs["merged"], prs["end"], np.inf)
    title = np.empty(n, dtype=object)
    lines = np.zeros(n, int)
    for i in range(n):  # the last PR merged into that repo before the deployment
        mask = (prs["repo"] == repo[i]) & (merged_at <= deployed[i])
        j = np.flatnonzero(mask)[np.argmax(merged_at[mask])] if mask.any() else -1
        title[i] = f'Revert "{prs["title"][j]}"' if j >= 0 else 'Revert "Hotfix"'
        lines[i] = prs["additions"][j] + prs["deletions"][j] if j >= 0 else 10
    created = at + rng.lognormal(np.log(0.7 * HOUR), 0.5, n)
    end = created + rng.lognormal(np.log(0.5 * HOUR), 0.4, n)
    day = period_day(created)
    author = team.pick([day])
    reviewer = team.pick([day], [author])
    revert = {"author": np.where(author >= 0, team.logins[np.maximum(author, 0)], GHOST).astype(object),
              "repo": repo.astype(object), "title": title, "created": created, "ready": np.full(n, np.nan),
              "first_commit": created - 5 * MINUTE, "end": end, "merged": np.ones(n, bool),
              "additions": lines // 2, "deletions": lines - lines // 2}
    rows = np.flatnonzero(reviewer >= 0)
    reviews = _events(rows, team.logins[reviewer[rows]], end[rows] - 3 * MINUTE,
                      np.full(len(rows), "Reverting to stop the incident; we roll forward once fixed.", object)) | {
        "state": np.full(len(rows), "APPROVED", object)}
    return revert, reviews
