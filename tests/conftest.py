from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"

# Regenerate golden files with:  ANTIPHON_UPDATE_GOLDEN=1 python -m pytest tests
UPDATE_GOLDEN = os.environ.get("ANTIPHON_UPDATE_GOLDEN") == "1"


def transcript(title: str = "Alice ↔ Bob", header: str = "", messages=(("Alice", "Hello."), ("Bob", "Hi."))) -> str:
    """A native-format transcript, for tests that need a small one inline."""
    lines = [f"# {title}", ""]
    if header:
        lines += [header, ""]
    for speaker, text in messages:
        lines += ["---", "", f"### {speaker}", "", text, ""]
    lines += ["---", ""]
    return "\n".join(lines)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with a content/ folder; tests add transcripts to it."""
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/site (a small archive that exercises every page kind)."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "site", target)
    return target
