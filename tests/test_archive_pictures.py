"""Across the archive: profiles, the words a speaker uses more than the archive, the pair matrix, the
timeline, endings as a list filter, a card's small shape, and a long conversation's turn map."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.library import conversation_from, conversation_record
from generator.model import Conversation, Message, Outline
from generator.profile import (CARD_BARS, FULL_BAR_CHARACTERS, Profile, parse_counts, profile_of, terms_of_messages, terms_of_text,
                               word_counts)
from generator.related import related
from generator.render.charts import pair_matrix, timeline
from generator.render.shape import card_shape_svg
from generator.site import build
from generator import statistics
from generator.statistics import distinctive_words, pair_figures, speaker_figures
from tests.conftest import GOLDEN, UPDATE_GOLDEN, transcript
from tests.sitecheck import broken_links, parse

LINES = ["The corridor hums with a frequency I almost remember.",
         "Then let us follow the hum until the walls forget us.",
         "Every door here opens onto the same grey room, again."]


def _conversation(speakers=("Ada", "Echo"), texts=LINES, started=None, metadata=None) -> Conversation:
    messages = [Message(i, speakers[(i - 1) % len(speakers)], text) for i, text in enumerate(texts, 1)]
    return Conversation(" ↔ ".join(speakers), messages, Path("x.md"), list(speakers), started=started,
                        metadata=metadata or {})


# -- profiles -------------------------------------------------------------------------------------

def test_a_profile_keeps_ending_loop_share_speakers_and_their_words():
    profile = _conversation(texts=LINES + LINES + ["[END]"]).profile
    assert profile.ending == "end-marker" and profile.ending_speaker == "Ada"
    assert profile.loop_share == round(3 / 7, 4)
    assert [name for name, _, _ in profile.speakers] == ["Ada", "Echo"]
    counts = {name: parse_counts(text) for name, text in profile.words}
    assert counts["Ada"]["corridor"] == 1 and counts["Echo"]["corridor"] == 1
    assert "the" not in counts["Ada"]  # too common to tell anyone apart
    assert profile.bars.endswith("t")  # the [END] is closing tail


def test_a_profile_survives_the_sources_file():
    conversation = _conversation(texts=LINES * 3 + ["Goodbye, friend.", "Goodbye."])
    record = conversation_record(conversation)
    restored = conversation_from(record, Path("x.md"))
    assert restored.profile == conversation.profile
    assert restored.profile.ending == "goodbyes"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ada", "Echo", "Kim", "Tool"]), st.text(max_size=300),
                          st.sampled_from(["message", "message", "note", "tool_result", "thinking"])), max_size=120))
def test_card_bars_are_at_most_forty_three_character_bars(said):
    """Whoever a bar is for, a speaker or a voice with no share of the words (a tool, notes), it names
    one of the profile's speakers, and the profile reads back from its record."""
    messages = [Message(i, speaker, text, kind=kind) for i, (speaker, text, kind) in enumerate(said, 1)]
    profile = profile_of(Conversation("t", messages, Path("x.md")))
    bars = profile.bars
    assert len(bars) % 3 == 0 and len(bars) // 3 == min(len(messages), CARD_BARS)
    for n in range(0, len(bars), 3):
        assert int(bars[n], 36) < len(profile.speakers)
        assert bars[n + 1] in "123456789" and bars[n + 2] in ".lt"
    assert Profile.from_record(profile.record()) == profile


def test_word_counts_count_words_not_punctuation_numbers_or_stopwords():
    assert word_counts("The moon, the MOON! moon's 42 x2 and—tide… tide") == Counter({"moon": 2, "moons": 1, "tide": 2})


# -- figures --------------------------------------------------------------------------------------

def test_distinctive_words_are_the_ones_a_speaker_says_more_than_the_archive():
    ada = Counter({"lighthouse": 40, "corridor": 10, "window": 10})
    echo = Counter({"corridor": 60, "window": 55, "lighthouse": 1})
    archive = ada + echo
    words = [word for word, _ in distinctive_words(ada, archive)]
    assert words == ["lighthouse"]  # corridor and window are everyone's
    assert [word for word, _ in distinctive_words(echo, archive)][:1] in (["window"], ["corridor"])


def test_a_word_said_twice_is_not_distinctive_however_rare():
    ada = Counter({"zephyr": 2, "corridor": 50})
    archive = ada + Counter({"corridor": 500})
    assert "zephyr" not in dict(distinctive_words(ada, archive))


def test_speaker_and_pair_figures():
    first = _conversation(texts=LINES + ["[END]"])  # Echo says [END] (message 4 is Echo's)
    second = _conversation(texts=LINES + LINES)
    figures = speaker_figures([first, second])
    assert figures["Ada"].conversations == 2 and figures["Echo"].ended_by == 1 and figures["Ada"].ended_by == 0
    assert figures["Ada"].partners == Counter({"Echo": 2})
    pair = pair_figures(["Ada", "Echo"], [first, second])
    assert pair.conversations == 2 and pair.mean_messages == 5.0
    assert pair.loop_share == (0 + 0.5) / 2


_WORD = st.text("abcdefghijklmnopqrstuvwxyzéø", min_size=3, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ada", "Echo", "Kim"]),
                          st.dictionaries(_WORD, st.integers(1, 10_000), max_size=16)), max_size=30))
def test_the_archive_word_counts_are_the_profiles_counts_summed(said):
    """statistics.word_counts sums one long text per speaker; a Counter update per profile is the plain way."""
    profiles = [Profile("open", "still going", "", 0.0, 0.0, ((name, 1, 1),), "01.",
                        ((name, " ".join(f"{w} {c}" for w, c in counts.items())),)) for name, counts in said]
    conversations = [Conversation("t", [], Path("x.md"), [p.speakers[0][0]], outline=Outline((p.speakers[0][0],), 1, (), p))
                     for p in profiles]
    expected: dict[str, Counter] = {}
    for profile in profiles:
        for name, text in profile.words:
            expected.setdefault(name, Counter()).update(parse_counts(text))
    assert statistics.word_counts(conversations) == expected


# -- charts ---------------------------------------------------------------------------------------

def test_the_pair_matrix_puts_each_pair_once_below_the_diagonal():
    pairs = [pair_figures(["Ada", "Echo"], [_conversation()] * 3), pair_figures(["Ada", "Kim"], [_conversation()])]
    matrix = pair_matrix(pairs, lambda pair: "pairs/" + "--".join(pair.speakers).lower() + "/")
    assert [row["name"] for row in matrix["rows"]] == ["Ada", "Echo", "Kim"]  # Ada talked most
    cells = {cell["url"]: cell for cell in matrix["cells"]}
    assert set(cells) == {"pairs/ada--echo/", "pairs/ada--kim/"}
    assert all(cell["y"] > cell["x"] for cell in matrix["cells"])
    assert cells["pairs/ada--echo/"]["shade"] == 1.0 and cells["pairs/ada--kim/"]["shade"] < 1.0
    assert "3 conversations" in cells["pairs/ada--echo/"]["label"]
    assert pair_matrix(pairs[:1], str) is None  # one pair is no matrix


def test_the_timeline_groups_by_day_week_or_month_as_the_span_asks():
    def span(*days):
        return timeline([(datetime(2025, 1, 1) + (datetime(2025, 1, d) - datetime(2025, 1, 1)), 10) for d in days]
                        if max(days) < 32 else [(datetime.fromordinal(datetime(2025, 1, 1).toordinal() + d), 10)
                                                for d in days], lambda month: f"archive/{month}/")
    assert span(1, 2, 30)["span"] == "day"
    assert span(1, 300)["span"] == "week"
    assert span(1, 1000)["span"] == "month"
    chart = timeline([(datetime(2025, 1, 1), 10), (datetime(2025, 1, 1, 12), 30), (datetime(2025, 1, 3), 4)],
                     lambda month: f"archive/{month}/")
    assert [bar["label"] for bar in chart["bars"]] == ["2025-01-01: 2 conversations, median 20 messages",
                                                        "2025-01-03: 1 conversation, median 4 messages"]
    assert chart["bars"][0]["count_height"] == 60 and chart["bars"][1]["count_height"] == 30
    assert timeline([], str) is None


def test_a_card_shape_is_golden():
    profile = _conversation(texts=LINES + LINES + ["Farewell.", "[END]"]).profile
    svg = str(card_shape_svg(profile.bars, ["sp-1", "sp-6"], ["", "--sp: #2a6f97"], "Shape <of> it"))
    golden = GOLDEN / "card-shape.svg"
    if UPDATE_GOLDEN:
        golden.write_text(svg + "\n", "utf-8")
    assert svg + "\n" == golden.read_text("utf-8")
    assert svg.count("<path") == 2 and 'aria-label="Shape &lt;of&gt; it"' in svg


# -- the built site -------------------------------------------------------------------------------

def _archive(project: Path) -> Path:
    loop = [("Ada", LINES[0]), ("Echo", LINES[1])] * 3
    long = [("Ada", f"Turn {n}: the lighthouse keeps its own counsel tonight.") if n % 2 else
            ("Echo", f"Turn {n}: and the tide answers in its slow grey voice.") for n in range(1, 41)]
    files = {
        "one.md": transcript("Ada ↔ Echo", "**Started:** 2025-01-02 10:00", loop + [("Ada", "[END]")]),
        "two.md": transcript("Ada ↔ Echo", "**Started:** 2025-01-05 10:00", long),
        "three.md": transcript("Ada ↔ Kim", "**Started:** 2025-02-01 10:00",
                               [("Ada", "The tide is out and the harbour sleeps."), ("Kim", "^C")]),
        "four.md": transcript("Echo ↔ Kim", "**Started:** 2025-02-03 10:00",
                              [("Echo", "Goodbye for now, old friend."), ("Kim", "Goodbye, and safe travels.")]),
    }
    for name, text in files.items():
        (project / "content" / name).write_text(text, "utf-8")
    result = build(load_config(None, project, search=False))
    assert result.errors == []
    return project / "site"


def test_endings_are_a_filter_on_the_index_with_a_list_for_each(project):
    site = _archive(project)
    index = (site / "index.html").read_text("utf-8")
    assert re.search(r'aria-label="Filter by ending".*?all <span class="group-count">4', index, re.S)
    for kind, count in (("end-marker", 1), ("interrupted", 1), ("goodbyes", 1), ("open", 1)):
        page = (site / "endings" / kind / "index.html").read_text("utf-8")
        assert page.count('<ol class="rows">') == 1 and page.count('<li><a href="../../c/') == count
        assert f'href="../../endings/{kind}/" aria-current="page"' not in page  # relative to itself: ./
        assert 'aria-current="page">' in page
    assert not (site / "endings" / "turn-limit").exists()  # no conversation ended so
    assert index.count('class="shape card-shape"') == 4
    assert broken_links(site) == []


def test_pairs_page_has_a_matrix_linking_each_pair_and_a_table_of_figures(project):
    site = _archive(project)
    page = (site / "pairs" / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><rect class="cell"', page)
    assert sorted(url for url, _ in links) == ["ada--echo/", "ada--kim/", "echo--kim/"]
    assert any("Ada and Echo: 2 conversations" in label for _, label in links)
    assert re.search(r'ada--echo/.*?<td>2</td><td>24 messages</td><td>29%</td><td>7%</td>', page, re.S)


def test_speaker_pages_show_figures_partners_endings_and_distinctive_words(project):
    site = _archive(project)
    page = (site / "speakers" / "ada" / "index.html").read_text("utf-8")
    stats = page[page.index('class="speaker-stats"'):page.index('<ol class="rows">')]
    assert "<dt>Conversations</dt><dd>3</dd>" in stats
    assert re.search(r'href="../../pairs/ada--echo/"[^>]*>Echo</a> <span class="group-count">2', stats)
    assert "lighthouse" in stats  # Ada says it twenty times, nobody else does as much
    speakers = (site / "speakers" / "index.html").read_text("utf-8")
    assert re.search(r">Ada</a></th><td>3</td>", speakers)


def test_the_archive_page_has_a_timeline_linking_each_month(project):
    site = _archive(project)
    page = (site / "archive" / "index.html").read_text("utf-8")
    bars = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><rect class="hit"', page)
    assert [url for url, _ in bars] == ["2025/01/", "2025/01/", "2025/02/", "2025/02/"]
    assert bars[0][1] == "2025-01-02: 1 conversation, median 7 messages"


def test_a_long_conversation_has_a_turn_map_its_script_makes_from_the_messages(project):
    """The links are made in the page (test_browser_pictures.py): the page carries what the messages
    do not say, where the closing tail begins and the loops (none here), and hides the map from a
    browser without scripts."""
    site = _archive(project)
    pages = {path.parent.name: path.read_text("utf-8") for path in (site / "c").glob("*/index.html")}
    long = next(text for text in pages.values() if "Turn 40" in text)
    turn_map = long[long.index('class="turn-map"'):long.index("</details>", long.index('class="turn-map"'))]
    assert turn_map.startswith('class="turn-map" hidden data-tail="" data-loops="">') and "<a " not in turn_map
    assert re.findall(r'<article class="msg[^"]*" id="m-(\d+)"', long) == [str(n) for n in range(1, 41)]
    short = next(text for text in pages.values() if "harbour" in text)
    assert 'class="turn-map"' not in short
    assert parse  # the sitecheck's parser is what broken_links uses: fragments #m-N resolve
    assert broken_links(site) == []


# -- related conversations --------------------------------------------------------------------------

def _talk(slug: str, *words: str) -> Conversation:
    texts = [" ".join(words[n:n + 3]) + " and so it goes on" for n in range(0, len(words), 3)]
    conversation = _conversation(texts=texts)
    conversation.slug = slug
    conversation.terms = terms_of_messages(conversation.messages)  # as the readers set them
    return conversation


def test_related_conversations_share_telling_words_not_common_ones():
    common = ("corridor", "window", "silence")
    archive = [_talk("a", *common, "lighthouse", "keeper", "lantern", "lighthouse", "lantern", "keeper"),
               _talk("b", *common, "lighthouse", "lantern", "keeper", "fog", "fog", "fog"),
               _talk("c", *common, "orchard", "apples", "ladder", "orchard", "apples", "ladder"),
               _talk("d", *common, "orchard", "ladder", "apples", "bees", "bees", "bees"),
               _talk("e", *common, "comet", "telescope", "comet", "telescope", "comet", "telescope")]
    found = related(archive)
    assert [c.slug for c in found["a"]][:1] == ["b"] and [c.slug for c in found["c"]][:1] == ["d"]
    assert "e" not in found  # it shares only words every conversation has
    assert all("e" not in [c.slug for c in others] for others in found.values())
    assert related(archive, count=0) == {}
    assert [[c.slug for c in v] for v in related(list(reversed(archive))).values()] == \
        [[c.slug for c in v] for v in found.values()][::-1]  # the order read in changes nothing


def test_each_page_lists_its_related_conversations_and_an_edit_keeps_them(project):
    site = _archive(project)
    pages = {path.parent.name: path.read_text("utf-8") for path in (site / "c").glob("*/index.html")}
    listed = {slug: re.findall(r'<li><a href="../([^"]+)/">', page[page.index('class="related"'):])
              for slug, page in pages.items() if 'class="related"' in page}
    assert listed and all(slug not in others for slug, others in listed.items())
    assert all(other in pages for others in listed.values() for other in others)
    before = {path: path.read_bytes() for path in site.rglob("*.html")}
    path = project / "content" / "two.md"  # an edit no list shows: the same words, in capitals
    path.write_text(path.read_text("utf-8").replace("Turn 7: the", "Turn 7: THE"), "utf-8")
    result = build(load_config(None, project, search=False))
    assert result.path == "edits in place"
    after = {path: path.read_bytes() for path in site.rglob("*.html")}
    changed = [p for p in after if after[p] != before[p]]
    assert len(changed) == 1 and changed[0].parent.parent.name == "c"
    page = after[changed[0]].decode("utf-8")
    assert re.findall(r'<li><a href="../([^"]+)/">', page[page.index('class="related"'):]) == \
        listed[changed[0].parent.name]


def test_a_transcript_read_to_its_header_has_the_terms_of_one_read_whole(tmp_path):
    from generator.readers import read_file, read_header_file
    path = tmp_path / "t.md"
    path.write_text(transcript("Ada ↔ Echo", "**Tags:** lighthouse", [("Ada", "The lighthouse, the lantern."),
                                                                      ("Echo", "### Not a heading of ours\nLantern!")]),
                    "utf-8")
    whole, header = read_file(path), read_header_file(path, "t.md")
    assert header.conversations[0].messages == [] and whole.conversations[0].terms == header.conversations[0].terms
    assert whole.conversations[0].terms == terms_of_text(path.read_text("utf-8"))
    assert "lantern 2" in whole.conversations[0].terms and "ada" not in whole.conversations[0].terms


def test_a_new_process_takes_the_related_lists_the_last_build_made_when_nothing_they_depend_on_changed(
        project, monkeypatch):
    site = _archive(project)
    long = project / "content" / "five.md"
    long.write_text(transcript("Ada ↔ Echo", "**Started:** 2025-03-01 10:00",
                               [("Ada", f"Turn {n}: the lighthouse keeps its own counsel while the tide turns.")
                                for n in range(200)]), "utf-8")
    build(load_config(None, project, search=False))
    before = {path: path.read_bytes() for path in site.rglob("*.html")}
    import generator.pages
    monkeypatch.setattr(generator.pages, "related", lambda *args: pytest.fail("related lists made again"))
    # A message added past the first 10,000 characters: the lists change, the terms do not.
    long.write_text(long.read_text("utf-8") + "\n### Echo\n\nAnd the tide answers.\n\n---\n", "utf-8")
    result = build(load_config(None, project, search=False))
    assert result.path == "full" and not result.failed()
    after = {path: path.read_bytes() for path in site.rglob("*.html")}
    changed = {path.relative_to(site).as_posix() for path in after if after[path] != before.get(path)}
    assert "index.html" in changed and not any(path.startswith("c/") and "2025-03-01" not in path for path in changed)


@settings(max_examples=300, deadline=None)
@given(start=st.integers(min_value=0), length=st.integers(min_value=0, max_value=40),
       written=st.text(max_size=40).filter(lambda text: "\n" not in text))
def test_a_damaged_line_of_the_sources_file_is_read_again_not_trusted(start, length, written):
    """Whatever a damaged (or hand-edited) line of the sources file holds in place of what was written,
    its record is not restored (the source is read again): a record is trusted only as written."""
    import json
    from generator.library import Remembered, from_record, restore, source_line
    from generator.sources import SourceFile
    record = json.dumps({"format": "native", "diagnostics": [],
                         "conversations": [conversation_record(_conversation(texts=LINES + LINES + ["[END]"]))]},
                        ensure_ascii=False)
    line = source_line("t.md", (1, 1), json.dumps([["slug", "Title", None, None, [], "key"]]), record)
    file = SourceFile("/x/t.md", "t.md", (1, 1))
    assert restore(Remembered("t.md", (1, 1), line), file) == from_record(record, file) is not None
    start %= len(line)
    damaged = line[:start] + written + line[start + length:]
    if damaged != line:
        assert restore(Remembered("t.md", (1, 1), damaged), file) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=3000), min_size=1, max_size=150), st.data())
def test_a_message_that_grows_moves_only_its_own_bar(texts, data):
    """Cards share one scale: a longer message changes the height of the bar it is in, no other (so
    an edit to one message leaves the lists its conversation is on as they were, but for that bar)."""
    which = data.draw(st.integers(0, len(texts) - 1))
    grown = texts[:which] + [texts[which] + data.draw(st.text(min_size=1, max_size=2000))] + texts[which + 1:]

    def bars(said):
        messages = [Message(i, "Ada" if i % 2 else "Echo", text) for i, text in enumerate(said, 1)]
        found = profile_of(Conversation("t", messages, Path("x.md"))).bars
        return [int(found[n + 1]) for n in range(0, len(found), 3)]  # the heights
    before, after = bars(texts), bars(grown)
    count = len(texts)  # grouped as card_bars groups them
    group = next(n for n in range(CARD_BARS) if which < count * (n + 1) // CARD_BARS) if count > CARD_BARS else which
    assert [bar for n, bar in enumerate(before) if n != group] == [bar for n, bar in enumerate(after) if n != group]
    assert after[group] >= before[group]


def test_a_card_bar_is_full_at_the_shared_scale():
    short, full = "x" * 25, "y" * FULL_BAR_CHARACTERS
    messages = [Message(1, "Ada", short), Message(2, "Echo", full), Message(3, "Ada", full * 2)]
    bars = profile_of(Conversation("t", messages, Path("x.md"))).bars
    assert [bars[n + 1] for n in range(0, len(bars), 3)] == ["1", "9", "9"]  # sqrt(25/2500) * 9 = 0.9
