"""The sources file (generator/library.py): what a build remembers of its sources, read back exactly, never
trusted when cut short or noted under another reading key."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

import json

from generator import library

paths = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30)
signatures = st.tuples(st.integers(0, 2**63), st.integers(0, 2**40))


@given(st.dictionaries(paths, signatures, max_size=8), st.text(max_size=40))
def test_lines_read_back_as_written(sources, title):
    places = '[["slug",%s,null,["older",%s]]]' % ((json.dumps(title, ensure_ascii=False),) * 2)
    lines = [library.source_line(path, signature, places, '{"format":"native"}') for path, signature in sources.items()]
    text = "".join(library.sources_lines("key", "abc", lines))
    remembered = library.read_lines(text)
    assert {path: entry.signature for path, entry in remembered.items()} == sources
    assert all(entry.places == json.loads(places) and entry.record == '{"format":"native"}'
               for entry in remembered.values())
    assert library.inputs_of(text) == "abc"


def test_an_appended_line_stands_for_its_path_and_the_file_names_the_last_build():
    first = library.source_line("a.md", (1, 10), "[]", "{}")
    text = "".join(library.sources_lines("key", "one", [first, library.source_line("b.md", (2, 20), "[]", "{}")]))
    text += library.sources_appendix("two", [library.source_line("a.md", (3, 30), "[]", "{}")])
    remembered = library.read_lines(text)
    assert remembered["a.md"].signature == (3, 30) and remembered["b.md"].signature == (2, 20)
    assert library.inputs_of(text) == "two"


def test_a_file_cut_short_names_no_build():
    text = "".join(library.sources_lines("key", "one", [library.source_line("a.md", (1, 10), "[]", "{}")]))
    text += library.sources_appendix("two", [library.source_line("a.md", (3, 30), "[]", "{}")])
    for cut in range(len(text) - 1, len(text) - 40, -1):
        assert library.inputs_of(text[:cut]) in ("", "one") and library.inputs_of(text[:cut]) != "two"
    assert library.inputs_of(text[:text.index("# inputs two")]) == ""
    assert library.inputs_of("") == "" and library.inputs_of("".join(library.sources_lines("key", "", []))) == ""


def test_outlines_compare_without_the_fingerprint_of_the_messages():
    record = '{"conversations":[{"fingerprint":"%s","title":"T"}],"diagnostics":[],"format":"native"}'
    assert library.same_outlines(record % "aaa:0", record % "bbb:0")
    assert not library.same_outlines(record % "aaa:0", (record % "aaa:0").replace('"T"', '"U"'))
    assert not library.same_outlines(record % "aaa:0", "not json")


def test_records_noted_under_another_reading_key_are_not_trusted(tmp_path):
    from generator.config import Config
    from generator.identity import Identity
    from generator.output import BuildState
    state = BuildState(tmp_path, {})
    state.write_lines(library.SOURCES_STATE, library.sources_lines("old", "x", [library.source_line("a.md", (1, 1), "[]", "{}")]))
    reading = library.Reading(tmp_path, Identity.of(Config()))
    assert library.Library(reading, "old", True, 1).remembered(state).keys() == {"a.md"}
    assert library.Library(reading, "new", True, 1).remembered(state) == {}


def test_the_sources_file_is_written_line_by_line_and_left_alone_when_it_has_those_bytes(tmp_path):
    from generator.output import BuildState
    state = BuildState(tmp_path, {})
    lines = [library.source_line(f"{n}.md", (n, n), "[]", "{}") for n in range(3)]
    assert state.write_lines(library.SOURCES_STATE, library.sources_lines("key", "one", lines)) == 5
    path = tmp_path / library.SOURCES_STATE
    assert path.read_text("utf-8") == "".join(library.sources_lines("key", "one", lines))
    inode = path.stat().st_ino
    state.write_lines(library.SOURCES_STATE, library.sources_lines("key", "one", lines))
    assert path.stat().st_ino == inode and not list(tmp_path.glob(".*.tmp"))  # the same bytes: not replaced
    state.write_lines(library.SOURCES_STATE, library.sources_lines("key", "two", lines))
    assert path.stat().st_ino != inode and library.inputs_of(path.read_text("utf-8")) == "two"


@settings(max_examples=40)
@given(st.binary(max_size=200_000), st.booleans())
def test_a_file_read_in_pieces_has_the_key_of_its_bytes_read_whole(tmp_path_factory, data, redacted):
    """What tells a file whose time alone changed from its record (Library.as_noted) is the key reading
    gives its bytes, redaction included."""
    from generator.readers import content_key, file_content_key
    from generator.secrets import NONE, Redaction
    redaction = Redaction.of({"strings": ["secret"]}) if redacted else NONE
    path = tmp_path_factory.mktemp("bytes") / "t.md"
    path.write_bytes(data)
    assert file_content_key(path, redaction) == content_key(data, redaction)
    assert file_content_key(path, redaction) != content_key(data + b"x", redaction)
