"""Documentation is tested: every command and option of the command line appears in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from collectors.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def options(parser: argparse.ArgumentParser):
    """(command, option) for every subcommand's options and positional arguments."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, subparser in sub.choices.items():
        yield name, None
        for action in subparser._actions:
            if action.option_strings and "--help" not in action.option_strings:
                yield name, action.option_strings[-1]
            elif not action.option_strings:
                yield name, action.metavar or action.dest


@pytest.mark.parametrize(("command", "option"), list(options(build_parser())))
def test_each_collectors_command_and_option_is_in_the_readme(command, option):
    assert f"python -m collectors {command}" in README
    if option:
        line = next(line for line in README.splitlines() if line.startswith(f"python -m collectors {command}"))
        assert option in line, f"{command} {option} missing from the README's command list"
    parser_help = build_parser()
    assert parser_help.format_help()
