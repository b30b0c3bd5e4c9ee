"""Keys (generator/keys.py): changing any field an output shows changes that output's key, so a page
is never kept when what it shows has changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hypothesis import given, strategies as st

from generator import keys
from generator.library import Neighbour
from generator.model import Conversation, Message

BASE = Conversation("Alice ↔ Bob", [Message(1, "Alice", "Hello."), Message(2, "Bob", "Hi.")], Path("/c/a.md"),
                    participants=["Alice", "Bob"], started=datetime(2025, 1, 1, 10), ended=datetime(2025, 1, 1, 11),
                    tags=["tide"], summary="", fingerprint="abc:0", slug="2025-01-01-alice-bob")
OLDER, NEWER = Neighbour("older", "Older one"), Neighbour("newer", "Newer one")
text = st.text(min_size=1, max_size=12)

# Each field a conversation page or a card shows, and a way to change it.
PAGE_CHANGES = {
    "content": lambda c, v: replace(c, fingerprint=v + ":0"),
    "file": lambda c, v: replace(c, source=Path("/c") / (v.replace("/", "_") + ".md")),
    "slug": lambda c, v: replace(c, slug=v),
    "title": lambda c, v: replace(c, title=v),
}
CARD_CHANGES = {
    **{name: change for name, change in PAGE_CHANGES.items() if name not in ("content", "file")},
    "speakers": lambda c, v: replace(c, participants=[v, "Bob"]),
    "started": lambda c, v: replace(c, started=datetime(2024, 1, 1 + len(v) % 27)),
    "ended": lambda c, v: replace(c, ended=None),
    "count": lambda c, v: replace(c, messages=c.messages + [Message(3, "Alice", v)]),
    "tags": lambda c, v: replace(c, tags=[v]),
    "summary": lambda c, v: replace(c, summary=v),
    "opening": lambda c, v: replace(c, messages=[Message(1, "Alice", v)] + c.messages[1:]),
}


@given(st.sampled_from(sorted(PAGE_CHANGES)), text)
def test_a_change_to_a_conversation_changes_its_page_key(field, value):
    changed = PAGE_CHANGES[field](BASE, value)
    if changed == BASE:
        return
    assert keys.conversation_page(changed, OLDER, NEWER) != keys.conversation_page(BASE, OLDER, NEWER)


@given(st.sampled_from(["older slug", "older title", "newer slug", "newer title", "no older"]), text)
def test_a_change_to_a_neighbour_changes_the_page_key(field, value):
    older, newer = OLDER, NEWER
    if field == "no older":
        older = None
    elif field.startswith("older"):
        older = OLDER._replace(**{field.split()[1]: value})
    else:
        newer = NEWER._replace(**{field.split()[1]: value})
    if (older, newer) == (OLDER, NEWER):
        return
    assert keys.conversation_page(BASE, older, newer) != keys.conversation_page(BASE, OLDER, NEWER)


@given(st.sampled_from(sorted(CARD_CHANGES)), text)
def test_a_change_to_what_lists_show_changes_the_card_key(field, value):
    changed = CARD_CHANGES[field](BASE, value)
    if keys.card(changed) == keys.card(BASE):  # the same card: the value changed nothing it shows
        assert (changed.title, changed.slug, changed.speakers, changed.started, changed.ended, changed.message_count,
                changed.tags, changed.summary, changed.opening) == \
               (BASE.title, BASE.slug, BASE.speakers, BASE.started, BASE.ended, BASE.message_count, BASE.tags,
                BASE.summary, BASE.opening)


@given(st.integers(0, 6), text)
def test_a_change_to_any_part_of_a_list_page_changes_its_key(part, value):
    parts = ["list.html", "tags/tide/", "Tag: tide", "Tide talk", {"number": 1}, {"feed": ""}, ["card one"]]
    before = keys.listing(*parts[:6], parts[6])
    changed = list(parts)
    changed[part] = {"number": value} if part == 4 else {"feed": value} if part == 5 else [value] if part == 6 else value
    if changed == parts:
        return
    assert keys.listing(*changed[:6], changed[6]) != before


@given(st.sampled_from(sorted(CARD_CHANGES)), text)
def test_a_change_to_what_rows_show_changes_the_row_key(field, value):
    changed = CARD_CHANGES[field](BASE, value)
    if keys.row(changed) == keys.row(BASE):  # the same row: the value changed nothing it shows
        assert keys.card(changed) == keys.card(BASE)


def _with_profile(**changes) -> Conversation:
    conversation = replace(BASE)
    profile = replace(BASE.profile, **changes)
    conversation.made_once("profile", lambda: profile)
    assert conversation.profile == profile
    return conversation


@given(st.sampled_from(["bars", "shares"]))
def test_a_change_to_the_shape_of_a_card_changes_its_card_key_not_its_row_key(part):
    """Rows (every list but the index) and feed entries show no shape: an edit that changes only the
    bars, or how the words are shared, leaves them as they are."""
    if part == "bars":
        changed = _with_profile(bars=BASE.profile.bars[::-1] + "19.")
    else:
        changed = _with_profile(speakers=tuple((name, count, words * (3 if name == "Bob" else 1))
                                               for name, count, words in BASE.profile.speakers))
    assert keys.card(changed) != keys.card(BASE)
    assert keys.row(changed) == keys.row(BASE)


@given(st.sampled_from([("end-marker", "[END]"), ("interrupted", "interrupted (^C)"), ("open", "still open")]))
def test_a_change_to_how_a_conversation_ended_changes_its_row_key(ending):
    kind, label = ending
    changed = _with_profile(ending=kind, ending_label=label)
    if (kind, label) != (BASE.profile.ending, BASE.profile.ending_label):
        assert keys.row(changed) != keys.row(BASE) and keys.card(changed) != keys.card(BASE)
