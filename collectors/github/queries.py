"""The GraphQL queries the collector sends, and their size under GitHub's 500,000-node limit."""

from __future__ import annotations

from collectors.github.client import Tuning

NODE_LIMIT = 500_000

_PAGE_INFO = "pageInfo { hasNextPage endCursor }"
_ACTOR = "author { __typename login }"

_FRAGMENTS = {
    "ReviewPage": f"""fragment ReviewPage on PullRequestReviewConnection {{
  {_PAGE_INFO}
  nodes {{ fullDatabaseId {_ACTOR} state submittedAt body }}
}}""",
    "InlinePage": f"""fragment InlinePage on PullRequestReviewCommentConnection {{
  {_PAGE_INFO}
  nodes {{ fullDatabaseId {_ACTOR} createdAt body path }}
}}""",
    "ThreadPage": f"""fragment ThreadPage on PullRequestReviewThreadConnection {{
  {_PAGE_INFO}
  nodes {{ id comments(first: $threadComments) {{ ...InlinePage }} }}
}}""",
    "CommentPage": f"""fragment CommentPage on IssueCommentConnection {{
  {_PAGE_INFO}
  nodes {{ fullDatabaseId {_ACTOR} createdAt body }}
}}""",
    "PullRequestPage": f"""fragment PullRequestPage on PullRequestConnection {{
  {_PAGE_INFO} totalCount
  nodes {{
    id number title url state isDraft createdAt updatedAt mergedAt closedAt additions deletions
    {_ACTOR}
    commits(first: 1) {{ nodes {{ commit {{ authoredDate }} }} }}
    timelineItems(first: 1, itemTypes: [READY_FOR_REVIEW_EVENT]) {{
      nodes {{ ... on ReadyForReviewEvent {{ createdAt }} }}
    }}
    reviews(first: $reviews) {{ ...ReviewPage }}
    reviewThreads(first: $threads) {{ ...ThreadPage }}
    comments(first: $comments) {{ ...CommentPage }}
  }}
}}""",
}


def _fragments(*names: str) -> str:
    return "\n".join(_FRAGMENTS[n] for n in names)


RATE = "rateLimit { cost remaining resetAt }"

# One page of a repo: pull requests by last update (and, incrementally, the open ones), with
# deployments or releases alongside; each connection is included only while it has pages left.
PAGE = f"""
query RepoPage($owner: String!, $name: String!, $prs: Int!, $reviews: Int!, $threads: Int!,
    $threadComments: Int!, $comments: Int!, $deployments: Int!,
    $withUpdated: Boolean!, $updatedAfter: String, $withOpen: Boolean!, $openAfter: String,
    $withDeployments: Boolean!, $deploymentsAfter: String, $withReleases: Boolean!, $releasesAfter: String) {{
  {RATE}
  repository(owner: $owner, name: $name) {{
    updated: pullRequests(first: $prs, after: $updatedAfter, orderBy: {{field: UPDATED_AT, direction: DESC}})
        @include(if: $withUpdated) {{ ...PullRequestPage }}
    open: pullRequests(first: $prs, after: $openAfter, states: [OPEN],
        orderBy: {{field: UPDATED_AT, direction: DESC}}) @include(if: $withOpen) {{ ...PullRequestPage }}
    deployments(first: $deployments, after: $deploymentsAfter, orderBy: {{field: CREATED_AT, direction: DESC}})
        @include(if: $withDeployments) {{
      {_PAGE_INFO}
      nodes {{
        databaseId environment commitOid createdAt
        latestStatus {{ state createdAt }}
        statuses(first: 20) {{ nodes {{ state createdAt }} }}
      }}
    }}
    releases(first: $deployments, after: $releasesAfter, orderBy: {{field: CREATED_AT, direction: DESC}})
        @include(if: $withReleases) {{
      {_PAGE_INFO}
      nodes {{ databaseId tagName createdAt publishedAt isDraft isPrerelease tagCommit {{ oid }} }}
    }}
  }}
}}
""" + _fragments("PullRequestPage", "ReviewPage", "ThreadPage", "InlinePage", "CommentPage")


def _follow_up(name: str, on: str, field: str, fragment: str, extra: str = "", also: tuple[str, ...] = ()) -> str:
    return f"""
query {name}($id: ID!, $after: String, $first: Int!{extra}) {{
  {RATE}
  node(id: $id) {{ ... on {on} {{ {field}(first: $first, after: $after) {{ ...{fragment} }} }} }}
}}
""" + _fragments(fragment, *also)


# The next page of one nested list that overflowed the page query, keyed by the field it continues.
FOLLOW_UPS = {
    "reviews": _follow_up("MoreReviews", "PullRequest", "reviews", "ReviewPage"),
    "reviewThreads": _follow_up("MoreThreads", "PullRequest", "reviewThreads", "ThreadPage",
                                ", $threadComments: Int!", ("InlinePage",)),
    "comments": _follow_up("MoreComments", "PullRequest", "comments", "CommentPage"),
    "threadComments": _follow_up("MoreThreadComments", "PullRequestReviewThread", "comments", "InlinePage"),
}


def page_nodes(t: Tuning) -> int:
    """The most nodes one page query can ask for (both PR lists and the deployments)."""
    per_pr = 1 + 1 + 1 + t.reviews + t.threads + t.threads * t.thread_comments + t.comments
    return 2 * t.prs * per_pr + t.deployments * (1 + 20)


def follow_up_nodes(t: Tuning) -> int:
    """The most nodes a follow-up query can ask for (a page of threads with their comments)."""
    return t.follow_up + t.follow_up * t.thread_comments

# The check command's probe: the token works for GraphQL, and how many points it has left.
CHECK = "query Check { rateLimit { limit remaining resetAt } viewer { login } }"
