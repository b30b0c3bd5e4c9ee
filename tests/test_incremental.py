"""Dependency tracking: a rebuild re-renders and rewrites exactly the pages whose inputs changed."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import time

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.bccache import bc_magic

from generator import keys, library, totals
from generator.config import load_config
from generator.output import LaterAnswer, OutputFolder, digest
from generator.result import EDITS, FULL, HELD, UNCHANGED
from generator.site import BuildError, Builder
from generator.theme import BUNDLED, TEMPLATE_CACHE
from tests.conftest import ROOT

ALICE_BOB = "c/2025-01-01-alice-bob/"
TRIO = "c/2025-02-02-alice-bob-carol/"


@pytest.fixture
def builder(sample_project):
    builder = Builder(load_config(None, sample_project))
    assert not builder.build().failed()
    return builder


def edit(project, name, old, new):
    path = project / "content" / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def files_of(url, source_copy):
    return {url + "index.html", url + "conversation.json", url + source_copy}


def site_written(result) -> set[str]:
    """What the build wrote apart from the search index (which follows every page change)."""
    return {path for path in result.written if not path.startswith("pagefind/")}


def test_editing_a_later_message_rewrites_only_that_conversation(builder, sample_project):
    edit(sample_project, "first.md", "Here is some code:", "Here is some CODE:")  # the same words, lengths, shape
    result = builder.build()
    assert site_written(result) == files_of(ALICE_BOB, "2025-01-01-alice-bob.md")
    assert any(path.startswith("pagefind/000/fragment/") for path in result.written)  # re-indexed


def test_an_edit_that_changes_the_words_rewrites_the_cards_and_the_speakers_figures(builder, sample_project):
    edit(sample_project, "first.md", "Here is some code:", "Here is some better code:")
    result = builder.build()
    written = site_written(result)
    assert files_of(ALICE_BOB, "2025-01-01-alice-bob.md") <= written
    # Bob's share of the words and his message's height in the card's shape; his word count
    assert {"index.html", "speakers/index.html", "speakers/bob/index.html"} <= written
    assert "pairs/alice--bob/index.html" not in written  # its rows show no shape: the same bytes
    assert "tags/index.html" not in written and "c/2025-01-01-alice-bob-2/index.html" not in written
    assert published(builder.config.output_path) == cold_build(sample_project)


def test_editing_what_lists_show_rewrites_the_lists_that_show_it(builder, sample_project):
    edit(sample_project, "nested/trio.md", "**Summary:** Three speakers, one of them new.",
         "**Summary:** Three speakers, one of them new.\n**Tags:** trios")
    result = builder.build()
    assert site_written(result) == files_of(TRIO, "2025-02-02-alice-bob-carol.md") | {
        "index.html",  # the trio's card is on the first index page, now with a tag
        "tags/index.html", "tags/trios/index.html", "search/index.html",  # a new tag (search lists tags)
        # feeds carry tags: the main feed and its speakers' feeds change, the new tag gets one
        "feed.xml", "speakers/alice/feed.xml", "speakers/bob/feed.xml", "speakers/carol/feed.xml",
        "tags/trios/feed.xml", "sitemap.xml"}
    # The other lists show a row without tags: the same bytes, not written again.
    assert "speakers/alice/index.html" not in result.written and "endings/open/index.html" not in result.written


def test_a_changed_title_moves_the_page_and_reaches_the_neighbours_links(builder, sample_project):
    edit(sample_project, "nested/trio.md", "**Mood:**", "**Title:** The trio\n**Mood:**")
    result = builder.build()
    assert "c/2025-02-02-the-trio/index.html" in result.written
    assert ALICE_BOB + "index.html" in result.written  # its 'newer' link shows the new title
    assert TRIO + "index.html" in result.removed
    assert not (builder.config.output_path / TRIO).exists()
    # Other pages are written only where they show the title (a neighbour, a related conversation),
    # and the site is what a cold build makes of it.
    assert published(builder.config.output_path) == cold_build(sample_project)


def test_adding_and_deleting_transcripts(builder, sample_project):
    (sample_project / "content/new.md").write_text(
        "# Alice ↔ Dana\n\n**Started:** 2026-01-01 00:00:00\n\n---\n\n### Dana\n\nNew here.\n\n---\n", "utf-8")
    result = builder.build()
    site = builder.config.output_path
    assert (site / "c/2026-01-01-alice-dana/index.html").is_file()
    assert "speakers/dana/index.html" in result.written and "index.html" in result.written
    (sample_project / "content/new.md").unlink()
    result = builder.build()
    assert not (site / "c/2026-01-01-alice-dana").exists() and not (site / "speakers/dana").exists()
    assert "index.html" in result.written


def test_a_template_change_re_renders_every_page(builder, sample_project):
    theme = sample_project / "templates"
    theme.mkdir()
    from generator.theme import BUNDLED
    base = (BUNDLED / "default/templates/base.html").read_text("utf-8")
    (theme / "base.html").write_text(base.replace("published with Antiphon", "kept with care"), "utf-8")
    result = builder.build()
    pages = {p.relative_to(builder.config.output_path).as_posix()
             for p in builder.config.output_path.rglob("*.html")}
    assert pages <= set(result.written)
    assert not any(path.endswith(".json") for path in site_written(result))


def test_a_failed_build_can_keep_the_last_good_site(builder, sample_project):
    site = builder.config.output_path
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(sample_project, "first.md", "Hello, Bob.", "Hello again, Bob.")
    (sample_project / "content/broken.md").write_text("# A ↔ B\n\n---\n\nno heading\n", "utf-8")
    result = builder.build(keep_on_error=True)
    assert result.errors and not result.committed and result.written == []
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    (sample_project / "content/broken.md").unlink()
    result = builder.build(keep_on_error=True)
    assert result.committed and ALICE_BOB + "index.html" in result.written
    assert "Hello again, Bob." in (site / ALICE_BOB / "index.html").read_text("utf-8")


def test_a_fresh_build_of_unchanged_inputs_skips_the_work_but_reports_the_same(sample_project):
    (sample_project / "content/odd.md").write_text("# A ↔ B\n\n**Messages:** 9\n\n---\n\n### A\n\nhi\n\n---\n", "utf-8")
    config = load_config(None, sample_project)
    first = Builder(config).build()
    again = Builder(config).build()  # a new process would start like this
    assert again.written == [] and again.removed == []
    assert (again.conversations, again.pages) == (first.conversations, first.pages)
    assert [str(d) for d in again.warnings] == [str(d) for d in first.warnings] != []


def test_a_missing_output_file_or_a_config_change_means_a_real_build(sample_project):
    config = load_config(None, sample_project)
    Builder(config).build()
    page = config.output_path / ALICE_BOB / "index.html"
    page.unlink()
    assert ALICE_BOB + "index.html" in Builder(config).build().written
    config_file = sample_project / "antiphon.toml"
    config_file.write_text(config_file.read_text().replace("Fixture archive", "Other title"), "utf-8")
    result = Builder(load_config(None, sample_project)).build()
    assert "index.html" in result.written and "Other title" in (config.output_path / "index.html").read_text()


def published(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.name.startswith(".antiphon")}


def cold_build(project):
    shutil.rmtree(project / "cold", ignore_errors=True)  # truly cold: nothing noted from an earlier build
    Builder(load_config(None, project, output_dir="cold")).build()
    return published(project / "cold")


def test_a_fresh_process_renders_only_an_edit_that_no_list_shows(sample_project):
    config = load_config(None, sample_project)
    Builder(config).build()
    edit(sample_project, "first.md", "Here is some code:", "Here is some CODE:")
    rebuilt = Builder(config)  # a new process
    result = rebuilt.build()
    assert site_written(result) == files_of(ALICE_BOB, "2025-01-01-alice-bob.md")
    assert result.path == EDITS and rebuilt.library.sources == {}  # the last build's placement was reused
    assert published(config.output_path) == cold_build(sample_project)
    again = Builder(config).build()  # what it noted lets the next process skip everything
    assert again.written == [] and (again.conversations, again.pages) == (result.conversations, result.pages)


_WORDS = ("lantern harbour tide ember corridor window quiet signal river stone orchard ledger compass "
          "meadow thunder cipher beacon willow marble falcon").split()


def _wordy_project(tmp_path):
    """Three long conversations among three speakers: a word more moves no one's share of a card."""
    project = tmp_path / "wordy"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text('title = "Wordy"\nper_page = 2\n', "utf-8")
    casts = [("Ada", "Bea"), ("Bea", "Cy"), ("Cy", "Ada")]
    for number, cast in enumerate(casts):
        turns = []
        for turn in range(6):  # past the 8,000 characters that related conversations are found by from turn 4
            said = " ".join(_WORDS[(number * 7 + turn * 3 + n * n) % len(_WORDS)] for n in range(300))
            turns.append(f"### {cast[turn % 2]}\n\n{said}. Over {turn}.\n\n---\n")
        (project / "content" / f"t{number}.md").write_text(
            f"# {cast[0]} and {cast[1]}\n\n**Started:** 2025-0{number + 1}-01 10:00:00\n\n---\n\n" + "\n".join(turns),
            "utf-8")
    return project


def test_a_fresh_process_makes_an_edit_of_the_words_said_and_only_the_speakers_pages_it_changes(tmp_path):
    """Words added to a message change the speakers' figures (words said, distinctive words) but no card:
    a new process makes the edited page and the speakers' pages from the totals the last build kept,
    and the site is what a cold build makes; so is the next edit's, from the totals this one kept."""
    project = _wordy_project(tmp_path)
    config = load_config(None, project)
    assert not Builder(config).build().failed()
    for round, words in enumerate(["orchard orchard harbour", "meadow cipher cipher cipher falcon"]):
        edit(project, "t1.md", f"Over {round + 4}.", f"{words}. Over {round + 4}.")  # Bea's, then Cy's
        result = Builder(config).build()
        written = site_written(result)
        assert result.path == EDITS, round
        assert "c/2025-02-01-bea-and-cy/index.html" in written and "speakers/index.html" in written
        assert {"speakers/bea/index.html", "speakers/cy/index.html"} & written
        assert not {"index.html", "tags/index.html", "pairs/index.html"} & written  # no card changed
        assert published(config.output_path) == cold_build(project)


def _card_shape(site, page: str, slug: str) -> str:
    """The small shape of a conversation's card on a page of the index."""
    html = (site / page).read_text("utf-8")
    card = html[html.index(f'href="c/{slug}/"' if page == "index.html" else f'href="../../c/{slug}/"'):]
    return card[card.index("<svg"):card.index("</svg>")]


@pytest.mark.parametrize("transcript, page, slug", [("t0.md", "page/2/index.html", "2025-01-01-ada-and-bea"),
                                                    ("t2.md", "index.html", "2025-03-01-cy-and-ada")])
def test_a_fresh_process_makes_an_edit_that_changes_a_card_and_only_the_index_page_that_shows_it(
        tmp_path, transcript, page, slug):
    """Many words added to a late message change the speakers' shares of the words and the card's shape,
    which only the index shows (the other lists show rows): a new process makes the edited page, the
    speakers' pages and the page of the index with that card, and the site is what a cold build makes."""
    project = _wordy_project(tmp_path)
    config = load_config(None, project)
    assert not Builder(config).build().failed()
    shape = _card_shape(config.output_path, page, slug)
    words = " ".join(["zephyr quince"] * 400)
    edit(project, transcript, "Over 5.", words + ". Over 5.")
    result = Builder(config).build()
    written = site_written(result)
    assert result.path == EDITS
    assert _card_shape(config.output_path, page, slug) != shape  # the card did change
    assert {f"c/{slug}/index.html", page, "speakers/index.html"} <= written
    other_page = "index.html" if page != "index.html" else "page/2/index.html"
    assert not {other_page, "tags/index.html", "pairs/index.html", "endings/open/index.html",
                "archive/index.html"} & written
    assert published(config.output_path) == cold_build(project)
    edit(project, transcript, words + ". Over 5.", "Over 5.")  # and back, from what this build kept
    assert Builder(config).build().path == EDITS
    assert _card_shape(config.output_path, page, slug) == shape
    assert published(config.output_path) == cold_build(project)


@pytest.mark.parametrize("keep_messages", [True, False])
def test_the_preview_builder_makes_edits_of_the_words_said_and_of_a_card_in_the_archive_it_holds(
        tmp_path, keep_messages):
    """A long-lived builder (the preview server's) adds an edit's change of the speakers' figures to the
    totals it holds, and makes only the edited page, the speakers' pages and the page of the index
    whose card changed; the site is what a cold build makes, edit after edit."""
    project = _wordy_project(tmp_path)
    config = load_config(None, project)
    builder = Builder(config, keep_messages=keep_messages)
    assert not builder.build().failed()
    page, slug = "page/2/index.html", "2025-01-01-ada-and-bea"
    shape = _card_shape(config.output_path, page, slug)
    edit(project, "t1.md", "Over 4.", "orchard orchard harbour. Over 4.")  # Bea's words, no card
    result = builder.build()
    written = site_written(result)
    assert result.path == HELD
    assert {"c/2025-02-01-bea-and-cy/index.html", "speakers/index.html"} <= written
    assert not {"index.html", page, "tags/index.html", "pairs/index.html"} & written
    assert published(config.output_path) == cold_build(project)
    words = " ".join(["zephyr quince"] * 400)
    edit(project, "t0.md", "Over 5.", words + ". Over 5.")  # a card: Ada's share of the words
    result = builder.build()
    written = site_written(result)
    assert result.path == HELD
    assert _card_shape(config.output_path, page, slug) != shape
    assert {f"c/{slug}/index.html", page, "speakers/index.html"} <= written
    assert not {"index.html", "tags/index.html", "pairs/index.html", "archive/index.html"} & written
    assert published(config.output_path) == cold_build(project)
    edit(project, "t0.md", words + ". Over 5.", "Over 5.")  # and back, from the totals that edit left
    assert builder.build().path == HELD
    assert _card_shape(config.output_path, page, slug) == shape
    assert published(config.output_path) == cold_build(project)


@pytest.mark.parametrize("long_lived", [False, True])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 5),
                          st.lists(st.sampled_from(_WORDS[:6] + ["zephyr", "quince", "lantern lantern"]), min_size=1,
                                   max_size=40)), min_size=1, max_size=3))
def test_edits_of_the_words_said_give_what_a_cold_build_gives(tmp_path, long_lived, edits):
    """Words added to any message, in any order of edits, each built by a new process (in place from
    what the last build kept) or by one long-lived builder (the preview server's: in the archive it
    holds), where only the speakers' figures and the cards change; in full where more does. Each time
    the same site as a cold build."""
    shutil.rmtree(tmp_path / "wordy", ignore_errors=True)  # each example starts afresh
    project = _wordy_project(tmp_path)
    config = load_config(None, project)
    held = Builder(config, keep_messages=True) if long_lived else None
    (held or Builder(config)).build()
    for transcript, turn, words in edits:
        edit(project, f"t{transcript}.md", f"Over {turn}.", f"{' '.join(words)}. Over {turn}.")
        assert (held or Builder(config)).build().path in ((HELD, FULL) if long_lived else (EDITS, FULL))
        assert published(config.output_path) == cold_build(project)


@pytest.mark.parametrize("damage", ["gone", "garbled", "another build's", "edited by hand", "no index"])
def test_an_edit_of_the_words_said_without_the_kept_totals_is_a_full_build(tmp_path, damage):
    project = _wordy_project(tmp_path)
    config = load_config(None, project)
    Builder(config).build()
    kept = config.output_path / totals.TOTALS_STATE
    assert kept.is_file()
    if damage == "gone":
        kept.unlink()
    elif damage == "garbled":
        kept.write_text(kept.read_text("utf-8")[:-40], "utf-8")
    elif damage == "another build's":
        kept.write_text("0" * 40 + kept.read_text("utf-8")[40:], "utf-8")
    elif damage == "no index":  # as an earlier version kept them, its checksum holding
        inputs, _, data = kept.read_text("utf-8").split("\n", 2)
        data = json.dumps({k: v for k, v in json.loads(data).items() if k != "index"}, separators=(",", ":"))
        kept.write_text(f"{inputs}\n{digest(data)}\n{data}", "utf-8")
    else:  # figures of the wrong type, where the build would add to them
        inputs, checksum, data = kept.read_text("utf-8").split("\n", 2)
        edited = re.sub(r'\["Bea",\d+,', '["Bea","two",', data, count=1)
        assert edited != data
        kept.write_text(f"{inputs}\n{checksum}\n{edited}", "utf-8")
    edit(project, "t1.md", "Over 4.", "orchard orchard. Over 4.")
    result = Builder(config).build()
    assert result.path == FULL
    assert published(config.output_path) == cold_build(project)
    assert totals.kept_for(OutputFolder(config.output_path).state, result.inputs) is not None  # kept again


def _all_touched(project, seconds: int) -> None:
    """Every transcript's time moved, its bytes as they were: what a fresh clone of the archive looks like."""
    for path in (project / "content").rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


@pytest.mark.parametrize("redacted", [False, True])
def test_a_fresh_checkout_beside_the_site_it_built_builds_as_unchanged(sample_project, monkeypatch, redacted):
    """The Pages workflow restores the last run's site beside a fresh clone, whose files all have new
    times: their bytes say that nothing changed (with a redaction, its key is in what they are compared
    by). An edit that keeps the size is still seen, and the next build reads only what changed in its bytes."""
    if redacted:
        with (sample_project / "antiphon.toml").open("a", encoding="utf-8") as config_file:
            config_file.write('\n[redact]\nstrings = ["Carol"]\n')
    # Files with no conversation, as real archives hold beside their logs: they are known by their bytes too.
    (sample_project / "content/media.json").write_text('{"frames": []}', "utf-8")
    (sample_project / "content/empty.md").write_text("", "utf-8")
    config = load_config(None, sample_project)
    Builder(config).build()
    _all_touched(sample_project, 3600)
    result = Builder(config).build()
    assert result.path == UNCHANGED and result.written == [] and result.removed == []
    edit(sample_project, "first.md", "Hello, Bob.", "Hello, Rob.")  # the same size
    _all_touched(sample_project, 7200)
    read = []
    monkeypatch.setattr(library, "read_file", lambda path, *rest, made=library.read_file, **named:
                        read.append(path.name) or made(path, *rest, **named))
    result = Builder(config).build()
    assert ALICE_BOB + "index.html" in result.written and set(read) == {"first.md"}  # the rest: as noted
    assert "Hello, Rob." in (config.output_path / ALICE_BOB / "index.html").read_text("utf-8")
    assert published(config.output_path) == cold_build(sample_project)


def test_a_fresh_process_rebuilds_from_remembered_outlines_when_lists_change(sample_project, monkeypatch):
    config = load_config(None, sample_project)
    Builder(config).build()
    edit(sample_project, "first.md", "Hello, Bob.", "Hello there, Bob.")  # the card's excerpt
    rebuilt = Builder(config)
    carded = []
    monkeypatch.setattr(keys, "card", lambda c, made=keys.card: carded.append(c.title) or made(c))
    result = rebuilt.build()
    assert "index.html" in result.written and ALICE_BOB + "index.html" in result.written
    assert result.path == FULL
    # The cards of the transcripts not edited keep the keys the last build noted; the edited one's is new.
    assert carded == ["Alice ↔ Bob · first"]  # its twin started the same minute: its file's name tells it apart
    held = [c for source in rebuilt.library.sources.values() for c in source.conversations]
    assert len(held) == 5 and all(c.outline is not None and c.messages == [] for c in held)  # no messages kept
    assert published(config.output_path) == cold_build(sample_project)


def test_a_fresh_process_that_cannot_edit_in_place_does_not_wait_for_the_check_of_the_last_files(
        sample_project, monkeypatch):
    """The check that the last build's files are all there runs in a child process while the edits
    are read; when they change what lists show, its answer is not needed, and the child is stopped."""
    config = load_config(None, sample_project)
    Builder(config).build()
    edit(sample_project, "first.md", "Hello, Bob.", "Hello there, Bob.")  # the card's excerpt
    monkeypatch.setattr(OutputFolder, "_all_there", lambda self: time.sleep(60) or True)
    started = time.monotonic()
    result = Builder(config).build()
    assert result.path == FULL and time.monotonic() - started < 30
    assert published(config.output_path) == cold_build(sample_project)


@pytest.mark.parametrize("all_there", [True, False])
def test_a_full_build_after_edits_lists_show_trusts_the_check_of_the_last_files(sample_project, monkeypatch,
                                                                                  all_there):
    """When the check has said every file of the last build is there, the full build that follows
    looks at none of them again; when it has not, each is looked at, and a page deleted since is made."""
    config = load_config(None, sample_project)
    Builder(config).build()
    (config.output_path / TRIO / "index.html").unlink()
    edit(sample_project, "first.md", "Hello, Bob.", "Hello there, Bob.")  # the card's excerpt
    monkeypatch.setattr(OutputFolder, "intact_later", lambda self, salt: LaterAnswer(answer=all_there))
    watched, looked_at, stat = str(config.output_path / TRIO), set(), os.stat  # a page the edit leaves as it is

    def stat_noted(path, *args, **kwargs):
        if str(path).startswith(watched):
            looked_at.add(str(path))
        return stat(path, *args, **kwargs)
    monkeypatch.setattr(os, "stat", stat_noted)
    result = Builder(config).build()
    assert result.path == FULL
    if all_there:  # (the check was wrong here, as only a file deleted in the meantime would make it)
        assert not looked_at and not (config.output_path / TRIO / "index.html").exists()
    else:
        assert str(config.output_path / TRIO / "index.html") in looked_at
        assert published(config.output_path) == cold_build(sample_project)


def test_files_this_process_checked_are_trusted_only_where_asked(builder, monkeypatch):
    """The search index's shards are checked as the pages are (see OutputFolder.up_to_date): a file
    this process wrote or checked is not looked at again; the check of the whole site still looks."""
    out = builder._output
    pages = [path for path in out.committed(lambda path: path.endswith(".html"))]
    (out.root / pages[0]).unlink()
    assert not out.all_there(pages)
    out._verified.update(pages)  # as a build that wrote them leaves it
    assert out.all_there(pages, trust_verified=True) and not out.all_there(pages)


def test_a_fresh_process_loads_the_templates_the_last_build_compiled(sample_project, monkeypatch):
    config = load_config(None, sample_project)
    Builder(config).build()
    assert (config.output_path / TEMPLATE_CACHE).is_file()
    compiled = []
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *args, made=jinja2.Environment.compile, **kw: compiled.append(args) or made(self, *args, **kw))
    edit(sample_project, "first.md", "Hello, Bob.", "Hello there, Bob.")  # lists change: every kind of page is made
    result = Builder(config).build()
    assert result.path == FULL and compiled == []
    monkeypatch.undo()
    assert published(config.output_path) == cold_build(sample_project)


@pytest.mark.parametrize("damage", ["not JSON", "not bytecode", "not a checksum"])
def test_templates_changed_since_or_a_damaged_file_of_them_are_compiled_again(sample_project, damage):
    config = load_config(None, sample_project)
    Builder(config).build()
    kept = config.output_path / TEMPLATE_CACHE
    data = {"not JSON": b"{\"", "not bytecode": b"\x00\x01", "not a checksum": bc_magic + b"\x80\x05junk"}[damage]
    kept.write_text("{" if damage == "not JSON" else
                    json.dumps({key: base64.b64encode(data).decode() for key in json.loads(kept.read_text())}), "utf-8")
    (sample_project / "templates").mkdir()
    base = (BUNDLED / "default/templates/base.html").read_text("utf-8")
    (sample_project / "templates/base.html").write_text(base.replace("published with Antiphon", "kept with care"))
    assert not Builder(config).build().failed()
    assert "kept with care" in (config.output_path / "index.html").read_text("utf-8")
    assert published(config.output_path) == cold_build(sample_project)
    assert json.loads(kept.read_text()) != {}  # written again, whole


def test_a_build_that_fails_before_its_commit_leaves_no_folder_it_made_for_new_pages(sample_project, monkeypatch):
    config = load_config(None, sample_project)
    Builder(config).build()
    folders = sorted(p for p in config.output_path.rglob("*") if p.is_dir())
    (sample_project / "content/newcomer.md").write_text(
        "# Zeno ↔ Ines\n\n**Started:** 2026-03-01 00:00:00\n**Tags:** lighthouse-keeping\n\n---\n\n"
        "### Zeno\n\nFirst watch.\n\n---\n\n### Ines\n\nSecond watch.\n\n---\n", "utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(OutputFolder, "commit", lambda self: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(BuildError, match="disk full"):
            Builder(config).build()
    assert sorted(p for p in config.output_path.rglob("*") if p.is_dir()) == folders  # its new folders went too
    assert not [p for p in config.output_path.rglob("*.tmp")]


def test_folders_a_killed_build_left_empty_are_removed_by_the_next_and_dot_folders_are_not_looked_into(sample_project):
    """Killed between removing a file and its folder, a build leaves a folder that no temporary names."""
    config = load_config(None, sample_project)
    Builder(config).build()
    site = config.output_path
    for folder in ("pairs/gone--away", "tags/old/page/2", ".git/refs/tags", "kept/.git/refs"):
        (site / folder).mkdir(parents=True)
    (site / ".antiphon-building").touch()  # the killed build's marker
    assert not Builder(config).build().failed()
    assert not (site / "pairs/gone--away").exists() and not (site / "tags/old").exists()
    assert (site / ".git/refs/tags").is_dir() and (site / "kept/.git/refs").is_dir()
    assert published(site) == cold_build(sample_project)


@pytest.mark.parametrize("change", ["new file", "new warning", "draft edited", "state of an uncommitted build",
                                    "a page deleted", "a page changed"])
def test_a_fresh_process_rebuild_equals_a_cold_build_whatever_changed(
        sample_project, change, monkeypatch):
    config = load_config(None, sample_project)
    Builder(config).build()
    if change == "new file":
        (sample_project / "content/new.md").write_text(
            "# Alice ↔ Dana\n\n**Started:** 2026-01-01 00:00:00\n\n---\n\n### Dana\n\nNew here.\n\n---\n", "utf-8")
    elif change == "new warning":
        edit(sample_project, "first.md", "**Messages:** 5", "**Messages:** 6")
    elif change == "draft edited":
        edit(sample_project, "draft.md", "Not published.", "Still not published.")
    elif change in ("a page deleted", "a page changed"):  # and a message edited: the edit alone would not list it
        edit(sample_project, "first.md", "Here is some code:", "Here is some CODE:")
        page = config.output_path / "tags/index.html"
        page.unlink() if change == "a page deleted" else page.write_text("mine", "utf-8")
    else:  # a build that noted its sources, then failed before its pages were in place
        edit(sample_project, "first.md", "Here is some code:", "Here is some CODE:")
        with monkeypatch.context() as patched:
            patched.setattr(OutputFolder, "commit", lambda self: (_ for _ in ()).throw(OSError("disk full")))
            with pytest.raises(BuildError, match="disk full"):
                Builder(config).build()
        assert not [p for p in config.output_path.rglob("*.tmp")]  # what it staged was dropped
    result = Builder(config).build()
    assert published(config.output_path) == cold_build(sample_project)
    if change == "new warning":
        assert any("6" in d.message for d in result.warnings)
    if change == "draft edited":
        assert not any("draft" in path for path in result.written)


def _twin(project, day: str = "2025-01-03") -> None:
    """Another 'Alice ↔ Bob', started on ``day``: two conversations (with the fixture's own twin, three) of one title."""
    text = (project / "content/first.md").read_text("utf-8")
    (project / "content/twin.md").write_text(
        text.replace("2025-01-01 10:0", f"{day} 11:0").replace("Hello, Bob.", "Hello again, Bob."), "utf-8")


def _titles(site) -> set[str]:
    return {page.read_text("utf-8").split('data-pagefind-meta="title">', 1)[1].split("<", 1)[0]
            for page in (site / "c").glob("*/index.html")}


def test_conversations_that_share_a_title_are_told_apart_by_their_start_in_every_way_a_build_goes(sample_project):
    config = load_config(None, sample_project)
    builder = Builder(config)  # long-lived, as the preview server's
    assert not builder.build().failed()
    assert {"Alice ↔ Bob · first", "Alice ↔ Bob · second"} <= _titles(config.output_path)
    _twin(sample_project)  # a new file: the title it shares is told apart by its start...
    assert builder.build().path == FULL
    titles = _titles(config.output_path)
    # ...but for the fixture's two started the same minute, which their files' names tell apart
    assert {"Alice ↔ Bob · 2025-01-03 11:00", "Alice ↔ Bob · first", "Alice ↔ Bob · second"} <= titles
    assert "Alice ↔ Bob · 2025-01-01 10:00" not in titles and "Alice ↔ Bob ↔ Carol" in titles
    index = (config.output_path / "index.html").read_text("utf-8")
    assert ">Alice ↔ Bob · 2025-01-03 11:00</a>" in index
    assert published(config.output_path) == cold_build(sample_project)
    edit(sample_project, "twin.md", "Here is some code:", "Here is some CODE:")
    assert builder.build().path == HELD
    assert published(config.output_path) == cold_build(sample_project)
    shutil.rmtree(config.output_path)
    assert Builder(config).build().path == FULL  # a new process, which notes where it placed them
    edit(sample_project, "twin.md", "Here is some CODE:", "Here is some Code:")
    assert Builder(config).build().path == EDITS  # another, from what that one noted
    assert published(config.output_path) == cold_build(sample_project)
    (sample_project / "content/twin.md").unlink()  # the twin gone, the title shows as it was read
    assert Builder(config).build().path == FULL
    assert published(config.output_path) == cold_build(sample_project)
    trio = (sample_project / "content/nested/trio.md").read_text("utf-8")  # a twin for a title the last build
    (sample_project / "content/trio-again.md").write_text(  # showed as read, with the card it noted
        trio.replace("2025-02-02 20:20:20", "2025-03-03 09:30:00").replace("one of them new", "again"), "utf-8")
    assert Builder(config).build().path == FULL
    assert "Alice ↔ Bob ↔ Carol · 2025-02-02 20:20" in _titles(config.output_path)
    assert published(config.output_path) == cold_build(sample_project)


def test_a_code_change_re_renders_every_page(sample_project, monkeypatch):
    import generator.fingerprint as fingerprint
    config = load_config(None, sample_project)
    Builder(config).build()
    page = config.output_path / ALICE_BOB / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"x" * len(original))  # what the cache believes is there, by size
    assert Builder(config).build().written == []  # same code, config, theme and sources: nothing to do
    monkeypatch.setattr(fingerprint, "code_digest", lambda: "a different version of Antiphon")
    result = Builder(config).build()
    assert ALICE_BOB + "index.html" in result.written and page.read_bytes() == original


@pytest.mark.parametrize("keep_messages", [True, False])
def test_a_long_lived_builder_renders_only_an_edit_that_no_list_shows(sample_project, keep_messages):
    """The preview server's builder holds the archive: an edit past the openings is put in its place and
    only its pages are made; edits that lists show, and template changes, still rebuild what they touch."""
    builder = Builder(load_config(None, sample_project), keep_messages=keep_messages)
    assert not builder.build().failed()
    site = builder.config.output_path
    steps = [
        ("first.md", "Here is some code:", "Here is some CODE:", files_of(ALICE_BOB, "2025-01-01-alice-bob.md")),
        ("first.md", "Here is some CODE:", "Here is some Code:", files_of(ALICE_BOB, "2025-01-01-alice-bob.md")),
        ("first.md", "Hello, Bob.", "Hello there, Bob.", None),  # the card's excerpt: lists change too
        ("draft.md", "Not published.", "Still not published.", set()),
    ]
    for name, old, new, expected in steps:
        edit(sample_project, name, old, new)
        result = builder.build(keep_on_error=True)
        assert result.committed and not result.failed()
        if expected is not None:
            assert site_written(result) == expected
        else:
            assert "index.html" in result.written
        assert published(site) == cold_build(sample_project)
        held = [c for source in builder.library.sources.values() for c in source.conversations]
        assert keep_messages or all(c.outline is not None and c.messages == [] for c in held)  # outlines only


@pytest.mark.parametrize("keep_messages", [True, False])
@pytest.mark.parametrize("old, new", [("Here is some code:", "Here is some CODE:"),  # made in place
                                      ("Hello, Bob.", "Hello there, Bob.")])  # lists show it: a full build
def test_a_long_lived_builder_whose_commit_failed_makes_the_edit_again(sample_project, monkeypatch, old, new,
                                                                       keep_messages):
    builder = Builder(load_config(None, sample_project), keep_messages=keep_messages)
    builder.build()
    edit(sample_project, "first.md", old, new)
    with monkeypatch.context() as patched:
        patched.setattr(OutputFolder, "commit", lambda self: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(BuildError, match="disk full"):
            builder.build(keep_on_error=True)
    result = builder.build(keep_on_error=True)  # nothing changed since: the edit must still reach the page
    assert ALICE_BOB + "index.html" in result.written
    assert published(builder.config.output_path) == cold_build(sample_project)


# -- every way a build goes ends the same way ---------------------------------------------------------

def _failing_on(project, word: str) -> None:
    """A theme override whose conversation page fails on a message that says ``word``."""
    default = (ROOT / "themes/default/templates/conversation.html").read_text("utf-8")
    loop = "{% for m in c.messages %}"
    assert loop in default
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/conversation.html").write_text(
        default.replace(loop, loop + "{% if '" + word + "' in m.text %}{{ no_such_helper() }}{% endif %}"), "utf-8")


@pytest.mark.parametrize("path, keep_messages", [(EDITS, False), (HELD, True), (HELD, False), (FULL, False)])
@pytest.mark.parametrize("keep_on_error", [False, True])
def test_an_error_ends_every_way_a_build_goes_the_same_way(sample_project, path, keep_messages, keep_on_error):
    """A template that fails on an edited message: without keep_on_error every path commits what a
    cold build of the same sources gives (the page gone, its data new); with it, every path keeps the
    last good site as it was."""
    _failing_on(sample_project, "CODE")
    config = load_config(None, sample_project)
    long_lived = Builder(config, keep_messages=keep_messages)
    long_lived.build()
    before = published(config.output_path)
    if path == FULL:  # an edit lists show (the excerpt), so everything is placed again
        edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob. CODE")
    else:
        edit(sample_project, "first.md", "Here is some code:", "Here is some CODE:")
    builder = Builder(config) if path == EDITS else long_lived
    result = builder.build(keep_on_error=keep_on_error)
    assert result.path == path
    assert [d.message.split(":")[0] for d in result.errors] == [f"template error while rendering {ALICE_BOB}index.html"]
    if keep_on_error:
        assert not result.committed and published(config.output_path) == before
    else:
        assert result.committed and published(config.output_path) == cold_build(sample_project)
        assert not (config.output_path / ALICE_BOB / "index.html").exists()


def _sources_file(project) -> str:
    return (project / "site" / library.SOURCES_STATE).read_text("utf-8")


def test_a_rebuild_appends_the_lines_of_what_changed_to_the_sources_file(sample_project):
    """The sources file names every source; a build that places everything again appends the lines
    that changed (megabytes for a large archive are not written again), and reads back as a cold
    build writes it. One that leaves a source out writes it whole."""
    config = load_config(None, sample_project)
    assert not Builder(config).build().failed()
    before = _sources_file(sample_project)
    edit(sample_project, "first.md", "Here is some code:", "Here is some better code:")  # lists show it
    result = Builder(config).build()
    assert result.path == FULL and not result.failed()
    after = _sources_file(sample_project)
    assert after.startswith(before) and after.count("\n") - before.count("\n") < before.count("\n") - 1
    cold = sample_project.parent / "cold"
    shutil.copytree(sample_project, cold)  # the same files, times and all
    shutil.rmtree(cold / "site")
    assert not Builder(load_config(None, cold)).build().failed()
    rebuilt = _sources_file(cold)
    assert {path: entry.line for path, entry in library.read_lines(after).items()} == \
           {path: entry.line for path, entry in library.read_lines(rebuilt).items()}
    assert library.inputs_of(after) == library.inputs_of(rebuilt)
    assert Builder(config).build().path == UNCHANGED  # the next build trusts it
    edit(sample_project, "first.md", "Here is some better code:", "Here is some BETTER code:")
    assert Builder(config).build().path == EDITS  # an edit no list shows is made in place from it
    (sample_project / "content" / "first.md").unlink()
    assert not Builder(config).build().failed()
    assert '"first.md"' not in _sources_file(sample_project)  # written whole: the source has gone


def test_a_source_placed_anew_gets_a_new_line_though_it_was_not_edited(sample_project):
    """A line notes where its conversations were placed, their neighbours' titles among it: when a
    conversation is renamed, its neighbours' lines are noted again (their transcripts unchanged), and
    the file reads as a cold build writes it; the lines of sources placed as before are not."""
    config = load_config(None, sample_project)
    assert not Builder(config).build().failed()
    before = library.read_lines(_sources_file(sample_project))
    edit(sample_project, "first.md", "# Alice ↔ Bob", "# Alice ↔ Bob, renamed")
    assert Builder(config).build().path == FULL
    after_text = _sources_file(sample_project)
    after = library.read_lines(after_text)
    renamed_in = {path for path in after if '"Alice ↔ Bob, renamed"' in after[path].places_text}
    assert "first.md" in renamed_in and len(renamed_in) > 1  # a neighbour names the new title
    appended = after_text.split("\n")[len(before) + 2:]  # after the reading key, the lines and the inputs
    # The renamed one's neighbours, and its twin's (no longer told apart by its file's name, it shows
    # its title as read): the lines of every source placed otherwise, and of no other.
    placed_otherwise = {path for path in after if after[path].places_text != before[path].places_text}
    assert renamed_in < placed_otherwise
    assert {line.split("\t", 1)[0].strip('"') for line in appended if "\t" in line} == placed_otherwise
    cold = sample_project.parent / "cold"
    shutil.copytree(sample_project, cold)
    shutil.rmtree(cold / "site")
    assert not Builder(load_config(None, cold)).build().failed()
    assert {path: entry.line for path, entry in after.items()} == \
           {path: entry.line for path, entry in library.read_lines(_sources_file(cold)).items()}


NOTES = """# Notes

**Started:** 2025-03-03 10:00:00

---

### Keeper

A short first message.

---

### Keeper

{}

---
"""


def test_after_a_failed_build_an_edited_source_gets_its_new_line(sample_project):
    """The preview server's builder: its first build restores the sources and fails (nothing is noted);
    then a word of a transcript changes (`a` to `the`: no count, card, top word or related list
    changes), so it is placed as before while its record changes (the fingerprint of its messages):
    its line is noted anew, and the file reads as a cold build writes it."""
    long = " ".join(["words of a longer second message, which keeps its bar the tallest"] * 12)
    (sample_project / "content/notes.md").write_text(NOTES.format(long), "utf-8")
    config = load_config(None, sample_project)
    assert not Builder(config).build().failed()
    builder = Builder(config)  # a new process: it restores the sources from the file
    (sample_project / "content/broken.md").write_text("# A ↔ B\n\n---\n\nno heading\n", "utf-8")
    result = builder.build(keep_on_error=True)  # a new file: a full build
    assert result.errors and not result.committed
    (sample_project / "content/broken.md").unlink()
    edit(sample_project, "notes.md", "words of a longer", "words of the longer")
    result = builder.build(keep_on_error=True)
    assert result.path == FULL and not result.failed()  # the failed build left nothing to build on
    cold = sample_project.parent / "cold"
    shutil.copytree(sample_project, cold)
    shutil.rmtree(cold / "site")
    assert not Builder(load_config(None, cold)).build().failed()
    assert {path: entry.line for path, entry in library.read_lines(_sources_file(sample_project)).items()} == \
           {path: entry.line for path, entry in library.read_lines(_sources_file(cold)).items()}


@pytest.mark.parametrize("edited", [True, False])
def test_a_sources_line_whose_places_were_damaged_is_not_trusted(sample_project, edited):
    """Where each conversation was placed is noted beside its record and covered by the line's checksum:
    a line edited by hand (here its places, still JSON, in a shape no build writes) is passed over,
    whether its transcript was edited since (edits in place read the places) or not (a full build
    takes the related lists from them), and the site is the one a cold build makes."""
    config = load_config(None, sample_project)
    assert not Builder(config).build().failed()
    path = config.output_path / library.SOURCES_STATE
    lines = path.read_text("utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith('"first.md"\t'))
    relative, signature, places, rest = lines[at].split("\t", 3)
    lines[at] = "\t".join([relative, signature, json.dumps([[5, 6, 7, 8, 9, 10]]), rest])
    path.write_text("\n".join(lines), "utf-8")
    if edited:
        edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob!")  # past its card: edits in place
    else:  # another conversation's card: a full build
        edit(sample_project, "second.md", "Same title, same start", "The same title, the same start")
    result = Builder(config).build()
    assert not result.failed()
    assert published(config.output_path) == cold_build(sample_project)


@pytest.mark.parametrize("damage", ["entry", "path", "note", "notes", "files"])
def test_a_manifest_edited_by_hand_does_not_stop_the_build(sample_project, damage):
    """The manifest names what each output was made from; entries no build writes are passed over
    (a file it names outside the folder is never touched), and the site is the one a cold build makes."""
    config = load_config(None, sample_project)
    assert not Builder(config).build().failed()
    path = config.output_path / ".antiphon-manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    outside = sample_project / "outside.txt"
    outside.write_text("mine", "utf-8")
    if damage == "entry":
        manifest["files"][f"{ALICE_BOB}index.html"] = 5
    elif damage == "path":
        manifest["files"]["../outside.txt"] = ["key", 4]
    elif damage == "note":
        manifest["notes"]["build"] = 5
    elif damage == "notes":
        manifest["notes"] = ["not", "a", "dict"]
    else:
        manifest["files"] = {"index.html": ["key"], "c/": [1, 2]}
    path.write_text(json.dumps(manifest), "utf-8")
    edit(sample_project, "second.md", "Same title, same start", "The same title, the same start")
    result = Builder(config).build()
    assert not result.failed()
    site, cold = published(config.output_path), cold_build(sample_project)
    if damage == "files":  # none of the last build's files is known as its own: none is removed
        assert {path: site[path] for path in cold} == cold
    else:
        assert site == cold
    assert outside.read_text("utf-8") == "mine"


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(st.sampled_from([f"{ALICE_BOB}index.html", "index.html", "../x", "c/", "a\\b"]) | st.text(max_size=12),
                             _JSON, max_size=4),
       notes=_JSON, salt=_JSON, keep=st.booleans())
def test_any_manifest_leaves_a_build_that_runs(sample_project, files, notes, salt, keep):
    """Whatever the manifest holds (its files' entries mixed into the last build's, or in their place),
    the next build runs without errors and every page is there, as a cold build makes it."""
    config = load_config(None, sample_project)
    Builder(config).build()
    path = config.output_path / ".antiphon-manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["files"] = {**manifest["files"], **files} if keep else files
    manifest["notes"], manifest["salt"] = notes, salt
    path.write_text(json.dumps(manifest), "utf-8")
    result = Builder(config).build()
    assert not result.failed()
    site, cold = published(config.output_path), cold_build(sample_project)
    assert {path: site.get(path) for path in cold} == cold


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.text(max_size=30).filter(lambda text: "\t" not in text and "\n" not in text),
                       min_size=1, max_size=4),
       edited=st.booleans())
def test_a_line_of_the_sources_file_written_by_hand_leaves_a_build_that_runs(sample_project, fields, edited):
    """A line added by hand for a source, with its real size and time and anything after them, is the
    last for its path (it stands for it) but is not trusted: the build runs, as a cold build makes it."""
    shutil.copy(ROOT / "tests/fixtures/site/content/first.md", sample_project / "content/first.md")  # each example
    config = load_config(None, sample_project)
    Builder(config).build()
    path = config.output_path / library.SOURCES_STATE
    lines = path.read_text("utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith('"first.md"\t'))
    written = "\t".join(lines[at].split("\t")[:2] + fields)
    lines.insert(len(lines) - 2, written)  # before the line naming the build, which stays last
    path.write_text("\n".join(lines), "utf-8")
    if edited:
        edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob!")
    result = Builder(config).build()
    assert not result.failed()
    assert published(config.output_path) == cold_build(sample_project)


def test_a_held_build_after_an_edit_leaves_the_sources_file_unparsed(builder, sample_project, monkeypatch):
    """The preview holds what it read; the sources file (megabytes in a large archive) is for a new
    process: parsing it cost each preview edit 50-80 ms at 5,000 conversations."""
    parsed = []
    monkeypatch.setattr(library, "read_lines", lambda text: parsed.append(text) or {})
    edit(sample_project, "first.md", "Here is some code:", "Here is some better code:")
    assert not builder.build().failed()
    assert parsed == []


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["totals", "groups", "first_pages", "index", "other"]), _json),
       st.sampled_from(["pages", "description", "endings"]), _json)
def test_kept_totals_of_any_shape_with_a_checksum_that_holds_read_as_kept_or_none(data, part, value):
    """What .antiphon-speakers.json holds is parsed only after its checksum: any JSON there (the index's
    parts among it) gives kept totals or None, never an exception."""
    if isinstance(data.get("index"), dict):
        data["index"][part] = value
    kept = json.dumps(data)
    parsed = totals.KeptSpeakers.parse(f"abc\n{digest(kept)}\n{kept}", "abc")
    assert parsed is None or isinstance(parsed, totals.KeptSpeakers)
