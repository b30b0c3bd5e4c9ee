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


def test_the_workflow_keeps_the_site_between_runs_and_a_fresh_clone_beside_it_builds_nothing_new(archive, tmp_path):
    """As the Pages workflow runs: a fresh clone of the archive (every file's time new) at the same
    path, the last run's site restored beside it (actions/cache), then the build."""
    workflow = (archive / ".github/workflows/pages.yml").read_text()
    restore, build = workflow.index("uses: actions/cache/restore@"), workflow.index("antiphon build")
    assert restore < build and "path: site\n" in workflow[restore:restore + 120]
    assert "key: antiphon-site-${{ github.sha }}" in workflow and "restore-keys: antiphon-site-" in workflow
    # Saved after the build, under a digest of its state files, unless that is the key it was restored from.
    save = workflow.index("uses: actions/cache/save@")
    assert build < save < workflow.index("actions/upload-pages-artifact@")
    state = "hashFiles('site/.antiphon-manifest.json', 'site/.antiphon-sources.tsv')"
    assert f"key: antiphon-site-${{{{ {state} }}}}" in workflow[save:]
    assert f"steps.last-site.outputs.cache-matched-key != format('antiphon-site-{{0}}', {state})" in workflow
    state_files = ("site/.antiphon-manifest.json", "site/.antiphon-sources.tsv")
    before_edit = [(archive / name).read_bytes() for name in state_files]
    (archive / "content/second.md").write_text(
        "# Ada ↔ Echo\n\n**Started:** 2025-02-02 10:00:00\n\n---\n\n### Ada\n\nA second talk.\n\n---\n\n"
        "### Echo\n\nA second answer.\n\n---\n", "utf-8")
    git("add", "-A", cwd=archive)
    git("commit", "-q", "-m", "A second talk", cwd=archive)
    assert antiphon("build", cwd=archive).returncode == 0
    # A push that changed the site changes the save key: neither state file is as it was.
    assert all(before != (archive / name).read_bytes() for before, name in zip(before_edit, state_files))
    kept = tmp_path / "cache"
    (archive / "site").rename(kept)
    moved = tmp_path / "the-last-run"
    archive.rename(moved)
    git("clone", "-q", str(moved), str(archive), cwd=tmp_path)
    kept.rename(archive / "site")
    notes = _state_files(archive / "site")
    run = antiphon("build", cwd=archive)
    assert run.returncode == 0, run.stderr
    assert "0 files written" in run.stdout and "0 removed" in run.stdout
    # Not a transcript read again: what the last run noted of them (their times) stands as it was.
    assert _state_files(archive / "site") == notes


def _state_files(site: Path) -> dict[str, bytes]:
    """The build's own files in the site folder (.antiphon-*, and those in such folders), by path."""
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*")
            if path.is_file() and path.relative_to(site).parts[0].startswith(".antiphon-")}


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
                   if p.is_file() and not p.relative_to(archive / "site").parts[0].startswith(".antiphon-"))
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
    run = antiphon("deploy", "--no-build", cwd=archive)
    assert run.returncode == 1 and "run 'antiphon build' first" in run.stderr


def test_deploy_builds_first_so_an_edit_is_never_left_out(archive, tmp_path):
    source = archive / "content/first-conversation.md"
    source.write_text(source.read_text("utf-8").replace("This is an example transcript.", "This is an unbuilt edit."), "utf-8")
    git("commit", "-qam", "Edit", cwd=archive)
    run = antiphon("deploy", "--no-build", cwd=archive)  # the site as built is older than the edit
    assert run.returncode == 1 and "the site is older than content/first-conversation.md" in run.stderr
    run = antiphon("deploy", cwd=archive)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Published ") and " files of site/ as commit " in run.stdout
    page = git("show", "gh-pages:c/2025-01-01-first-speaker-second-speaker/index.html", cwd=tmp_path / "origin.git")
    assert "an unbuilt edit" in page
    assert antiphon("deploy", "--no-build", cwd=archive).returncode == 0  # built now: nothing is newer


def test_deploy_refuses_possible_secrets_unless_redacted_or_allowed(archive, tmp_path):
    key = "sk-ant-api03-" + "Qm7vT2pLx9Wk4RbN8yHc3Jd6sFgA1eZ0uVoXiNtKbMlPyCzDwE5rGhUq"
    source = archive / "content/first-conversation.md"
    source.write_text(source.read_text("utf-8").replace("This is an example transcript.", f"My key is {key}"), "utf-8")
    git("commit", "-qam", "A key", cwd=archive)
    origin = tmp_path / "origin.git"
    run = antiphon("deploy", cwd=archive)
    assert run.returncode == 1 and "would publish 1 possible secret in 1 file" in run.stderr
    assert "possible Anthropic API key (sk-ant-api03-Q…)" in run.stderr and key not in run.stderr + run.stdout
    assert git("ls-remote", str(origin), cwd=archive) == ""  # nothing published
    run = antiphon("deploy", "--allow-secrets", cwd=archive)
    assert run.returncode == 0 and "WARNING: publishing 1 possible secret" in run.stderr
    assert key in git("show", "gh-pages:c/2025-01-01-first-speaker-second-speaker/index.html", cwd=origin)

    with (archive / "antiphon.toml").open("a", encoding="utf-8") as config:
        config.write('\n[redact]\npatterns = { "sk-ant-[A-Za-z0-9_-]+" = "[key removed]" }\n')
    git("commit", "-qam", "Redact keys", cwd=archive)
    run = antiphon("deploy", cwd=archive)
    assert run.returncode == 0, run.stderr
    published = subprocess.run(["git", "grep", "-l", key, "gh-pages"], cwd=origin, capture_output=True, text=True)
    assert published.stdout == ""  # in no published file
    assert "[key removed]" in git("show", "gh-pages:c/2025-01-01-first-speaker-second-speaker/index.html", cwd=origin)


@pytest.mark.parametrize("remote, cname, address", [
    ("git@github.com:Ada/talks.git", "", "https://ada.github.io/talks/"),
    ("https://github.com/ada/talks", "", "https://ada.github.io/talks/"),
    ("https://github.com/ada/ada.github.io.git", "", "https://ada.github.io/"),
    ("ssh://git@github.com/ada/talks.git", "archive.example.org", "https://archive.example.org/"),
    ("/srv/git/talks.git", "", ""),
    ("https://gitlab.com/ada/talks.git", "", ""),
])
def test_deploy_works_out_the_pages_address_from_a_github_remote(remote, cname, address):
    from generator.commands.deploy import pages_address
    assert pages_address(remote, cname) == address


def test_deploy_options_branch_remote_and_no_push(archive, tmp_path):
    run = antiphon("deploy", "--branch", "published", "--no-push", cwd=archive)
    assert run.returncode == 0, run.stderr
    assert "index.html" in git("ls-tree", "--name-only", "published", cwd=archive)
    assert git("ls-remote", str(tmp_path / "origin.git"), cwd=archive) == ""  # nothing pushed
    run = antiphon("deploy", "--remote", "nowhere", cwd=archive)
    assert run.returncode == 1 and "no git remote named 'nowhere'" in run.stderr


def test_new_writes_a_workflow_that_installs_what_it_is_told(tmp_path):
    wheel = tmp_path / "antiphon-9.9.9-py3-none-any.whl"
    wheel.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: only copied here
    run = antiphon("new", "with-wheel", "--install", str(wheel), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    workflow = (tmp_path / "with-wheel/.github/workflows/pages.yml").read_text()
    assert 'pip install "./vendor/antiphon-9.9.9-py3-none-any.whl"' in workflow
    assert (tmp_path / "with-wheel/vendor" / wheel.name).read_bytes() == wheel.read_bytes()
    run = antiphon("new", "from-git", "--install", "antiphon @ git+https://example.org/a.git@abc123", cwd=tmp_path)
    assert 'pip install "antiphon @ git+https://example.org/a.git@abc123"' in \
        (tmp_path / "from-git/.github/workflows/pages.yml").read_text()
    run = antiphon("new", "no-wheel", "--install", str(tmp_path / "missing.whl"), cwd=tmp_path)
    assert run.returncode == 1 and not (tmp_path / "no-wheel").exists()


def test_the_default_workflow_requirement_is_one_that_exists(monkeypatch, tmp_path):
    from generator.commands import new
    monkeypatch.setattr(new, "_direct_url", lambda: {"url": "https://github.com/ada/antiphon",
                                                     "vcs_info": {"vcs": "git", "commit_id": "f00d"}})
    assert new.workflow_requirement()[0] == "antiphon @ git+https://github.com/ada/antiphon@f00d"
    monkeypatch.setattr(new, "_direct_url", lambda: {})
    monkeypatch.setattr(new, "_on_pypi", lambda version: True)
    assert new.workflow_requirement() == (f"antiphon=={new.__version__}", "PyPI")
    # Not on PyPI, run from a checkout whose commit no remote has: no source, and new says so.
    monkeypatch.setattr(new, "_on_pypi", lambda version: False)
    monkeypatch.setattr(new, "_direct_url", lambda: {"url": f"file://{tmp_path}", "dir_info": {"editable": True}})
    assert new.workflow_requirement()[1] == ""


def test_the_release_workflow_checks_the_wheel_and_publishes_with_trusted_publishing():
    release = (ROOT / ".github/workflows/release.yml").read_text()
    for step in ("python -m build", "twine check --strict", "/tmp/fresh/bin/antiphon new archive",
                 "antiphon build --strict", "id-token: write", "pypa/gh-action-pypi-publish@"):
        assert step in release, step
