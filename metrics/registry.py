"""The KPI catalogue (spec/metrics.md): key, label, unit, direction, family, definition and the question to ask."""

from __future__ import annotations

from dataclasses import dataclass

from collectors.review_topics import DIMENSIONS


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it is, which way is better, and what a leader should ask when it moves."""

    key: str
    label: str
    unit: str
    direction: str | None  # "higher" | "lower" | None (neither is better)
    family: str
    definition: str
    question: str
    kind: str = "measure"  # "count" (never null), "band" (a DORA band), "measure" (null without a sample)


def _k(key, label, unit, direction, family, definition, question, kind="measure") -> Kpi:
    return Kpi(key, label, unit, direction, family, definition, question, kind)


_DIMENSION_LABELS = {
    "architecture": "architecture fit", "failure_modes": "failure modes", "observability": "observability",
    "tests": "test realism", "rollback": "rollback safety", "security": "security assumptions",
}

KPIS: tuple[Kpi, ...] = (
    # Delivery
    _k("deployments", "Deployments", "count", "higher", "delivery",
       "Successful production deployments finished in the window.",
       "Fewer deployments? Look at review queues, unclear scope or an unstable environment before the people.",
       "count"),
    _k("deploy_days_per_week", "Deploy days per week", "days/week", "higher", "delivery",
       "Median over the window's ISO weeks of the distinct days with a successful production deployment "
       "(weeks with none count as 0).",
       "Shipping less steadily? Ask what blocks a release: review bottlenecks, unclear scope, a flaky pipeline."),
    _k("deploy_frequency_band", "Deployment frequency (DORA)", "band", None, "delivery",
       "DORA band of deployment frequency: elite ≥ 5 deploy days a week, high ≥ 1, medium ≥ 1 a month, else low.",
       "Band dropped? Ask whether releases are batched up behind reviews, QA or environment problems.", "band"),
    _k("merged_prs", "Merged PRs", "count", None, "delivery", "PRs merged in the window.",
       "Throughput changed? Ask whether the work got bigger, the team smaller, or the scope less clear.", "count"),
    _k("merge_time_hours", "Time to merge", "hours", "lower", "delivery",
       "Median over PRs merged in the window of merged_at − created_at.",
       "PRs waiting longer? Ask who reviews them and whether reviewers are in a workable time zone."),
    _k("pickup_time_hours", "Time to first review", "hours", "lower", "delivery",
       "Median over PRs merged in the window of first non-author review or comment − ready_at.",
       "Reviews start later? Ask whether reviewers have time set aside and overlap hours with the authors."),
    _k("lead_time_hours", "Lead time for changes", "hours", "lower", "delivery",
       "Median over PRs deployed in the window of deployment finished_at − first commit (created_at if unknown).",
       "Changes take longer to reach users? Ask where they wait: review, merge queue, or release batching."),
    _k("change_failure_rate", "Change failure rate", "ratio", "lower", "delivery",
       "Share of successful production deployments in the window that caused an incident or a revert.",
       "More failed changes? Ask about test realism, review depth on risky PRs and rollback plans."),
    _k("time_to_restore_hours", "Time to restore", "hours", "lower", "delivery",
       "Median over incidents first resolved in the window of first resolution − created_at.",
       "Slower recovery? Ask whether the team has the observability, runbooks and access to fix production."),
    _k("lead_time_band", "Lead time (DORA)", "band", None, "delivery",
       "DORA band of lead time: elite < 1 day, high ≤ 1 week, medium ≤ 1 month, else low.",
       "Band dropped? Ask which stage of the path to production got slower.", "band"),
    _k("change_failure_band", "Change failure (DORA)", "band", None, "delivery",
       "DORA band of change failure rate: elite ≤ 5%, high ≤ 10%, medium ≤ 15%, else low.",
       "Band dropped? Ask what the failed changes had in common before asking who made them.", "band"),
    _k("time_to_restore_band", "Time to restore (DORA)", "band", None, "delivery",
       "DORA band of time to restore: elite < 1 hour, high < 1 day, medium < 1 week, else low.",
       "Band dropped? Ask what slowed detection, diagnosis or rollback.", "band"),
    # Review quality
    _k("review_depth", "Review depth", "events/PR", "higher", "review",
       "Mean over PRs merged in the window of non-author review comments plus reviews with a non-empty body.",
       "Shallower reviews? Ask whether reviewers have the time and the context, and who owns the standard."),
    _k("reviewers_per_pr", "Reviewers per PR", "people/PR", "higher", "review",
       "Mean over merged PRs of distinct non-author reviewers (any review or comment).",
       "Fewer eyes per change? Ask whether knowledge is concentrating in one reviewer."),
    _k("unreviewed_merge_rate", "Unreviewed merges", "ratio", "lower", "review",
       "Merged PRs with no non-author review and no non-author comment / merged PRs.",
       "More unreviewed merges? Ask whether deadlines or missing reviewers are pushing changes through."),
    _k("rubber_stamp_rate", "Rubber-stamp approvals", "ratio", "lower", "review",
       "Among merged PRs of at least rubber_stamp_min_lines changed lines: share whose only non-author activity "
       "is empty approvals.",
       "More silent approvals on big PRs? Ask whether reviewers feel able to challenge, and have the time."),
    _k("cross_team_review_rate", "Cross-team review", "ratio", "higher", "review",
       "Merged PRs with a non-author reviewer from another team (on the PR's created_at) / merged PRs.",
       "Less outside review? Ask whether in-house architects still look at this team's work."),
    _k("review_topic_coverage", "Review topic coverage", "ratio", "higher", "review",
       "Merged PRs of at least rubber_stamp_min_lines lines whose non-author review text touches one of the six "
       "review dimensions / those PRs.",
       "Reviews touch fewer dimensions? Ask whether reviews check design and risk or only style."),
    *(_k(f"review_topics.{dim}", f"Reviews on {_DIMENSION_LABELS[dim]}", "ratio", "higher", "review",
         f"Share of merged PRs of at least rubber_stamp_min_lines lines whose non-author review text touches "
         f"{_DIMENSION_LABELS[dim]}.",
         f"Less talk of {_DIMENSION_LABELS[dim]}? Ask whether anyone on the reviewing side owns that concern.")
      for dim in DIMENSIONS),
    _k("pr_size_lines", "PR size", "lines", "lower", "review",
       "Median additions + deletions of merged PRs.",
       "Bigger PRs? Ask whether work is being batched up, which makes reviews shallower and releases riskier."),
    # Quality
    _k("bugs_opened", "Bugs opened", "count", "lower", "quality", "Bugs created in the window.",
       "More bugs? Ask what changed upstream: scope clarity, test realism, review depth.", "count"),
    _k("bugs_resolved", "Bugs resolved", "count", "higher", "quality", "Bugs first resolved in the window.",
       "Fewer bugs fixed? Ask whether bug work is being crowded out by feature pressure.", "count"),
    _k("bug_resolution_hours", "Bug resolution time", "hours", "lower", "quality",
       "Median over bugs first resolved in the window of first resolution − created_at.",
       "Bugs take longer to fix? Ask whether triage, reproduction or ownership is the bottleneck."),
    _k("bug_resolution_hours_p85", "Bug resolution time (85th percentile)", "hours", "lower", "quality",
       "85th percentile over bugs first resolved in the window of first resolution − created_at.",
       "The slow tail grew? Ask which bugs nobody owns."),
    _k("open_bugs", "Open bugs", "count", "lower", "quality",
       "Bugs created before the window's end and not resolved at its end.",
       "Backlog growing? Ask whether the team is allowed time for quality work.", "count"),
    _k("bug_reopen_rate", "Bug reopen rate", "ratio", "lower", "quality",
       "Bugs first resolved in the window that left the done category before the window's end / those bugs.",
       "More reopened bugs? Ask whether fixes are verified and acceptance criteria are clear."),
    _k("escaped_defect_rate", "Escaped defect rate", "ratio", "lower", "quality",
       "Escaped bugs (an escaped label) created in the window / bugs created in the window.",
       "More bugs found by customers? Ask about test realism and what QA covers before release."),
    _k("bugs_per_100_prs", "Bugs per 100 PRs", "bugs", "lower", "quality",
       "Bugs created in the window per 100 PRs merged in it.",
       "More bugs per change? Ask whether reviews and tests kept pace with throughput."),
    # Flow
    _k("sprint_velocity_points", "Sprint velocity", "points", "higher", "flow",
       "Mean completed points over the team's sprints completed in the window.",
       "Velocity moved? Ask whether estimates, scope or team size changed before reading it as productivity."),
    _k("sprint_commitment_ratio", "Sprint say/do", "ratio", "higher", "flow",
       "Sum of completed / sum of committed points over the sprints completed in the window.",
       "Delivering less of what was planned? Ask about unclear scope, mid-sprint changes and dependencies."),
    _k("issues_resolved", "Issues resolved", "count", "higher", "flow",
       "Issues of any type first resolved in the window.",
       "Fewer issues done? Ask whether work is blocked, bigger, or waiting on another team.", "count"),
    # People
    _k("headcount", "Headcount", "people", None, "people", "Roster members at the window's end.",
       "Headcount changed? Ask whether the vendor announced it and who holds the leavers' knowledge.", "count"),
    _k("joiners", "Joiners", "people", None, "people", "Memberships that started in the window.",
       "New people? Ask how they are onboarded and who reviews their first changes.", "count"),
    _k("leavers", "Leavers", "people", None, "people", "Memberships that ended in the window.",
       "People left? Ask what they owned and who took it over.", "count"),
    _k("retention_rate", "Retention", "ratio", "higher", "people",
       "Members at the window's start still members at its end / members at its start.",
       "Retention fell? Ask whether the operating model is sustainable for the team, not who is to blame.", ),
    _k("senior_leavers", "Senior leavers", "people", "lower", "people",
       "Leavers with seniority senior, staff, principal or lead.",
       "A senior left? Ask whether they were replaced like for like or by juniors, and who reviews now.", "count"),
    _k("active_contributors", "Active contributors", "people", None, "people",
       "Members in the window who, while members, authored a PR, reviewed, commented, or resolved an assigned issue.",
       "Fewer active people than the roster says? Ask who is really working on this team.", "count"),
    _k("quiet_members", "Quiet members", "people", "lower", "people",
       "Members on the roster through the window's last 30 days with no activity in them.",
       "Someone went quiet? Ask whether they left, moved or are blocked: the roster may be out of date.", "count"),
    _k("median_tenure_months", "Median tenure", "months", "higher", "people",
       "Median months since joined_on of members at the window's end (days / 30.4375).",
       "Tenure falling? Ask whether experienced people are being rotated out."),
)

_BY_KEY = {k.key: k for k in KPIS}
KEYS: tuple[str, ...] = tuple(_BY_KEY)
FAMILIES: tuple[str, ...] = ("delivery", "review", "quality", "flow", "people")

HEADLINE: tuple[str, ...] = (
    "deploy_days_per_week", "deploy_frequency_band", "lead_time_hours", "review_depth", "unreviewed_merge_rate",
    "bug_resolution_hours", "escaped_defect_rate", "sprint_commitment_ratio", "retention_rate",
)

# The KPIs watched for month-three and weekly slippage (metrics.md).
WATCHED: tuple[str, ...] = (
    "review_depth", "unreviewed_merge_rate", "rubber_stamp_rate", "merge_time_hours", "lead_time_hours",
    "deploy_days_per_week", "bug_reopen_rate", "escaped_defect_rate", "bugs_per_100_prs", "sprint_commitment_ratio",
)


def kpi(key: str) -> Kpi:
    """The KPI with KEY; KeyError names the unknown key."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown KPI '{key}'") from None
