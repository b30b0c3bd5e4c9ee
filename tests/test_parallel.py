"""Parallel rendering: any number of jobs gives the same site, byte for byte."""

from __future__ import annotations

import random

import pytest
import sys

from generator.config import load_config
from generator.site import build
from generator.theme import TEMPLATE_CACHE
from generator.workers import PARALLEL_MINIMUM
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import transcript  # noqa: E402


def site_files(site):
    """Every file, the build's state files too; not the compiled templates, which are this Python's
    code objects (a cache, never published), and saved by whichever process compiled them."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != TEMPLATE_CACHE}


@pytest.mark.parametrize("related", [0, 5])
def test_jobs_1_and_jobs_3_produce_identical_sites(tmp_path, monkeypatch, related):
    import generator.workers as workers
    forked = []
    real_fork_map = workers.fork_map
    monkeypatch.setattr(workers, "fork_map", lambda *args, **kw: forked.append(args[2]) or real_fork_map(*args, **kw))
    from generator.library import Library
    completed = []
    real_take = Library.take_completions
    monkeypatch.setattr(Library, "take_completions", lambda self, done: completed.extend(done) or real_take(self, done))
    rng = random.Random(11)
    (tmp_path / "content").mkdir()
    for number in range(PARALLEL_MINIMUM + 16):
        (tmp_path / "content" / f"t{number:03d}.md").write_text(transcript(rng, number), "utf-8")
    (tmp_path / "antiphon.toml").write_text(f'search = false\nbase_url = "https://example.org/a/"\nrelated = {related}\n',
                                            "utf-8")
    one = build(load_config(None, tmp_path, output_dir="one"), jobs=1)
    three = build(load_config(None, tmp_path, output_dir="three"), jobs=3)
    assert not one.failed() and not three.failed()
    assert forked and set(forked) == {3}  # the second build's pages really were rendered by 3 worker processes
    # read in bulk, headers first (with the terms related conversations are found by), and completed
    # as their pages were made: in both builds, in this process and in the workers
    assert len(completed) == 2 * (PARALLEL_MINIMUM + 16) and all(problem is None for _, _, problem in completed)
    assert ("Related conversations" in "".join(p.read_text("utf-8") for p in (tmp_path / "three" / "c").glob(
        "*/index.html"))) == bool(related)
    assert one.pages == three.pages and len(one.written) == len(three.written)
    assert site_files(tmp_path / "one") == site_files(tmp_path / "three")


def test_after_a_parallel_build_the_next_build_compiles_no_template(tmp_path, monkeypatch):
    """Workers forked to render would each compile the templates for themselves, and the build kept
    none: the next build (an edit's) compiled them all again, 0.17 s of it. They are loaded first."""
    import jinja2
    rng = random.Random(3)
    (tmp_path / "content").mkdir()
    for number in range(PARALLEL_MINIMUM + 4):
        (tmp_path / "content" / f"t{number:03d}.md").write_text(transcript(rng, number), "utf-8")
    (tmp_path / "antiphon.toml").write_text("search = false\n", "utf-8")
    config = load_config(None, tmp_path)
    assert not build(config, jobs=2).failed()
    compiled = []
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *args, made=jinja2.Environment.compile, **kw: compiled.append(args) or made(self, *args, **kw))
    first = tmp_path / "content" / "t000.md"
    first.write_text(first.read_text("utf-8").rstrip() + "\n\nOne more line, said at the end.\n", "utf-8")
    assert not build(config, jobs=1).failed()  # a new Builder: as a new process, it reads the kept templates
    assert compiled == []


def test_speakers_named_only_in_the_messages_get_their_pages_with_any_jobs(tmp_path):
    """A large build reads native headers first; a speaker the header does not name (a title that names
    no one, or a first message by someone else) must still be in the archive before its lists are made:
    with 3 jobs, Keeper had no page, and the conversation's chip linked to nothing."""
    rng = random.Random(5)
    content = tmp_path / "content"
    content.mkdir()
    for number in range(PARALLEL_MINIMUM + 4):
        (content / f"t{number:03d}.md").write_text(transcript(rng, number), "utf-8")
    (content / "notes.md").write_text("# Notes of the night shift\n\n---\n\n### Keeper\n\nAll quiet.\n\n---\n", "utf-8")
    (content / "guest.md").write_text("# Ada ↔ Echo\n\n---\n\n### Warden\n\nDoors open.\n\n---\n\n### Ada\n\n"
                                      "Hello.\n\n---\n", "utf-8")
    (tmp_path / "antiphon.toml").write_text("search = false\n", "utf-8")
    one = build(load_config(None, tmp_path, output_dir="one"), jobs=1)
    three = build(load_config(None, tmp_path, output_dir="three"), jobs=3)
    assert not one.failed() and not three.failed()
    for speaker in ("keeper", "warden"):
        assert (tmp_path / "three" / "speakers" / speaker / "index.html").is_file()
    assert site_files(tmp_path / "one") == site_files(tmp_path / "three")


@pytest.mark.parametrize("related", [0, 5])
def test_a_transcript_whose_header_reads_but_body_does_not_is_reported_and_left_out(tmp_path, related):
    """Read in bulk, a transcript is placed by its header first; if its body then fails to read, the
    build places the others again without it, as a one-process build (which reads each whole) does."""
    rng = random.Random(12)
    (tmp_path / "content").mkdir()
    for number in range(PARALLEL_MINIMUM + 8):
        (tmp_path / "content" / f"t{number:03d}.md").write_text(transcript(rng, number), "utf-8")
    (tmp_path / "content" / "t040b.md").write_text(  # sorts among the others: it has neighbours
        "# Alice ↔ Bob\n\n**Started:** 2024-06-01 10:00:00\n\n---\n\nno heading here\n\n---\n\n### Alice\n\nhi\n\n---\n",
        "utf-8")
    (tmp_path / "antiphon.toml").write_text(f'search = false\nbase_url = "https://example.org/a/"\nrelated = {related}\n',
                                            "utf-8")
    one = build(load_config(None, tmp_path, output_dir="one"), jobs=1)
    three = build(load_config(None, tmp_path, output_dir="three"), jobs=3)
    for result in (one, three):
        assert [(d.path, d.line) for d in result.errors] == [("content/t040b.md", 7)]
        assert result.conversations == PARALLEL_MINIMUM + 8
    assert site_files(tmp_path / "one") == site_files(tmp_path / "three")
