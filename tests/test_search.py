"""The search index in shards: an edit re-indexes one shard, the same pages give the same bytes,
and a Pagefind failure keeps the last index (in-page behaviour is in test_browser_search.py)."""

from __future__ import annotations

import io
import json
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.progress import TerminalProgress, progress_line
from generator.search import bundle_files, pagefind, shards
from generator.search.kept import FOLDER as KEPT
from generator.search.pagefind import Messages, PagefindError
from generator.search.records import message_starts
from generator.search.shards import (FEW_SHARDS, FOLDER, MAX_SHARDS, MOST_PAGES_PER_SHARD, PAGES_PER_SHARD,
                                      shard_count, shard_of)
from generator.result import EDITS, FULL
from generator.site import Builder, build
from tests.conftest import transcript
from tests.test_cli import antiphon

CONVERSATIONS = 100
SMALL_SHARDS = 30  # so that the 100 make four shards, as a large archive's thousands do


def _archive(project: Path, count: int = CONVERSATIONS) -> Path:
    for number in range(count):
        text = transcript(title=f"Talk {number:03d} ↔ Echo", header=f"**Started:** 2025-03-{number % 28 + 1:02d} 10:00:00",
                          messages=((f"Talk {number:03d}", f"The lantern number {number} hums."), ("Echo", "It does.")))
        (project / "content" / f"talk-{number:03d}.md").write_text(text, "utf-8")
    return project


def _index_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes()
            for path in sorted((site / FOLDER).rglob("*")) if path.is_file()}


@pytest.fixture
def project_of_100(tmp_path, monkeypatch):
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", SMALL_SHARDS)
    (tmp_path / "content").mkdir()
    return _archive(tmp_path)


def test_an_edit_indexes_only_the_shard_of_the_edited_conversation(project_of_100):
    builder = Builder(load_config(None, project_of_100))
    first = builder.build()
    assert not first.failed() and (first.shards, first.shards_indexed) == (4, 4)
    site = project_of_100 / "site"
    before = _index_files(site)
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace("hums.", "hums, then sings."), "utf-8")

    result = builder.build()

    shard = f"{FOLDER}{shard_of('2025-03-15-talk-042-echo', 4):03d}/"
    assert (result.shards, result.shards_indexed) == (4, 1)
    after = _index_files(site)
    changed = {path for path, data in after.items() if before.get(path) != data}
    assert changed and all(path.startswith(shard) for path in changed)
    assert all(path in after for path in before if not path.startswith(shard))  # the other shards kept
    assert all(path.startswith(shard) for path in result.written if path.startswith(FOLDER))
    assert builder.build().shards_indexed == 0  # nothing changed: nothing indexed


@pytest.mark.parametrize("old, new, path", [("hums.", "hums, then sings of the harbour.", FULL),
                                             ("It does.", "It DOES.", EDITS)])  # no list shows this one
def test_an_edits_shard_is_indexed_while_the_lists_are_made_into_the_bytes_a_cold_build_gives(
        tmp_path, project_of_100, monkeypatch, old, new, path):
    """A new process (as `antiphon build` after an edit): the edited conversation's shard is given to
    Pagefind as it was before the page is made again, and then only the pages that changed; update_index
    indexes nothing itself."""
    import generator.search as search
    assert not build(load_config(None, project_of_100)).failed()
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace(old, new), "utf-8")
    indexed_late, indexed_whole, given_again = [], [], []
    index_all, index_whole, finish = search._index_all, search.EarlyIndex._index, search.EarlyIndex._finish
    monkeypatch.setattr(search, "_index_all", lambda shards, *rest: indexed_late.extend(shards) or index_all(shards, *rest))
    monkeypatch.setattr(search.EarlyIndex, "_index",
                        lambda self, shard, pages: indexed_whole.append(shard.number) or index_whole(self, shard, pages))
    monkeypatch.setattr(search.EarlyIndex, "_finish", lambda self, opened, shard, changed: given_again.append(
        (shard.number, [path for path, _, _ in changed])) or finish(self, opened, shard, changed))

    result = build(load_config(None, project_of_100), jobs=2)  # one job: no other core to index on

    assert not result.failed() and (result.shards, result.shards_indexed) == (4, 1) and result.path == path
    [(number, paths)] = given_again
    assert number == shard_of("2025-03-15-talk-042-echo", 4) and "c/2025-03-15-talk-042-echo/index.html" in paths
    assert len(paths) < 10 and indexed_whole == [] and indexed_late == []
    _undo(monkeypatch)
    _assert_index_of_a_cold_build(project_of_100, source, tmp_path / "cold")


def test_a_full_build_after_an_edit_makes_the_edited_shards_pages_first_and_indexes_them_meanwhile(
        tmp_path, project_of_100, monkeypatch):
    """Pagefind starts on the edited conversation's shard once that shard's pages are made, not once
    every conversation's page is: the rest are made while it indexes."""
    import generator.search as search
    assert not build(load_config(None, project_of_100)).failed()
    _edit(project_of_100, "talk-042.md", "hums, then sings of the harbour.")  # a list shows this: a full build
    made_when_started = []
    start = search.EarlyIndex.start
    monkeypatch.setattr(search.EarlyIndex, "start", lambda self, pages=None: made_when_started.append(
        sorted(self._out.building(search._is_page))) or start(self, *([pages] if pages else [])))

    result = build(load_config(None, project_of_100), jobs=2)

    assert not result.failed() and result.path == FULL and (result.shards, result.shards_indexed) == (4, 1)
    [made] = made_when_started
    number = shard_of("2025-03-15-talk-042-echo", 4)
    assert "c/2025-03-15-talk-042-echo/index.html" in made
    assert made and all(shard_of(path.split("/")[1], 4) == number for path in made)
    assert len(list((project_of_100 / "site/c").glob("*/index.html"))) == CONVERSATIONS
    _undo(monkeypatch)
    _assert_index_of_a_cold_build(project_of_100, project_of_100 / "content/talk-042.md", tmp_path / "cold")


def test_an_edited_page_that_cannot_be_made_leaves_its_shard_to_update_index(project_of_100, monkeypatch):
    """The edited shard's pages are made first, but one fails (a theme's bug): that shard is not
    indexed early, and update_index indexes it without the page, as the site now is."""
    import generator.search as search
    import generator.workers as workers
    assert not build(load_config(None, project_of_100)).failed()
    _edit(project_of_100, "talk-042.md", "hums, then sings of the harbour.")
    render, started, indexed_early, indexed_late = workers.render_page, [], [], []
    monkeypatch.setattr(workers, "render_page", lambda theme, page: ([], [workers.template_problem(
        RuntimeError("a theme's bug"), page.template, page.file)]) if "talk-042" in page.path else render(theme, page))
    start, index_all, finish = search.EarlyIndex.start, search._index_all, search.EarlyIndex._finish
    monkeypatch.setattr(search.EarlyIndex, "start", lambda self, pages=None: started.append(pages is not None) or
                        start(self, pages))
    monkeypatch.setattr(search.EarlyIndex, "_finish", lambda self, *rest: indexed_early.append(rest[1].number) or
                        finish(self, *rest))
    monkeypatch.setattr(search, "_index_all", lambda shards, *rest: indexed_late.extend(s.number for s in shards) or
                        index_all(shards, *rest))

    result = build(load_config(None, project_of_100), jobs=2)

    number = shard_of("2025-03-15-talk-042-echo", 4)
    assert [d.message for d in result.errors if "a theme's bug" in d.message]
    assert started == [True] and indexed_early == [] and indexed_late == [number]
    assert not (project_of_100 / "site/c/2025-03-15-talk-042-echo").exists()
    shard = project_of_100 / "site" / f"{FOLDER}{number:03d}"
    assert (result.shards, result.shards_indexed) == (4, 1) and (shard / "pagefind-entry.json").exists()


def test_an_edit_that_moves_its_conversation_to_another_shard_gives_the_bytes_a_cold_build_gives(
        tmp_path, project_of_100, monkeypatch):
    """The shard prepared for the edited conversation no longer holds it: indexed whole instead."""
    import generator.search as search
    assert not build(load_config(None, project_of_100)).failed()
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace("Talk 042 ↔ Echo", "Talk 042 ↔ Echo, renamed"), "utf-8")
    prepared, indexed_whole = [], []
    prepare, index_whole = search.EarlyIndex.prepare, search.EarlyIndex._index
    monkeypatch.setattr(search.EarlyIndex, "prepare", lambda self, slugs: prepared.extend(slugs) or prepare(self, slugs))
    monkeypatch.setattr(search.EarlyIndex, "_index",
                        lambda self, shard, pages: indexed_whole.append(shard.number) or index_whole(self, shard, pages))
    result = build(load_config(None, project_of_100), jobs=2)
    assert not result.failed() and result.shards_indexed >= 1
    assert prepared == ["2025-03-15-talk-042-echo"] and indexed_whole
    _undo(monkeypatch)
    _assert_index_of_a_cold_build(project_of_100, source, tmp_path / "cold")


def test_an_edit_whose_shard_lost_a_page_from_the_site_gives_the_bytes_a_cold_build_gives(tmp_path, project_of_100):
    """The shard's pages as they were cannot all be read: it is indexed from the pages the build makes."""
    assert not build(load_config(None, project_of_100)).failed()
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace("It does.", "It DOES."), "utf-8")
    number = shard_of("2025-03-15-talk-042-echo", 4)
    neighbour = next(page for page in sorted((project_of_100 / "site/c").glob("*/index.html"))
                     if shard_of(page.parent.name, 4) == number and "talk-042" not in page.parent.name)
    neighbour.unlink()
    result = build(load_config(None, project_of_100), jobs=2)
    assert not result.failed() and neighbour.exists()
    _assert_index_of_a_cold_build(project_of_100, source, tmp_path / "cold")


def _assert_index_of_a_cold_build(project: Path, edited: Path, cold: Path) -> None:
    """The project's index is the one a cold build of the same transcripts (``edited`` as it is) makes."""
    (cold / "content").mkdir(parents=True)
    _archive(cold)
    (cold / "content" / edited.name).write_bytes(edited.read_bytes())
    assert not build(load_config(None, cold)).failed()
    assert _index_files(project / "site") == _index_files(cold / "site")


def _page(words: str) -> bytes:
    return f'<html lang="en"><body><div data-pagefind-body><p>{words}</p></div></body></html>'.encode()


@pytest.mark.parametrize("jobs", [1, 2])  # indexed by update_index, and early while the lists are made
def test_an_edit_reads_only_the_edited_page_for_its_shard_and_gives_the_bytes_a_cold_build_gives(
        tmp_path, project_of_100, monkeypatch, jobs):
    """The shard's other pages are given to Pagefind as the last build kept them."""
    import generator.search as search
    assert not build(load_config(None, project_of_100), jobs=jobs).failed()
    assert len(list((project_of_100 / "site" / KEPT).glob("*.tsv"))) == 4
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace("It does.", "It DOES."), "utf-8")
    read, entry_of = [], search.search_entry
    monkeypatch.setattr(search, "search_entry", lambda page: read.append(page) or entry_of(page))
    result = build(load_config(None, project_of_100), jobs=jobs)
    assert not result.failed() and result.shards_indexed == 1
    assert len(read) == 1 and b"It DOES." in read[0]
    _undo(monkeypatch)
    _assert_index_of_a_cold_build(project_of_100, source, tmp_path / "cold")


@pytest.mark.parametrize("damage", ["an entry's words", "a line's key", "the salt", "the whole file"])
def test_kept_entries_changed_by_hand_are_not_used(tmp_path, project_of_100, damage):
    assert not build(load_config(None, project_of_100)).failed()
    number = shard_of("2025-03-15-talk-042-echo", 4)
    kept = project_of_100 / "site" / KEPT / f"{number:03d}.tsv"
    data = kept.read_bytes()
    if damage == "an entry's words":  # every page of the shard says it
        data = data.replace(b"It does.", b"It was changed by hand.")
    elif damage == "a line's key":  # as if the page had been made from what the edit makes
        data = data.replace(b"\tc/", b"\tc/x", 1)
    elif damage == "the salt":
        data = data.replace(b" ", b"  ", 1)
    else:
        data = bytes(range(256)) * 3
    kept.write_bytes(data)
    source = project_of_100 / "content/talk-042.md"
    source.write_text(source.read_text("utf-8").replace("hums.", "hums, once."), "utf-8")
    assert not build(load_config(None, project_of_100), jobs=2).failed()
    _assert_index_of_a_cold_build(project_of_100, source, tmp_path / "cold")


def test_kept_entries_of_shards_that_are_no_more_are_forgotten(project_of_100):
    assert not build(load_config(None, project_of_100)).failed()
    for source in sorted((project_of_100 / "content").glob("*.md"))[40:]:
        source.unlink()
    result = build(load_config(None, project_of_100))
    assert not result.failed() and result.shards == 2
    assert sorted(path.name for path in (project_of_100 / "site" / KEPT).iterdir()) == ["000.tsv", "001.tsv"]


_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(st.dictionaries(_LINE_TEXT.map(lambda text: f"c/{text}/index.html"),
                       st.tuples(st.text("0123456789abcdef", min_size=1, max_size=40),
                                 st.binary(max_size=40).map(lambda b: b"{" + b.translate(None, b"\t\n") + b"}")),
                       max_size=8),
       st.binary(max_size=200))
@settings(deadline=None)
def test_kept_entries_read_back_as_kept_and_any_file_reads_as_some_of_them_or_none(tmp_path_factory, entries, junk):
    from generator.output import BuildState
    from generator.search.kept import KeptEntries
    state = BuildState(tmp_path_factory.mktemp("site"), {})
    kept = KeptEntries(state, "salt")
    kept.keep(3, [(path, key, added) for path, (key, added) in entries.items()])
    lines_safe = {path: found for path, found in entries.items() if "\n" not in path}
    assert kept.of(3) == lines_safe and KeptEntries(state, "other salt").of(3) == {}
    (state.root / KEPT / "003.tsv").write_bytes(b"antiphon search entries 1 salt\n" + junk)
    assert all(isinstance(key, str) and isinstance(added, bytes) for key, added in kept.of(3).values())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["lantern", "hums", "harbour", "tide", "sings", "x"]), min_size=1, max_size=4)
                .map(" ".join).map(_page), min_size=1, max_size=6), st.data())
def test_pages_given_again_take_their_places_in_the_index(before, data):
    """What the early index relies on: the pages as they were, then those that changed, make the
    bundle of the pages as they are."""
    pages = [(f"/c/{number}/", page) for number, page in enumerate(before)]
    changed = data.draw(st.sets(st.sampled_from(range(len(pages)))))
    now = [(url, _page("changed " + str(number)) if number in changed else page)
           for number, (url, page) in enumerate(pages)]
    with pagefind.PagefindService() as service:
        fresh = bundle_files(service.index(now), primary=False)
        index = service.open_index()
        index.add(pages)
        index.add([now[number] for number in sorted(changed)])
        again = bundle_files(index.files(), primary=False)
        index.close()
    assert again == fresh and len(fresh) > 3


def _undo(monkeypatch) -> None:
    """Undo a test's patches, keeping the fixture's small shards."""
    monkeypatch.undo()
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", SMALL_SHARDS)


def _edit(project: Path, name: str, words: str) -> None:
    source = project / "content" / name
    source.write_text(source.read_text("utf-8").replace("hums.", words), "utf-8")


def test_a_pagefind_failure_while_indexing_early_is_an_error_and_keeps_the_last_index(project_of_100, monkeypatch):
    assert not build(load_config(None, project_of_100), jobs=2).failed()
    before = _index_files(project_of_100 / "site")
    _edit(project_of_100, "talk-007.md", "hums low and long.")
    import generator.search as search

    def fail(self):
        raise PagefindError("pagefind stopped: out of memory")

    monkeypatch.setattr(search.PagefindIndex, "files", fail)
    result = build(load_config(None, project_of_100), jobs=2)
    assert any(d.level == "error" and "out of memory" in d.message for d in result.diagnostics)
    assert _index_files(project_of_100 / "site") == before
    _undo(monkeypatch)
    again = build(load_config(None, project_of_100), jobs=2)
    assert not again.failed() and again.shards_indexed == 1


def test_a_build_that_fails_after_indexing_began_leaves_no_pagefind_running(project_of_100, monkeypatch):
    import generator.site as site
    assert not build(load_config(None, project_of_100), jobs=2).failed()
    _edit(project_of_100, "talk-011.md", "hums a tune nobody knows.")
    started, closed = [], []
    service_init, service_close = pagefind.PagefindService.__init__, pagefind.PagefindService.close
    monkeypatch.setattr(pagefind.PagefindService, "__init__", lambda self: started.append(self) or service_init(self))
    monkeypatch.setattr(pagefind.PagefindService, "close", lambda self: closed.append(self) or service_close(self))

    def interrupted(views):
        import time
        deadline = time.monotonic() + 10
        while not started and time.monotonic() < deadline:  # the shard is being indexed meanwhile
            time.sleep(0.01)
        raise KeyboardInterrupt  # Ctrl-C while the lists are made

    monkeypatch.setattr(site, "_listings", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(load_config(None, project_of_100), jobs=2)
    assert started and closed == started
    assert all(service._process.poll() is not None for service in started)


@pytest.mark.parametrize("gone", ["the index", "one file of one shard"])
def test_an_index_file_that_has_gone_is_made_again(project_of_100, gone):
    assert not build(load_config(None, project_of_100)).failed()
    site = project_of_100 / "site"
    before = _index_files(site)
    if gone == "the index":
        shutil.rmtree(site / FOLDER)
    else:
        next((site / FOLDER / "002" / "fragment").iterdir()).unlink()
    again = Builder(load_config(None, project_of_100)).build()
    assert not again.failed() and again.shards_indexed == (4 if gone == "the index" else 1)
    assert _index_files(site) == before


def test_a_theme_edit_indexes_every_shard_again(project_of_100):
    """A page's key digests what it shows, not the template that shows it: after a theme (or code, or
    config) change every page is made again, and so must every shard be, or search finds old pages."""
    import gzip
    import shutil
    from generator.theme import BUNDLED
    shutil.copytree(BUNDLED / "default", project_of_100 / "themes/mine")
    (project_of_100 / "antiphon.toml").write_text('theme = "mine"\n', "utf-8")
    builder = Builder(load_config(None, project_of_100))
    assert builder.build().shards_indexed == 4
    template = project_of_100 / "themes/mine/templates/conversation.html"
    marked = '<div class="messages" data-pagefind-body>'
    template.write_text(template.read_text("utf-8").replace(marked, marked + "<p>Transcribed aloud.</p>"), "utf-8")

    result = builder.build()

    assert not result.failed() and (result.shards, result.shards_indexed) == (4, 4)
    for fragment in (project_of_100 / "site" / FOLDER).rglob("*.pf_fragment"):
        assert b"Transcribed aloud." in gzip.decompress(fragment.read_bytes())


def test_the_search_page_lists_every_shard_and_the_first_carries_the_runtime(project_of_100):
    assert not build(load_config(None, project_of_100)).failed()
    site = project_of_100 / "site"
    folders = json.loads((site / FOLDER / "shards.json").read_text("utf-8"))["shards"]
    assert folders == [f"{FOLDER}{number:03d}/" for number in range(4)]
    for number, folder in enumerate(folders):
        assert (site / folder / "pagefind-entry.json").is_file()
        assert (site / folder / "pagefind.js").is_file() == (number == 0)
    assert not list(site.rglob("pagefind-ui.js"))  # the theme has its own search page


def test_the_index_holds_what_was_said_not_who_said_it_on_every_message(tmp_path):
    """The speaker's name heads every message; indexed there, it would match them all."""
    import gzip
    (tmp_path / "content").mkdir()
    (tmp_path / "content/talk.md").write_text(transcript(
        title="Zebedee ↔ Quorx", messages=(("Zebedee", "The kettle sings."), ("Quorx", "So it does, Zebedee."))), "utf-8")
    assert not build(load_config(None, tmp_path)).failed()
    [fragment] = (tmp_path / "site" / FOLDER).rglob("*.pf_fragment")
    record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
    assert record["content"] == "The kettle sings. So it does, Zebedee."
    # Where each message starts (the search page's links to it), in marks Pagefind does not index.
    assert message_starts(record["meta"]["messages"]) == [(1, 0), (2, 3)] and record["meta"]["messages"] == "! %"
    # Who said each message is told apart by a mark per message, each the place of its speaker among
    # the speaker filters (the search page names the speaker of a match so): marks Pagefind does not
    # index as words, though it indexes metadata's words.
    assert record["filters"]["speaker"] == ["Zebedee", "Quorx"] and record["meta"]["turns"] == "!#"
    from generator.search.canonical import _MAGIC, cbor_decode
    words = set()
    for chunk in (tmp_path / "site" / FOLDER).rglob("*.pf_index"):
        entries, _ = cbor_decode(gzip.decompress(chunk.read_bytes()), len(_MAGIC))
        words.update(entry[0] for entry in entries[0])
    assert "kettl" in words and not any(set(word) <= set("!#$%()*+,-/:;=?@[]^{|}~.") for word in words)


def _records(site: Path) -> dict[str, dict]:
    """The search index's record of each page, by its address."""
    import gzip
    records = [json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
               for fragment in (site / FOLDER).rglob("*.pf_fragment")]
    return {record["url"]: record for record in records}


def test_a_model_that_talked_with_itself_is_found_by_its_one_name_and_its_matches_name_the_seat(tmp_path):
    """Its two seats are one speaker of the archive, in the search's filter as on the speakers' pages;
    each match names the seat that wrote it, which the one filter cannot tell apart: the page lists
    the seats, and each message's mark is its seat's place among them."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content/talk.md").write_text(transcript(title="Opus, Opus and a guest", messages=(
        ("Claude 3 Opus (1)", "The kettle sings."), ("Claude 3 Opus (2)", "So it does."),
        ("Media Agent", "A picture of a kettle."), ("Claude 3 Opus (2)", "Lovely."))), "utf-8")
    (tmp_path / "content/alone.md").write_text(transcript(title="Opus alone", messages=(
        ("Claude 3 Opus (A)", "The kettle sings."), ("Claude 3 Opus (B)", 'So it "does" <b>.'),
        ("Claude 3 Opus (A)", "Hush."))), "utf-8")
    (tmp_path / "content/pair.md").write_text(transcript(title="Two others", messages=(
        ("Ada", "The kettle sings."), ("Grace", "So it does."))), "utf-8")
    assert not build(load_config(None, tmp_path)).failed()
    by_title = {record["meta"]["title"]: record for record in _records(tmp_path / "site").values()}
    talk, alone, pair = by_title["Opus, Opus and a guest"], by_title["Opus alone"], by_title["Two others"]
    assert talk["filters"]["speaker"] == ["Claude 3 Opus", "Media Agent"] and talk["meta"]["turns"] == "!#$#"
    assert json.loads(talk["meta"]["seats"]) == ["Claude 3 Opus (1)", "Claude 3 Opus (2)", "Media Agent"]
    assert alone["filters"]["speaker"] == ["Claude 3 Opus"] and alone["meta"]["turns"] == "!#!"
    assert json.loads(alone["meta"]["seats"]) == ["Claude 3 Opus (A)", "Claude 3 Opus (B)"]
    assert pair["meta"]["turns"] == "!#" and "seats" not in pair["meta"]  # the filters say who each is
    import gzip
    from generator.search.canonical import _MAGIC, cbor_decode
    words = set()
    for chunk in (tmp_path / "site" / FOLDER).rglob("*.pf_index"):
        entries, _ = cbor_decode(gzip.decompress(chunk.read_bytes()), len(_MAGIC))
        words.update(entry[0] for entry in entries[0])
    assert "opus" in words and not any(set('[]",') & set(word) for word in words)  # the list's marks are no words


def test_same_pages_give_the_same_index_bytes_with_any_jobs_and_in_any_folder(tmp_path, project_of_100):
    assert not build(load_config(None, project_of_100), jobs=1).failed()
    other = tmp_path / "elsewhere"
    (other / "content").mkdir(parents=True)
    _archive(other)
    assert not build(load_config(None, other), jobs=2).failed()
    assert _index_files(project_of_100 / "site") == _index_files(other / "site")


def test_with_several_jobs_one_more_pagefind_than_jobs_indexes_at_once(project_of_100, monkeypatch):
    import generator.search as search
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 10)  # 16 shards: more than an early index takes
    busy, most, lock = [0], [0], threading.Lock()

    def counted(service, shard, documents, index_shard=search.index_shard):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            return index_shard(service, shard, documents)
        finally:
            with lock:
                busy[0] -= 1
    monkeypatch.setattr(search, "index_shard", counted)
    result = build(load_config(None, project_of_100), jobs=2)
    assert not result.failed() and (result.shards, result.shards_indexed) == (16, 16)
    assert most[0] == 3


def test_a_pagefind_failure_is_an_error_and_keeps_the_last_index(project_of_100, monkeypatch):
    builder = Builder(load_config(None, project_of_100))
    assert not builder.build().failed()
    site = project_of_100 / "site"
    before = _index_files(site)
    source = project_of_100 / "content/talk-007.md"
    source.write_text(source.read_text("utf-8").replace("hums.", "hums low."), "utf-8")

    def fail(self):
        raise PagefindError("pagefind stopped: out of memory")

    monkeypatch.setattr(pagefind.PagefindIndex, "files", fail)
    result = builder.build()
    assert result.failed()
    assert any(d.level == "error" and "out of memory" in d.message for d in result.diagnostics)
    assert _index_files(site) == before

    _undo(monkeypatch)  # the next build tries again, and indexes what changed
    again = builder.build()
    assert not again.failed() and again.shards_indexed == 1


def test_no_search_builds_without_an_index(project):
    (project / "content/a.md").write_text(transcript(), "utf-8")
    run = antiphon("build", "--no-search", cwd=project)
    assert run.returncode == 0, run.stderr
    assert not (project / "site" / FOLDER).exists() and not (project / "site/search").exists()
    run = antiphon("build", cwd=project)
    assert run.returncode == 0 and "search shards indexed: 1 of 1" in run.stdout
    assert (project / "site" / FOLDER / "shards.json").is_file()


@given(st.text(max_size=40), st.integers(0, 7))
def test_when_the_shard_count_doubles_each_shard_splits_in_two(slug, power):
    count = 2 ** power
    assert shard_of(slug, 2 * count) % count == shard_of(slug, count)


def test_shard_count_grows_by_doubling_and_is_bounded():
    assert shard_count(0) == shard_count(PAGES_PER_SHARD) == 1
    assert shard_count(PAGES_PER_SHARD + 1) == 2
    assert shard_count(10 ** 7) == MAX_SHARDS
    assert shard_count(5_000) == FEW_SHARDS == shard_count(FEW_SHARDS * MOST_PAGES_PER_SHARD)  # for the visitor
    assert shard_count(50_000) == 256  # for memory: shards of at most MOST_PAGES_PER_SHARD until MAX_SHARDS
    counts = [shard_count(n) for n in range(0, 20_000, 97)]
    assert counts == sorted(counts) and all(c & (c - 1) == 0 for c in counts)


@given(st.lists(st.binary(max_size=30).map(lambda b: b.replace(b",", b"")), max_size=20),
       st.lists(st.integers(1, 50), min_size=1, max_size=20))
def test_the_answer_stream_splits_the_same_however_it_arrives(messages, sizes):
    stream = b"".join(message + b"," for message in messages)
    splitter, got, position, turn = Messages(), [], 0, 0
    while position < len(stream):
        size = sizes[turn % len(sizes)]
        got += splitter.feed(stream[position:position + size])
        position, turn = position + size, turn + 1
    assert got == messages


_PAGE_BYTES = st.sampled_from([b"a", b" ", b'"', b"\\", b"\n", b"\t", b"\r", b"\x00", b"\x0b", b"\x1f", b"\x7f",
                               "\u00e9".encode(), "\u2028".encode(), "😀".encode(), b"\xff", b"\xc3", b"<p>", b"\\u0041"])


@given(st.lists(st.one_of(_PAGE_BYTES, st.binary(max_size=6)), max_size=40))
def test_a_page_reaches_pagefind_as_its_text_decoded(pieces):
    """Pages are sent as JSON made from their bytes (escaped as bytes where they can be): the string
    Pagefind reads is the page's text as decoded, invalid UTF-8 replaced, whatever the bytes."""
    page = b"".join(pieces)
    assert json.loads(pagefind._json_text(page)) == page.decode("utf-8", "replace")


def test_progress_line_says_how_far_and_how_long():
    assert progress_line("rendering", 1200, 5000, 3.0) == "rendering 1,200/5,000 · about 10 s left"
    assert progress_line("search", 10, 4000, 30.0) == "search 10/4,000 · about 200 min left"
    assert progress_line("reading", 5000, 5000, 9.0) == "reading 5,000/5,000"


def test_terminal_progress_is_silent_for_short_phases_and_clears_its_line():
    now = [0.0]
    stream = io.StringIO()
    progress = TerminalProgress(stream, clock=lambda: now[0])
    tell = progress.counter("rendering")
    now[0] = 0.5
    tell(10, 100)
    assert stream.getvalue() == ""  # under a second: nothing shown
    now[0] = 2.0
    tell(50, 100)
    assert stream.getvalue().endswith("rendering 50/100 · about 2 s left")
    progress.end("rendering")
    assert stream.getvalue().endswith("\r\x1b[K")


def test_pagefinds_version_in_the_shard_keys_is_the_one_its_package_metadata_gives(tmp_path, monkeypatch):
    """Differential: read from the wheel's dist-info folder name, and, where that is not found,
    from importlib.metadata, which says the same."""
    import importlib.util
    from importlib import metadata

    import generator.search as search
    assert search._pagefind_version() == metadata.version("pagefind_bin")
    spec = importlib.util.find_spec("pagefind_bin")
    moved = importlib.machinery.ModuleSpec("pagefind_bin", None, origin=str(tmp_path / "pagefind_bin" / "__init__.py"))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: moved if name == "pagefind_bin" else spec)
    assert search._pagefind_version() == metadata.version("pagefind_bin")  # no dist-info beside it: metadata's
