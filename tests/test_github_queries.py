"""Every GraphQL query the collector sends is valid on GitHub's real schema and fits its node limit."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoDeprecatedCustomRule

from collectors.github import queries
from collectors.github.client import Tuning
from tests.fake_github_graphql import SCHEMA as SUBSET
from tests.fake_github_graphql import measure

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "realdata" / "github" / "octokit_graphql-schema.schema.graphql.gz"
QUERIES = {"page": queries.PAGE, "check": queries.CHECK, **queries.FOLLOW_UPS}


@pytest.fixture(scope="module")
def github_schema():
    if not REAL.exists():
        pytest.skip(f"GitHub's schema not found at {REAL} (the shared realdata folder is absent)")
    schema = build_schema(gzip.decompress(REAL.read_bytes()).decode(), assume_valid_sdl=True)
    schema._validation_errors = []  # GitHub's own SDL breaks two graphql-js rules about deprecations; skip them
    return schema


@pytest.mark.parametrize("name", QUERIES)
def test_query_is_valid_on_githubs_schema_without_deprecated_fields(github_schema, name):
    assert validate(github_schema, parse(QUERIES[name]), [*specified_rules, NoDeprecatedCustomRule]) == []


def test_the_fakes_schema_is_a_true_subset_of_githubs(github_schema):
    problems = []
    for name, mine in SUBSET.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Boolean", "ID", "Float"):
            continue
        real = github_schema.type_map.get(name)
        if type(real) is not type(mine):
            problems.append(f"{name}: kind differs")
        elif isinstance(mine, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for fname, f in mine.fields.items():
                rf = real.fields.get(fname)
                if rf is None or str(rf.type) != str(f.type):
                    problems.append(f"{name}.{fname}: {rf and rf.type} != {f.type}")
                for aname, a in getattr(f, "args", {}).items():
                    if aname not in rf.args or str(rf.args[aname].type) != str(a.type):
                        problems.append(f"{name}.{fname}({aname})")
        elif isinstance(mine, GraphQLEnumType) and not set(mine.values) <= set(real.values):
            problems.append(f"{name}: values")
        elif isinstance(mine, GraphQLUnionType) and not {t.name for t in mine.types} <= {t.name for t in real.types}:
            problems.append(f"{name}: members")
    assert problems == []


def all_included(text: str) -> dict:
    """Variables of the page query with every connection included and the default page sizes."""
    t = Tuning()
    return {"prs": t.prs, "reviews": t.reviews, "threads": t.threads, "threadComments": t.thread_comments,
            "comments": t.comments, "deployments": t.deployments, "first": t.follow_up,
            **{f"with{c}": True for c in ("Updated", "Open", "Deployments", "Releases")}}


def test_default_page_sizes_fit_the_node_limit_and_the_formula_matches_a_query_walk():
    nodes, _ = measure(parse(queries.PAGE), all_included(queries.PAGE))
    # the walk counts releases too (only one of deployments/releases is ever included)
    assert nodes == queries.page_nodes(Tuning()) + Tuning().deployments == 31_400
    assert nodes < queries.NODE_LIMIT
    assert measure(parse(queries.FOLLOW_UPS["reviewThreads"]), all_included(""))[0] == queries.follow_up_nodes(
        Tuning()) == 1_100


def test_the_fake_refuses_what_github_refuses():
    """realdata README: 50 PRs x (100 reviews + 100 threads x 100 comments) is 510,050 nodes; +100 for our lists."""
    sizes = replace(Tuning(), prs=50, reviews=100, threads=100, thread_comments=100, comments=0)
    variables = {**all_included(""), "prs": 50, "reviews": 100, "threads": 100, "threadComments": 100, "comments": 0,
                 "withOpen": False, "withDeployments": False, "withReleases": False}
    nodes, _ = measure(parse(queries.PAGE), variables)
    assert nodes == 50 + 50 * (1 + 1 + 100 + 100 + 100 * 100) == 510_150
    assert queries.page_nodes(sizes) > queries.NODE_LIMIT
