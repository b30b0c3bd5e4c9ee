"""The native transcript format: every reading rule, its edge cases, and a round-trip property."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import SourceError
from generator.model import Conversation, Message
from generator.readers import decode, native, read_bytes
from tests.conftest import transcript

SEEDLIKE = """# qwen ↔ Kimi

**Started:** 2025-10-26 13:08:38
**Ended:** 2025-10-26 13:12:18
**Messages:** 4

---

### qwen

 

---

### Kimi

*leans in, voice low*  
You summoned me.  
Tell me why.

---

### qwen

[END]

---

### Kimi

[END]

---

"""


def read(text: str | bytes, name: str = "t.md"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = read_bytes(Path(name), data, name)
    assert result.format == "native" and len(result.conversations) == 1
    return result.conversations[0], result.diagnostics


def test_reads_title_metadata_and_messages():
    conversation, diagnostics = read(SEEDLIKE)
    assert diagnostics == []
    assert conversation.title == "qwen ↔ Kimi"
    assert conversation.participants == ["qwen", "Kimi"]
    assert conversation.started == datetime(2025, 10, 26, 13, 8, 38)
    assert conversation.ended == datetime(2025, 10, 26, 13, 12, 18)
    assert conversation.metadata == {"Started": "2025-10-26 13:08:38", "Ended": "2025-10-26 13:12:18", "Messages": "4"}
    assert [(m.index, m.speaker) for m in conversation.messages] == [(1, "qwen"), (2, "Kimi"), (3, "qwen"), (4, "Kimi")]


def test_whitespace_only_message_is_an_empty_turn_and_end_is_a_message():
    conversation, _ = read(SEEDLIKE)
    assert conversation.messages[0].text == ""
    assert conversation.messages[2].text == "[END]"


def test_trailing_spaces_survive_and_message_lines_are_recorded():
    conversation, _ = read(SEEDLIKE)
    assert conversation.messages[1].text == "*leans in, voice low*  \nYou summoned me.  \nTell me why."
    assert [m.line for m in conversation.messages] == [9, 15, 23, 29]


def test_crlf_bom_and_missing_final_newline_read_the_same():
    plain, _ = read(SEEDLIKE)
    windows = "\ufeff" + SEEDLIKE.rstrip("\n").replace("\n", "\r\n")
    other, diagnostics = read(windows)
    assert diagnostics == []
    assert other.messages == plain.messages
    assert other.metadata == plain.metadata


def test_rules_and_headings_inside_a_body_stay_in_the_body():
    text = transcript(messages=[
        ("Alice", "Part one.\n\n---\n\n### Interlude\n\nPart two."),
        ("Bob", "A rule at the end\n\n---"),
    ])
    conversation, diagnostics = read(text)
    assert diagnostics == []
    assert [m.speaker for m in conversation.messages] == ["Alice", "Bob"]
    assert conversation.messages[0].text == "Part one.\n\n---\n\n### Interlude\n\nPart two."


def test_title_without_arrow_takes_speakers_from_messages():
    conversation, _ = read(transcript(title="Night shift", messages=[("Keeper", "Wind NNE."), ("Assistant", "Noted.")]))
    assert conversation.title == "Night shift"
    assert conversation.participants == []
    assert conversation.speakers == ["Keeper", "Assistant"]


def test_speakers_include_those_outside_the_title_in_order_of_appearance():
    conversation, _ = read(transcript(title="A ↔ B", messages=[("B", "1"), ("A", "2")]))
    assert conversation.speakers == ["A", "B"]


def test_optional_keys_tags_title_summary_draft_and_unknown_keys():
    header = "**Tags:** poetry, ocean , ,poetry\n**Title:** The tide pool\n**Summary:** Short.\n**Draft:** yes\n**Temperature:** 1.0"
    conversation, diagnostics = read(transcript(header=header))
    assert diagnostics == []
    assert conversation.tags == ["poetry", "ocean"]
    assert conversation.title == "The tide pool"
    assert conversation.summary == "Short."
    assert conversation.draft is True
    assert conversation.metadata["Temperature"] == "1.0"


def test_timezone_aware_dates():
    conversation, _ = read(transcript(header="**Started:** 2025-06-11T19:30:05+09:00"))
    assert conversation.started == datetime(2025, 6, 11, 10, 30, 5, tzinfo=timezone.utc)
    assert conversation.started.utcoffset() == timedelta(hours=9)


def test_message_count_mismatch_is_a_warning_naming_the_line():
    _, diagnostics = read(transcript(header="**Messages:** 5"), name="content/x.md")
    assert [str(d) for d in diagnostics] == ["content/x.md:3: warning: header says 5 messages but 2 were read"]


@pytest.mark.parametrize("header, expected", [
    ("**Started:** yesterday", "t.md:3: warning: 'Started' is not a date such as 2025-10-26 13:08:38 (or it is out of range); ignored"),
    ("**Draft:** maybe", "t.md:3: warning: 'Draft' should be true or false, not 'maybe'"),
    ("**Messages:** many", "t.md:3: warning: 'Messages' is not a number: 'many'"),
    ("Some stray line", "t.md:3: warning: header line is not '**Key:** value'; it is ignored"),
])
def test_bad_header_values_are_warnings(header, expected):
    _, diagnostics = read(transcript(header=header))
    assert [str(d) for d in diagnostics] == [expected]


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "empty file"),
    ("\n\nHello there\n", 3, "expected a title line"),
    ("# Title\n\n**Started:** 2025-01-01\n", 1, "no messages"),
    ("# A ↔ B\n\n---\n\nNot a heading\n", 5, "expected '### speaker'"),
])
def test_malformed_files_are_errors_with_a_line(text, line, message):
    with pytest.raises(SourceError) as caught:
        native.read(Path("t.md"), text, "t.md")
    assert caught.value.diagnostic.line == line
    assert message in caught.value.diagnostic.message


@pytest.mark.parametrize("text", ["", "\n\nHello there\n"])
def test_files_that_are_not_transcripts_are_skipped_with_a_note(text):
    result = read_bytes(Path("t.md"), text.encode(), "t.md")
    assert result.format == "" and result.conversations == []
    assert [d.level for d in result.diagnostics] == ["note"]
    assert "not a transcript: no reader recognises this file" in result.diagnostics[0].message


README = """# Harbour tools

How the gauge scripts fit together.

## Install

### With pip

    pip install tidewatch

### From a checkout

Run the setup script.
"""


# A folder's index beside its transcripts, as a bot platform's export writes it: sections, and a
# '**Start here:**' field under a few of them (one label that recurs, late in the file).
FOLDER_INDEX = """# Harbour Bot Talks

These are talks between the harbour bots, saved as they happened.

## The bots

### Gauge
**Port 7001** | Instrument

Reads the tide every ten minutes and says so.

### Lamp
**Port 7002** | Beacon

Keeps the light and counts the ships.

### Ferry
**Port 7003** | Vessel

Crosses twice an hour, never late.

## Where to begin

### Gauge & Lamp: the long night
Two bots keep watch through a storm.

**Start here:** [Gauge & Lamp - Mar 3](./gauge_lamp.md)

### Lamp & Ferry: a missed crossing
**Start here:** [Lamp & Ferry - Mar 4](./lamp_ferry.md)

### Ferry & Gauge: low water
**Start here:** [Ferry & Gauge - Mar 5](./ferry_gauge.md)
"""


@pytest.mark.parametrize("text, level", [
    (README, "note"),  # a README or notes beside the transcripts: not one, and no error
    (FOLDER_INDEX, "note"),  # not a chat of one speaker called "Start here"
    # A README whose two parts each have a section of the same name: not a speaker's heading.
    ("# Gauge logs\n\n## Pier\n\n### Layout\n\nOne file a day.\n\n### Sources\n\nThe float.\n\n"
     "## Lamp\n\n### Layout\n\nOne file a night.\n\n### Keepers\n\nThe lamp's.\n\n### Caveats\n\nFog.\n\n"
     "### Owners\n\nThe harbour.\n\n### Licence\n\nOpen.\n\n### Contact\n\nThe office.\n", "note"),
    ("# Notes of the day\n\nThe pier four gauge was read twice.\n", "note"),
    ("# 2025-12-31\n\n**04:53 AM:** read the gauge -> noted 0.04 m\n\n**05:02 AM:** read it again\n", "note"),
    ("# Ann ↔ Bo\n\nThey spoke, but the messages were never written down.\n", "error"),
    ("# Harbour talk\n\n**Started:** 2025-01-01\n", "error"),
    # A report with fields of its own and sections between rules, each opening with a field.
    ("# Lamp room log\n\n**Date:** 2026-01-10\n**Keeper:** Ann\n\n---\n\n## Before\n\nWick: worn to the holder\n\n"
     "---\n\n## After\n\nWick: new, trimmed\n\n---\n\n## If it fails again\n\nTo relight: open, strike, wait\n", "note"),
    # A design document whose sections each open with fields, as a chat's speakers would.
    ("# Lamp design\n\nWhy the lamp is built so.\n\n### The lens\n**Decision**: a Fresnel lens\n"
     "**Rationale**: thin and bright\n\n### The wick\n**Decision**: cotton\n**Rationale**: it burns evenly\n\n"
     "### The glass\n**Decision**: tinted\n**Example**: amber\n**Rationale**: ships see it in fog\n", "note"),
    # A report opening as a document does: title, its own fields, a rule, then a section, whose
    # '**Status:**' and '**Risk:**' lines recur (not a chat of Status and Risk, nor a broken transcript).
    ("# Lamp room report\n\n**Date:** 2026-01-10\n**Device:** the north lamp\n\n---\n\n## What changed\n\n"
     "**Status:** done\n\n**Risk:** low\n\n---\n\n## Checked again\n\n**Status:** checked\n**Risk:** none\n\n"
     "---\n\n### Later\n\nNothing more.\n", "note"),
    # A summary of two days, each ending '**Overall:**': no monologue of 'Overall'.
    ("## Day 3\n\nThe keeper cleaned the lens.\nThe fog came in.\nThe horn was tested.\n\n"
     "**Overall Goal:** keep the light.\n\n**Overall:** a quiet day.\n\n## Day 4\n\nThe oil arrived.\n\n"
     "**Overall:** a busy day.\n", "note"),
    ("# Harbour talk\n\n### Ann\n\nhi\n\n### Bo\n\nyo\n\n### Ann\n\nbye\n", "error"),  # speakers recur
])
def test_only_files_meant_as_transcripts_have_their_errors_shown(text, level):
    try:
        result = read_bytes(Path("t.md"), text.encode(), "t.md")
    except SourceError as err:
        assert level == "error", err.diagnostic
    else:
        assert level == "note" and [d.level for d in result.diagnostics] == ["note"]
        assert "not a transcript" in result.diagnostics[0].message


def test_a_log_of_one_speaker_is_still_read():
    log = "# Gauge, alone\n\nGauge: 0.42 m and rising.\nGauge: 0.51 m.\n\nGauge: 0.60 m, the pier is wet.\n"
    conversation, = read_bytes(Path("t.md"), log.encode(), "t.md").conversations
    assert [m.speaker for m in conversation.messages] == ["Gauge"] * 3


def test_binary_and_non_utf8_input_are_clear_errors():
    with pytest.raises(SourceError, match="binary data"):
        decode("x.md", b"# A\n\x00\x01\x02")
    with pytest.raises(SourceError) as caught:
        decode("x.md", "# Café and B\n\nline two\n".encode("latin-1"))
    assert caught.value.diagnostic.line == 1
    assert "not valid UTF-8 (byte 0xe9 at column 6)" in caught.value.diagnostic.message


# -- round trip ---------------------------------------------------------------------------------

# Noncharacters (U+FDD0…U+FDEF, U+FFFE, U+FFFF) are left out too: the reader shows them as '�', with a note.
_NONCHARACTERS = "".join(map(chr, range(0xFDD0, 0xFDF0))) + "\ufffe\uffff"
_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                               exclude_characters=_NONCHARACTERS), min_size=1, max_size=12) \
    .map(str.strip).filter(lambda s: s and s != "Heading" and "↔" not in s and not s.startswith("#"))
_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                              exclude_characters=_NONCHARACTERS), max_size=30)


@st.composite
def _body(draw):
    lines = draw(st.lists(st.one_of(_line, _line.map(lambda s: s + "  "), st.just("---"), st.just("### Heading"),
                                    st.just(""), st.just("[END]")), max_size=6))
    text = "\n".join(lines)
    # What the format cannot hold: surrounding blank lines (trimmed) and a whitespace-only body (empty turn).
    return native._trim_blank_lines(text)


@st.composite
def conversations(draw):
    participants = draw(st.lists(_names, min_size=2, max_size=4, unique=True))
    messages = []
    line = 0
    for index, (speaker, text) in enumerate(draw(st.lists(st.tuples(st.sampled_from(participants), _body()),
                                                          min_size=1, max_size=8)), start=1):
        messages.append(Message(index, speaker, text, line))
    return Conversation(title=" ↔ ".join(participants), messages=messages, source=Path("t.md"),
                        participants=participants, metadata={"Started": "2025-01-02 03:04:05", "Messages": str(len(messages))})


@settings(max_examples=300, deadline=None)
@given(conversations())
def test_write_then_read_gives_the_same_conversation(original):
    text = native.write(original)
    again, diagnostics = read(text)
    assert diagnostics == []
    assert again.title == original.title
    assert again.participants == original.participants
    assert again.metadata == original.metadata
    assert [(m.index, m.speaker, m.text) for m in again.messages] == \
           [(m.index, m.speaker, m.text) for m in original.messages]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_or_fails_cleanly(text):
    try:
        read("# A ↔ B\n\n---\n\n### A\n\n" + text)
    except SourceError as err:
        assert err.diagnostic.line >= 1


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["", " ", "\t", "a", "b c", " a", "a ", "\u2028"]), max_size=6), st.booleans(),
       st.data())
def test_a_body_is_its_lines_without_the_blank_lines_around_them(lines, newline_at_end, data):
    from generator.readers.native import _body, _trim_blank_lines
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.sampled_from([len(text), data.draw(st.integers(start, len(text)))]))
    assert _body(text, start, end) == _trim_blank_lines(text[start:end])


_NAMES = st.sampled_from(["Ada", "Echo", "Keeper", "Tool", "Ada (tool call)", "Echo · 2025-01-01T10:00:00",
                          "Ada (thinking)", "TASK COMPLETED ###"])


@settings(max_examples=300, deadline=None)
@given(participants=st.lists(st.sampled_from(["Ada", "Echo", "Keeper"]), max_size=3, unique=True),
       headings=st.lists(_NAMES, min_size=1, max_size=6))
def test_a_header_read_alone_has_the_speakers_of_the_whole_transcript_when_it_says_so(
        participants, headings, tmp_path_factory):
    """A large build places conversations by their headers (readers.read_header_file) and makes the
    speaker pages from them: a header taken alone must give the speakers a full read gives."""
    from generator.readers import read_file, read_header_file
    title = " ↔ ".join(participants) if participants else "Notes of the night shift"
    body = "".join(f"---\n\n### {heading}\n\nLine {number}.\n\n" for number, heading in enumerate(headings))
    path = tmp_path_factory.mktemp("header") / "t.md"
    path.write_text(f"# {title}\n\n{body}---\n", "utf-8")
    sketch = read_header_file(path, "t.md")
    if sketch is not None:
        assert sketch.conversations[0].speakers == read_file(path, "t.md").conversations[0].speakers
