"""The one canonical model: every reader produces it, everything downstream consumes it."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # profile.py imports insights.py, which imports this module
    from generator.profile import Profile


# The kinds of message besides speech ("message"), and how they are named in headings and on pages.
KIND_LABELS = {"thinking": "thinking", "tool_call": "tool call", "tool_result": "tool result", "context": "context",
               "command": "command", "note": "note", "summary": "summary", "agent": "sub-agent",
               "snapshot": "snapshot", "version": "other version"}


# Not frozen, though nothing changes a message once read: a frozen dataclass sets each field through
# object.__setattr__, five times slower, and a large archive has hundreds of thousands of messages.
@dataclass(slots=True)
class Message:
    index: int  # 1-based position in the conversation, in source order
    speaker: str
    text: str  # the message body exactly as written (empty for an empty turn)
    line: int = 0  # source line of the message's heading; 0 when unknown
    time: datetime | None = None  # when it was sent, where the source says
    kind: str = "message"  # or a key of KIND_LABELS: tool traffic and thinking are shown apart from speech
    label: str = ""  # the speaker as the source labels them, when that differs from ``speaker`` (a seat: 'Claude 1')


@dataclass(frozen=True)
class Outline:
    """What lists need to know of a conversation whose messages are not in memory."""
    speakers: tuple[str, ...]
    message_count: int
    opening: tuple[str, ...]  # the first messages' texts, up to the first with words in it (see Conversation.opening)
    profile: "Profile | None" = None  # see profile.py; None in a sketch (only the header read)


# A model that talked with itself sits in two seats, which a conversation tells apart by their number
# or letter ('Claude 3 Opus (1)', 'GPT-5.2 (A)': see readers/runs.py); across the archive the seats
# are one speaker, with one page.
_SEAT = re.compile(r"(.*\S) \((?:\d{1,2}|[A-Z])\)")


@lru_cache(maxsize=4096)  # asked for every seat of every conversation, by lists and figures
def archive_speaker(name: str) -> str:
    """Who a speaker of a conversation is across the archive: 'Claude 3 Opus (2)' -> 'Claude 3 Opus'."""
    seat = _SEAT.fullmatch(name)
    return seat.group(1) if seat else name


OPENING_CHARS = 400
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# A request of fewer words ('hi', 'whoami', 'login') names nothing: a session is titled by a later one.
TELLING_WORDS = 3
# How far into a session a title taken from a later request is looked for.
_TITLE_REACH = 10


def says_only(text: str, title: str) -> bool:
    """Is ``text`` the title and nothing more (up to spacing, and the '#' or '>' a title drops)?"""
    return _as_title(text) == " ".join(title.split())


def begins_with_title(text: str, title: str) -> bool:
    """Does ``text`` begin with the title (which may end in '…' where it was cut)?"""
    head = " ".join(title.removesuffix("…").split())
    return bool(head) and _as_title(text).startswith(head)


def _as_title(text: str) -> str:
    return " ".join(text.strip().lstrip("#>").split())


def has_words(text: str) -> bool:
    """A letter or digit in it, past any '[END]' tail."""
    return _LETTER_OR_DIGIT.search(text.replace("[END]", "")) is not None


def _opening_text(text: str) -> str:
    """What an opening keeps of a message: its first OPENING_CHARS, or, when drawings fill them (emoji
    art over its caption), OPENING_CHARS from the line where its words begin."""
    head = text[:OPENING_CHARS]
    if has_words(head):
        return head
    worded = _LETTER_OR_DIGIT.search(text.replace("[END]", "     "), OPENING_CHARS)  # the same length: same places
    if worded is None:
        return head
    start = text.rfind("\n", 0, worded.start()) + 1
    return text[start:start + OPENING_CHARS]


def _title_start(messages: list["Message"], title: str) -> int:
    """Where among ``messages`` the title was taken from, when the first with words is too short to
    have named the conversation and a later one begins with the title; else 0."""
    first = next((i for i, m in enumerate(messages) if has_words(m.text)), None)
    if (first is None or len(messages[first].text.split()) >= TELLING_WORDS or begins_with_title(messages[first].text, title)
            or not has_words(title)):  # a title of no words ('🌊') was no request's
        return 0
    return next((i for i in range(first + 1, len(messages)) if begins_with_title(messages[i].text, title)), 0)


@dataclass
class Conversation:
    title: str
    messages: list[Message]
    source: Path  # the file it was read from
    participants: list[str] = field(default_factory=list)
    started: datetime | None = None
    ended: datetime | None = None
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    draft: bool = False
    # Every header key as written (Started, Tags, custom keys...), in file order.
    metadata: dict[str, str] = field(default_factory=dict)
    # Identifies the source content this conversation was read from (set by the readers);
    # a page built from it is current as long as this is unchanged.
    fingerprint: str = ""
    # Its most used words ("word count …", see profile.terms_of_text): what related conversations are found by.
    terms: str = ""
    # Assigned by the site once every conversation is known (collisions need them all).
    slug: str = ""
    # The title as read, when the archive shows another to tell this conversation from others of the
    # same title (archive.distinguish_titles): what is noted of the source stays as it was read.
    title_as_read: str = ""
    # What the slug is made from when the title is one the build made up (see identity.py): else the title.
    slug_base: str = ""
    # Set, with ``messages`` left empty, when a build keeps only the outline in memory
    # (large archives); the messages are read again from ``source`` when a page needs them.
    outline: Outline | None = None
    # What was made of the messages once (its insights, its profile): see made_once.
    _made: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def speakers(self) -> list[str]:
        """Participants first (title order), then anyone else who spoke, in order of appearance.

        Tool traffic and thinking are not speech: a speaker seen only there (a 'Tool') is not listed.
        """
        if self.outline is not None:
            return list(self.outline.speakers)
        seen = dict.fromkeys(self.participants)
        for message in self.messages:
            if message.kind == "message":
                seen.setdefault(message.speaker, None)
        return list(seen)

    @property
    def seated(self) -> list[str]:
        """The speakers as the archive knows them, one per seat: a model that talked with itself is
        there twice (its pairing is with itself)."""
        return [archive_speaker(name) for name in self.speakers]

    @property
    def archive_speakers(self) -> list[str]:
        """The speakers as the archive knows them, each once: whose pages list this conversation."""
        return list(dict.fromkeys(self.seated))

    @property
    def message_count(self) -> int:
        return self.outline.message_count if self.outline is not None else len(self.messages)

    @property
    def opening(self) -> tuple[str, ...]:
        """The first messages' texts (shortened), up to the first with a letter or digit in it, or
        up to the second when the title is all the first says (a session titled by its request):
        a card then shows the answer, not the title again. A session titled by a later request
        (its first was a 'hi') starts at that request."""
        if self.outline is not None:
            return self.outline.opening
        texts, worded = [], 0
        for message in self._from_title():
            texts.append(_opening_text(message.text))
            if has_words(message.text):
                worded += 1
                if worded == 2 or not says_only(message.text, self.read_title):
                    break
        return tuple(texts)

    def _from_title(self) -> Iterator[Message]:
        """The messages (tool traffic and seed prompts left out), from the one the title was taken
        from when a session is titled by a later request: what came before it said too little to
        name the session ('hi', then a greeting), and a card should not show it."""
        said = (message for message in self.messages if message.kind == "message")
        head = list(itertools.islice(said, _TITLE_REACH))
        return itertools.chain(head[_title_start(head, self.read_title):], said)

    @property
    def profile(self) -> "Profile | None":
        """What the archive-wide pictures need of it (see profile.py); made once, and not for a sketch
        (no outline, no messages yet: its messages are read when its page is made)."""
        if self.outline is not None:
            return self.outline.profile
        return self.made_once("profile", lambda: _profile_of(self))

    def made_once(self, name: str, make):
        """What ``make()`` gives, kept for the next call, when made from messages (a sketch has none yet)."""
        made = self._made.get(name)
        if made is None:
            made = make()
            if self.messages:
                self._made[name] = made
        return made

    @property
    def read_title(self) -> str:
        """The title as the source gave it (what the sources file notes, and slugs are made from)."""
        return self.title_as_read or self.title

    def show_title(self, title: str) -> None:
        """Show ``title`` (the archive's, to tell this conversation from others of its title), keeping
        the title as read."""
        read = self.read_title
        self.title, self.title_as_read = title, "" if title == read else read

    def moved(self, slug: str, terms: str, title: str | None = None) -> "Conversation":
        """This conversation under another slug (with its terms, and the title to show, if given),
        keeping what was made of its messages."""
        copy = replace(self, slug=slug, terms=terms)
        if title is not None:
            copy.show_title(title)
        copy._made.update(self._made)
        return copy

    def outlined(self) -> "Conversation":
        """This conversation without its messages, keeping what lists show."""
        outline = Outline(tuple(self.speakers), self.message_count, self.opening, self.profile)
        return replace(self, messages=[], outline=outline)


def _profile_of(conversation: Conversation):
    from generator.profile import profile_of  # profile.py is made of this model, so imported late
    return profile_of(conversation)
