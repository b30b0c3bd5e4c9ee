"""The antiphon command as a user runs it: exit status, summary, problems on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.config import Config
from generator.site import build
from tests.conftest import ROOT, transcript


def antiphon(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_build_prints_a_summary_and_exits_zero(project):
    (project / "content/a.md").write_text(transcript(), "utf-8")
    run = antiphon("build", cwd=project)
    assert run.returncode == 0, run.stderr
    assert "Built 1 conversation into site/" in run.stdout
    assert "0 errors, 0 warnings, 0 notes; done in" in run.stdout
    assert (project / "site/c/alice-bob/index.html").is_file()


def test_errors_name_file_and_line_and_fail_the_build(project):
    (project / "content/a.md").write_text(transcript(), "utf-8")
    (project / "content/b.md").write_text("# A ↔ B\n\n---\n\noops\n", "utf-8")
    run = antiphon("build", cwd=project)
    assert run.returncode == 1
    assert "content/b.md:5: error: expected '### speaker' after the first '---'" in run.stderr
    assert "1 error, 0 warnings, 0 notes; FAILED" in run.stdout
    assert (project / "site/c/alice-bob/index.html").is_file()


def test_strict_makes_warnings_fatal(project):
    (project / "content/a.md").write_text(transcript(header="**Messages:** 9"), "utf-8")
    assert antiphon("build", cwd=project).returncode == 0
    run = antiphon("build", "--strict", cwd=project)
    assert run.returncode == 1
    assert "content/a.md:3: warning: header says 9 messages but 2 were read" in run.stderr


def test_content_and_out_options(project, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "x.md").write_text(transcript(), "utf-8")
    run = antiphon("build", "--content", str(other), "--out", "public", cwd=project)
    assert run.returncode == 0, run.stderr
    assert (project / "public/c/alice-bob/index.html").is_file()


def test_config_errors_are_one_line_not_a_traceback(project):
    (project / "antiphon.toml").write_text("per_page = 'x'\n", "utf-8")
    run = antiphon("build", cwd=project)
    assert run.returncode == 1
    assert run.stderr.strip() == "antiphon: error: antiphon.toml: 'per_page' must be int, not str"


def test_missing_content_folder_is_a_clear_error(tmp_path):
    run = antiphon("build", cwd=tmp_path)
    assert run.returncode == 1
    assert "content folder not found" in run.stderr and "Traceback" not in run.stderr


def test_version_and_help():
    assert antiphon("--version", cwd=ROOT).stdout.startswith("antiphon ")
    assert "build" in antiphon("--help", cwd=ROOT).stdout


def test_notes_of_one_kind_are_folded_into_one_line():
    from generator.commands.build import file_patterns, report_lines
    from generator.diagnostics import Diagnostic, note
    skipped = [note(f"content/run{i}.txt.media_state.json", 0, "not a transcript: JSON of a shape no reader knows")
               for i in range(5)] + [note(f"content/t{i}_meta.jsonl", 0, "not a transcript: JSON") for i in range(3)]
    empty = [note(f"content/e{i}.txt", 1, "an empty log (the run wrote no messages); skipped") for i in range(4)]
    lines = report_lines([Diagnostic("content/x.md", 3, "warning", "header says 2 messages")] + skipped + empty)
    assert lines == [
        "content/x.md:3: warning: header says 2 messages",
        "note: 8 files are not transcripts: 5 *.txt.media_state.json, 3 *_meta.jsonl; add them to 'exclude' in "
        "antiphon.toml (or to .antiphonignore) to silence this",
        "note: 4 files: an empty log (the run wrote no messages); skipped (content/e0.txt, content/e1.txt, …)"]
    assert report_lines(empty[:2]) == [str(d) for d in empty[:2]]  # a few are printed as they are
    assert file_patterns(["a/x.md.bak.json"]) == {"*.json": 1}


def test_a_site_too_big_for_github_pages_is_a_warning(tmp_path):
    from generator.commands.build import size_warning
    assert size_warning(999_000_000, 20_000) == ""
    assert "1.20 GB; GitHub Pages publishes at most 1 GB" in size_warning(1_200_000_000, 10)
    assert "downloads = []" in size_warning(1_200_000_000, 10, ["source"])
    assert "downloads" not in size_warning(1_200_000_000, 10, [])  # none to offer fewer of
    assert "150,000 files" in size_warning(10, 150_000)
    # The size is what the build's manifest says it wrote: every published file, and only those.
    result = build(Config(content_dir=ROOT / "content", output_dir=tmp_path / "site", search=False))
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and not p.name.startswith(".antiphon")]
    assert result.site_size == (sum(p.stat().st_size for p in published), len(published))
