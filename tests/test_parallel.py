"""Parallel rendering: any number of jobs gives the same site, byte for byte."""

from __future__ import annotations

import random
import sys

from generator.config import load_config
from generator.site import build
from generator.workers import PARALLEL_MINIMUM
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import transcript  # noqa: E402


def site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_jobs_1_and_jobs_3_produce_identical_sites(tmp_path, monkeypatch):
    import generator.workers as workers
    forked = []
    real_fork_map = workers.fork_map
    monkeypatch.setattr(workers, "fork_map", lambda *args, **kw: forked.append(args[2]) or real_fork_map(*args, **kw))
    rng = random.Random(11)
    (tmp_path / "content").mkdir()
    for number in range(PARALLEL_MINIMUM + 16):
        (tmp_path / "content" / f"t{number:03d}.md").write_text(transcript(rng, number), "utf-8")
    (tmp_path / "antiphon.toml").write_text('search = false\nbase_url = "https://example.org/a/"\n', "utf-8")
    one = build(load_config(None, tmp_path, output_dir="one"), jobs=1)
    three = build(load_config(None, tmp_path, output_dir="three"), jobs=3)
    assert not one.failed() and not three.failed()
    assert forked == [3]  # the pages of the second build really were rendered by 3 worker processes
    assert one.pages == three.pages and len(one.written) == len(three.written)
    assert site_files(tmp_path / "one") == site_files(tmp_path / "three")
