"""The sources file: what a build remembers of its sources, read back exactly, and never trusted when cut short."""

from __future__ import annotations

from hypothesis import given, strategies as st

from generator import cache

paths = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30)
signatures = st.tuples(st.integers(0, 2**63), st.integers(0, 2**40))


@given(st.dictionaries(paths, signatures, max_size=8), st.text(max_size=40))
def test_lines_read_back_as_written(sources, title):
    frames = '[["slug",null,["older",%s]]]' % cache.json.dumps(title, ensure_ascii=False)
    lines = [cache.source_line(path, signature, frames, '{"format":"native"}') for path, signature in sources.items()]
    text = cache.sources_text("abc", lines)
    remembered = cache.read_lines(text)
    assert {path: entry.signature for path, entry in remembered.items()} == sources
    assert all(entry.frames == frames and entry.record == '{"format":"native"}' for entry in remembered.values())
    assert cache.inputs_of(text) == "abc"


def test_an_appended_line_stands_for_its_path_and_the_file_names_the_last_build():
    first = cache.source_line("a.md", (1, 10), "[]", "{}")
    text = cache.sources_text("one", [first, cache.source_line("b.md", (2, 20), "[]", "{}")])
    text += cache.sources_appendix("two", [cache.source_line("a.md", (3, 30), "[]", "{}")])
    remembered = cache.read_lines(text)
    assert remembered["a.md"].signature == (3, 30) and remembered["b.md"].signature == (2, 20)
    assert cache.inputs_of(text) == "two"


def test_a_file_cut_short_names_no_build():
    text = cache.sources_text("one", [cache.source_line("a.md", (1, 10), "[]", "{}")])
    text += cache.sources_appendix("two", [cache.source_line("a.md", (3, 30), "[]", "{}")])
    for cut in range(len(text) - 1, len(text) - 40, -1):
        assert cache.inputs_of(text[:cut]) in ("", "one") and cache.inputs_of(text[:cut]) != "two"
    assert cache.inputs_of(text[:text.index("# inputs two")]) == ""
    assert cache.inputs_of("") == "" and cache.inputs_of(cache.sources_text("", [])) == ""


def test_outlines_compare_without_the_fingerprint_of_the_messages():
    record = '{"conversations":[{"fingerprint":"%s","title":"T"}],"diagnostics":[],"format":"native"}'
    assert cache.same_outlines(record % "aaa:0", record % "bbb:0")
    assert not cache.same_outlines(record % "aaa:0", (record % "aaa:0").replace('"T"', '"U"'))
    assert not cache.same_outlines(record % "aaa:0", "not json")
