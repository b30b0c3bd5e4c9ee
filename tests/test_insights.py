"""Insights: repeats, loops, the closing tail and the ending, speaker shares, and the shape SVG."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.insights import find_loops, find_repeats, insights
from generator.model import Conversation, Message
from generator.profile import Profile, profile_of
from generator.render.shape import BAR, bars_path, describe, shape_svg
from tests.conftest import GOLDEN, UPDATE_GOLDEN

LINES = ["The corridor hums with a frequency I almost remember.",
         "Then let us follow the hum until the walls forget us.",
         "Every door here opens onto the same grey room, again.",
         "I count the doors and the number keeps changing on me."]


def _messages(*texts: str, speakers=("Ada", "Echo")) -> list[Message]:
    return [Message(i, speakers[(i - 1) % len(speakers)], text) for i, text in enumerate(texts, 1)]


def test_a_verbatim_block_said_again_is_one_loop_with_each_repeat_marked():
    found = insights(_messages(*LINES, *LINES, "[END]"))
    assert found.repeats == {5: 1, 6: 2, 7: 3, 8: 4}
    assert [(loop.first, loop.last, loop.source) for loop in found.loops] == [(5, 8, 1)]
    assert found.first_repeat == 5 and found.loop_share == 4 / 9


def test_repeats_ignore_case_punctuation_and_spacing():
    found = insights(_messages(LINES[0], "x " * 3, "  the CORRIDOR hums, with a frequency — I almost remember!  "))
    assert found.repeats == {3: 1} and found.loops == ()


def test_short_replies_said_again_are_no_loop():
    found = insights(_messages("Yes.", "Yes.", "Yes.", "Indeed.", "Yes.", "ok ok ok ok", "ok ok ok ok"))
    assert found.repeats == {} and found.loops == ()


def test_repeats_out_of_order_are_repeats_but_no_loop():
    found = insights(_messages(*LINES[:3], LINES[2], LINES[0]))
    assert found.repeats == {4: 3, 5: 1} and found.loops == ()


def test_endings():
    assert insights(_messages("Hello there friend.", "[END]", "[END]")).ending.label == "[END] by Echo"
    ended = insights(_messages("Hello there friend.", "Well then.", "^C^C"))
    assert (ended.ending.kind, ended.ending.speaker, ended.ending.at, ended.tail) == ("interrupted", "Ada", 3, 3)
    goodbye = insights(_messages("We should stop.", "Goodbye, old friend.", "Farewell, and thank you."))
    assert goodbye.ending.kind == "goodbyes" and goodbye.tail == 2 and goodbye.tail_share == 2 / 3
    assert insights(_messages("Hi.", "API error: overloaded, please retry")).ending.kind == "error"
    still = insights(_messages("Hi.", "And then the lantern went out, and we kept walking in the dark."))
    assert (still.ending.kind, still.tail) == ("open", 0)
    # A long message that mentions farewell is talk, not a closing.
    assert insights(_messages("x", "farewell " + "and so on " * 40)).tail == 0
    # [END] in the middle is counted as the first end, but the ending is what closes the conversation.
    middle = insights(_messages("a", "[END]", "but we go on, since nothing ends here really"))
    assert middle.first_end == 2 and middle.ending.kind == "open"


def test_endings_a_runner_noted():
    talk = _messages("We keep walking.", "And the corridor keeps going, as corridors here do.")
    noted = insights(talk, {"Ending": "Kimi K2 1 has ended the conversation with ^C^C."})
    assert (noted.ending.kind, noted.ending.label) == ("interrupted", "Kimi K2 1 has ended the conversation with ^C^C")
    # Who ended it is the one the line names, when that is a speaker; else the last to speak.
    assert noted.ending.speaker == talk[-1].speaker
    first = talk[0].speaker
    assert insights(talk, {"Ending": f"{first} has ended the conversation."}).ending.speaker == first
    assert insights(talk, {"Rounds": "30/30"}).ending.label == "turn limit reached (30 rounds)"
    assert insights(talk, {"Rounds": "12/30"}).ending.kind == "open"


def test_endings_a_runners_status_names():
    talk = _messages("We keep walking.", "And the corridor keeps going, as corridors here do.")
    said = {status: (insights(talk, {"Status": status}).ending.kind, insights(talk, {"Status": status}).ending.label)
            for status in ("completed", "max_turns_reached", "timeout", "error", "cancelled", "incomplete",
                           "Finished", "turn limit")}
    assert said == {"completed": ("completed", "completed"), "max_turns_reached": ("turn-limit", "turn limit reached"),
                    "timeout": ("turn-limit", "time limit reached"), "error": ("error", "ended in an error"),
                    "cancelled": ("interrupted", "interrupted"), "incomplete": ("open", "incomplete"),
                    "Finished": ("completed", "completed"), "turn limit": ("turn-limit", "turn limit reached")}
    # A status that names no ending says nothing of one; what a speaker did says more than the runner.
    assert insights(talk, {"Status": "published"}).ending.kind == "open"
    assert insights(_messages("Well then.", "^C^C"), {"Status": "completed"}).ending.kind == "interrupted"


def test_speaker_shares_add_up():
    found = insights(_messages("one two three", "four", "five six"))
    assert [(s.name, s.messages, s.words) for s in found.shares] == [("Ada", 2, 5), ("Echo", 1, 1)]
    assert abs(sum(s.share for s in found.shares) - 1) < 1e-9
    numbers = found.numbers()
    assert numbers["messages"] == 3 and numbers["speakers"][0]["share"] == round(5 / 6, 4)


def test_tool_output_and_notes_are_no_ones_share_of_the_words_but_keep_their_bars():
    messages = [Message(1, "aider", "Model: x with whole edit format and a long list of files " * 5, kind="note"),
                Message(2, "User", "make it faster"), Message(3, "Tool", "ran the tests " * 40, kind="tool_result"),
                Message(4, "Ada", "done: the cache is kept"), Message(5, "Ada", "thought about it", kind="thinking")]
    found = insights(messages)
    assert [(s.name, s.messages, s.words) for s in found.shares] == [("User", 1, 3), ("Ada", 2, 8)]
    assert "Ada wrote 73% of the words" in describe(found)  # not the tool's 120 words, nor aider's notes
    profile = profile_of(Conversation("T", messages, Path("a.md")))
    assert [name for name, _, _ in profile.speakers] == ["User", "Ada", "aider", "Tool"]
    assert profile.card_view()[-1] == (("User", 27), ("Ada", 73), ("aider", 0), ("Tool", 0))
    assert Profile.from_record(profile.record()) == profile  # the notes' and the tool's bars are drawn too


@given(st.lists(st.sampled_from(LINES + ["Yes.", "[END]", ""]), max_size=40))
def test_loops_are_runs_of_repeats_of_consecutive_messages(texts):
    messages = _messages(*texts)
    repeats = find_repeats(messages)
    for index, source in repeats.items():
        assert source < index and messages[source - 1].text == messages[index - 1].text
    for loop in find_loops(repeats):
        assert loop.length >= 2
        for offset in range(loop.length):
            assert repeats[loop.first + offset] == loop.source + offset


def test_the_shape_svg_is_golden_and_draws_every_bar():
    found = insights(_messages(*LINES, *LINES, "Goodbye.", "[END]"))
    svg = str(shape_svg(found, {"Ada": ("sp-1", ""), "Echo": ("sp-6", "--sp: #2a6f97")}))
    # One path per speaker, one stroke per message at its slot (the page's script maps a click to a slot).
    strokes = {css: [x for x, bottom, _ in drawn_strokes(d) if bottom == 40]
               for css, d in re.findall(r'class="bar (sp-\d)"[^>]* d="([^"]+)"', svg)}
    assert strokes == {"sp-1": [1.5, 9.5, 17.5, 25.5, 33.5], "sp-6": [5.5, 13.5, 21.5, 29.5, 37.5]}
    assert 'data-slots="60" data-messages="10"' in svg and "<a " not in svg
    assert 'aria-labelledby="shape-caption"' in svg and 'class="loop"' in svg and 'class="tail"' in svg
    golden = GOLDEN / "shape.svg"
    if UPDATE_GOLDEN:
        golden.write_text(svg + "\n", "utf-8")
    assert svg + "\n" == golden.read_text("utf-8")


def drawn_strokes(data: str) -> list[tuple[float, float, float]]:
    """The vertical strokes SVG path data draws, as (x, from y, to y): an SVG reader's view of the
    commands the shapes use (M and m, v), absolute or relative."""
    strokes, x, y = [], 0.0, 0.0
    for command, first, second in re.findall(r"([Mmv])(-?[\d.]+)(?: (-?[\d.]+))?", data):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            strokes.append((x, y, y + float(first)))
            y += float(first)
    return strokes


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(2, 40)), min_size=1, max_size=200), st.integers(0, 5))
def test_bars_drawn_by_relative_moves_are_where_the_absolute_ones_were(gaps, start):
    """Differential: each bar where an absolute stroke would put it (BAR - 1 wide, centred in its
    slot, up from the bottom), whatever the gaps between a speaker's slots and the heights."""
    slots = [start + sum(gap for gap, _ in gaps[:n + 1]) for n in range(len(gaps))]
    strokes = [(slot, height) for slot, (_, height) in zip(slots, gaps)]
    expected = [(slot * BAR + (BAR - 1) / 2, 40.0, 40.0 - height) for slot, height in strokes]
    assert drawn_strokes(bars_path(strokes, 40)) == expected


def test_a_message_holding_a_nul_does_not_shift_the_repeats():
    found = insights(_messages("a\x00" + LINES[0], LINES[1], LINES[1], LINES[2]))
    assert found.repeats == {3: 2}
