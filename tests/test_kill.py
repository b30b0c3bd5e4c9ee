"""A killed build leaves a site that works, and the next build leaves no trace of it.

Real ``antiphon build`` processes are killed (SIGKILL) at points spread over their run, while they
rename, edit and delete conversations (so pages are added, replaced and removed). After each kill
every link in the site must still lead to a file; after the next build the site must be exactly a
cold build's, with no temporary file, journal or marker left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sitecheck import broken_links

CONVERSATIONS = 150
TRIALS = 8


def _write_archive(content: Path, generation: int, conversations: int = CONVERSATIONS) -> None:
    """An archive whose titles, texts and members change with ``generation``."""
    for name in content.glob("*.md"):
        name.unlink()
    for number in range(conversations):
        if (number + generation) % 7 == 0:
            continue  # gone in this generation
        title = f"Keeper {number} ↔ Tide {(number * generation) % 5}"
        messages = "".join(f"---\n\n### Keeper {number}\n\nLine {line} of generation {generation}.\n\n"
                           for line in range(6))
        (content / f"t{number:04d}.md").write_text(
            f"# {title}\n\n**Started:** 2025-{1 + number % 12:02d}-{1 + number % 27:02d} 10:00:00\n"
            f"**Tags:** tide{generation % 3}, keeper\n\n{messages}---\n", "utf-8")


def _antiphon(project: Path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "-q", "-j", "2", *args], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _leftovers(site: Path) -> list[str]:
    """Temporary files, a journal, a marker, and folders left empty (made for pages never moved in)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.name.endswith(".tmp") or p.name in (".antiphon-commit.json", ".antiphon-building")
                  or p.is_dir() and not any(p.iterdir()))


def _published(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _finishes_as_a_cold_build(project: Path, cold: Path) -> None:
    """The next build succeeds, leaves no trace of the killed ones, and makes what a cold build makes."""
    finish = _antiphon(project)
    assert finish.wait() == 0, finish.stderr.read()
    assert _leftovers(project / "site") == []
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns("site"))
    assert _antiphon(cold).wait() == 0
    assert _published(project / "site") == _published(cold / "site")


def test_killed_builds_leave_a_working_site_and_the_next_build_cleans_up(tmp_path):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text("search = false\n", "utf-8")
    _write_archive(project / "content", 0)
    started = time.perf_counter()
    assert _antiphon(project).wait() == 0
    duration = time.perf_counter() - started
    site = project / "site"
    killed_with_leftovers = 0
    for trial in range(1, TRIALS + 1):
        _write_archive(project / "content", trial)
        build = _antiphon(project)
        time.sleep(duration * trial / (TRIALS + 1))
        build.send_signal(signal.SIGKILL)
        build.wait()
        killed_with_leftovers += bool(_leftovers(site))
        links = [problem for problem in broken_links(site, reachable=True) if "no id" not in problem]
        assert links == [], f"trial {trial}: {links[:5]}"
    assert killed_with_leftovers, "no kill landed while the build was writing: the test proves nothing"
    _finishes_as_a_cold_build(project, tmp_path / "cold")


@pytest.mark.parametrize("first, second", [("added", "replaced:0.3"), ("added:0.9", "replaced:0.6"), ("added", "added"),
                                           ("replaced", "added"), ("replaced", "replaced"), ("removed", "added")])
def test_builds_killed_twice_in_a_row_at_each_part_of_their_commits(tmp_path, first, second):
    """Killed at chosen points, not at random: part of the way through moving new files in, moving
    changed files in, or removing stale ones (see killed_build.py). A build killed while moving new files
    in, then the next killed while moving changed ones, left pages reachable from the index linking to
    pages never moved in (a CI run on 2026-12-07; the first two cases failed so before the fix)."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text("search = false\n", "utf-8")
    _write_archive(project / "content", 6, conversations=60)
    assert _antiphon(project).wait() == 0
    site = project / "site"
    for generation, part in ((7, first), (8, second)):
        _write_archive(project / "content", generation, conversations=60)
        killed = subprocess.run([sys.executable, str(ROOT / "tests" / "killed_build.py"), part], cwd=project,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        assert killed.returncode == 137, f"generation {generation} was not killed in its {part} files: {killed.stderr}"
        links = [problem for problem in broken_links(site, reachable=True) if "no id" not in problem]
        assert links == [], f"killed in its {part} files, generation {generation}: {links[:5]}"
    _finishes_as_a_cold_build(project, tmp_path / "cold")


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text("search = false\n", "utf-8")
    _write_archive(project / "content", 0)
    first = _antiphon(project)
    time.sleep(0.3)
    second = _antiphon(project)
    second_status, second_errors = second.wait(), second.stderr.read().decode()
    assert first.wait() == 0
    if second_status:  # it started while the first held the folder
        assert "another Antiphon build is writing to" in second_errors
    assert _leftovers(project / "site") == []


def test_what_a_commit_cut_short_moved_in_is_removed_even_when_the_build_after_it_is_killed_too(tmp_path, monkeypatch):
    """A build killed in the middle of its commit has moved new pages in that no manifest names; its
    journal tells the next build. When that build is killed in its turn, before its own commit, the
    one after must still know them (a CI run on 2026-12-06 found 26 pages of an earlier generation
    left after the last build). Kills are played by leaving the folder as a killed process would."""
    from generator.output import BUILDING, JOURNAL, OutputFolder
    site = tmp_path / "site"
    first = OutputFolder(site)
    with first.locked():
        first.begin("salt")
        first.write("index.html", "index")
        first.commit()
    cut_short = OutputFolder(site)
    with cut_short.locked():
        cut_short.begin("salt")
        cut_short.write("index.html", "index")
        cut_short.write("c/gone-soon/index.html", "a page of that build")
        with monkeypatch.context() as patched:  # killed after the moves, before the manifest
            patched.setattr(OutputFolder, "_write_manifest", lambda *args: (_ for _ in ()).throw(SystemExit))
            try:
                cut_short.commit()
            except SystemExit:
                pass
    assert (site / "c/gone-soon/index.html").is_file() and (site / JOURNAL).is_file()
    killed_before_commit = OutputFolder(site)
    with killed_before_commit.locked():
        killed_before_commit.begin("salt")
        killed_before_commit.write("index.html", "index")
    assert (site / BUILDING).is_file() and not (site / JOURNAL).exists()
    last = OutputFolder(site)
    with last.locked():
        last.begin("salt")
        last.write("index.html", "index")
        assert last.commit() == ["c/gone-soon/index.html"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if not p.name.startswith(".")) == ["index.html"]
