"""The README stays true: its commands are what CI runs, its config table lists every key."""

from __future__ import annotations

import re

from generator.config import options
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci/run").read_text("utf-8")
    build, tests = shell_blocks()[:2]
    assert "antiphon build" in build and "pytest" in tests
    assert build.strip() in ci and tests.strip() in ci


def test_every_config_key_is_documented():
    for option in options():
        assert f"| `{option.name}` |" in README, option.name
