"""``antiphon new`` and ``antiphon deploy`` (against a local bare repository)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": "/tmp"}


def antiphon(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={**GIT_ENV, "PYTHONPATH": str(ROOT)})


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=GIT_ENV).stdout


@pytest.fixture
def archive(tmp_path):
    """A new archive as a git repository with a bare 'origin', built once."""
    assert antiphon("new", "archive", "--title", "Test archive", cwd=tmp_path).returncode == 0
    repo = tmp_path / "archive"
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "Start", cwd=repo)
    git("init", "-q", "--bare", str(tmp_path / "origin.git"), cwd=tmp_path)
    git("remote", "add", "origin", str(tmp_path / "origin.git"), cwd=repo)
    assert antiphon("build", cwd=repo).returncode == 0
    return repo


def test_new_scaffolds_a_buildable_archive(tmp_path):
    run = antiphon("new", "my-archive", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    project = tmp_path / "my-archive"
    for path in ("antiphon.toml", "content/first-conversation.md", ".github/workflows/pages.yml", ".gitignore"):
        assert (project / path).is_file(), path
    workflow = (project / ".github/workflows/pages.yml").read_text()
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert action in workflow
    assert 'title = "My archive"' in (project / "antiphon.toml").read_text()
    build = antiphon("build", "--strict", cwd=project)
    assert build.returncode == 0, build.stderr
    assert (project / "site/c/2025-01-01-first-speaker-second-speaker/index.html").is_file()


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    run = antiphon("new", "taken", cwd=tmp_path)
    assert run.returncode == 1 and "not an empty folder" in run.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_the_repository_ships_a_pages_workflow():
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    assert "antiphon build" in workflow and "actions/deploy-pages@" in workflow


def test_deploy_publishes_exactly_the_site_and_leaves_the_work_tree_alone(archive, tmp_path):
    status_before = git("status", "--porcelain", cwd=archive)
    run = antiphon("deploy", "-m", "First publish", cwd=archive)
    assert run.returncode == 0, run.stderr
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=archive).strip() == "main"
    assert git("status", "--porcelain", cwd=archive) == status_before
    origin = tmp_path / "origin.git"
    published = sorted(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=origin).split())
    built = sorted(p.relative_to(archive / "site").as_posix() for p in (archive / "site").rglob("*")
                   if p.is_file() and not p.name.startswith(".antiphon-"))
    assert published == built
    assert git("log", "--format=%s", "gh-pages", cwd=origin).split("\n")[0] == "First publish"

    (archive / "content/first-conversation.md").write_text(
        (archive / "content/first-conversation.md").read_text().replace("example transcript", "edited transcript"))
    git("commit", "-qam", "Edit", cwd=archive)
    assert antiphon("build", cwd=archive).returncode == 0
    assert antiphon("deploy", cwd=archive).returncode == 0
    log = git("log", "--format=%s", "gh-pages", cwd=origin).strip().splitlines()
    assert len(log) == 2 and log[0].startswith("Deploy ")
    page = git("show", "gh-pages:c/2025-01-01-first-speaker-second-speaker/index.html", cwd=origin)
    assert "edited transcript" in page


def test_deploy_refuses_an_unbuilt_site_and_uncommitted_sources(archive):
    (archive / "content/first-conversation.md").write_text("# Changed ↔ Not committed\n")
    run = antiphon("deploy", cwd=archive)
    assert run.returncode == 1 and "uncommitted changes to the archive's sources" in run.stderr
    git("checkout", "--", "content", cwd=archive)
    subprocess.run(["rm", "-rf", str(archive / "site")], check=True)
    run = antiphon("deploy", cwd=archive)
    assert run.returncode == 1 and "run 'antiphon build' first" in run.stderr


def test_deploy_options_branch_remote_and_no_push(archive, tmp_path):
    run = antiphon("deploy", "--branch", "published", "--no-push", cwd=archive)
    assert run.returncode == 0, run.stderr
    assert "index.html" in git("ls-tree", "--name-only", "published", cwd=archive)
    assert git("ls-remote", str(tmp_path / "origin.git"), cwd=archive) == ""  # nothing pushed
    run = antiphon("deploy", "--remote", "nowhere", cwd=archive)
    assert run.returncode == 1 and "no git remote named 'nowhere'" in run.stderr
