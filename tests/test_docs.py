"""Documentation is tested: every command and option of both command lines appears in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from collectors.cli import build_parser as collectors_parser
from metrics.cli import build_parser as metrics_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def options(program: str, parser: argparse.ArgumentParser):
    """(program command, option) for every subcommand's options and positional arguments."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, subparser in sub.choices.items():
        assert subparser.description or subparser.format_help()
        for action in subparser._actions:
            if "--help" in action.option_strings:
                continue
            assert action.help, f"{program} {name} {action.option_strings or action.dest} has no help"
            yield f"python -m {program} {name}", (action.option_strings[0] if action.option_strings
                                                  else action.metavar or action.dest)


CASES = [*options("collectors", collectors_parser()), *options("metrics", metrics_parser())]


def usage_block(command: str) -> str:
    """The README's usage lines of COMMAND (its line and the indented lines that continue it)."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(command))
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        block.append(line)
    return "\n".join(block)


@pytest.mark.parametrize(("command", "option"), CASES)
def test_each_command_and_option_is_documented_with_help(command, option):
    assert option in usage_block(command), f"{command} {option} missing from the README's command list"


def test_every_doc_the_readme_links_exists():
    root = Path(__file__).resolve().parents[1]
    for name in ("docs/STORE.md", "docs/METRICS.md", "docs/DASHBOARD.md", "docs/OPERATIONS.md", "docs/GITHUB.md",
                 "docs/JIRA.md", "docs/DEMO.md", "docs/REVIEW_TOPICS.md", "docs/screenshot.png"):
        assert name in README and (root / name).exists(), name
