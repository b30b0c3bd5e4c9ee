"""What a conversation's messages show at a glance: where it repeats itself, how it ended, who spoke how much.

People who keep AI-to-AI archives ask where two models fall into a loop, how a conversation ends
(an ``[END]``, a ``^C``, a goodbye spiral, an error) and which model dominates. All of it is computed
here from the messages alone, in one pass each, so it is deterministic and costs little: the pages
show it (a shape, a badge, "repeats #N" marks) and ``conversation.json`` carries the numbers.

A message *repeats* an earlier one when their text is the same once case, punctuation and spacing are
set aside, and it has words enough to mean something (a short "Yes." said twice is no loop). Repeats
of consecutive earlier messages in the same order form a *loop*: a block of the conversation said
again. The *tail* is the run of closing messages at the end: ``[END]``, ``^C``, goodbyes, empty turns.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass, field

from generator.model import Message

# A repeat needs this much text (after normalising) and this many words: "Yes." or "[END]" is not a loop.
REPEAT_MIN_CHARS = 24
REPEAT_MIN_WORDS = 4
LOOP_MIN_MESSAGES = 2  # a loop is at least this many consecutive repeats, in their first order
SPEAKER_SAMPLE_WORDS = 500  # counted per speaker and conversation, for the archive's word statistics

# Punctuation becomes space: ASCII through a bytes table (str.translate with a dict is many times
# slower), the few others one by one, and only in text that has any non-ASCII character.
# An apostrophe joins ("don't" is one word, "dont"); other punctuation parts words.
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode("ascii"), b" " * len(string.punctuation))
_OTHER_PUNCTUATION = "—–…“”‘«»·•¡¿"
_END_MARK = re.compile(r"\[?\s*(?:END|EOF|END OF (?:CONVERSATION|TRANSCRIPT|SIMULATION))\s*\]?|(?:\^C\s*)+|<\|?end[^>]{0,20}>",
                       re.I)
_GOODBYE = re.compile(r"\b(?:good\s*bye|farewell|bye|until we meet|see you|signing off|goodnight|good night|"
                      r"end(?:ing)? (?:of )?(?:transmission|session|simulation))\b", re.I)
_ERROR = re.compile(r"\b(?:error|exception|traceback|rate limit|overloaded|timed out|api error)\b", re.I)
_ROUNDS = re.compile(r"(\d+)/(\d+)")
_NOTED_BY = re.compile(r"(.+?) has ended the conversation")  # who the runner says ended it
# A runner's status for the run as a whole (a debate runner's "completed", "max_turns_reached"), in
# the words runners use, each with the ending it stands for; a status not here says nothing of one.
_STATUS_ENDINGS = (
    (re.compile(r"(?:max|turn|round)s?[ _-]?(?:turns?|rounds?|limit)(?:[ _-]?(?:reached|hit|exceeded))?"),
     "turn-limit", "turn limit reached"),
    (re.compile(r"time[ _-]?out|timed[ _-]?out|time[ _-]?limit(?:[ _-]?reached)?"), "turn-limit", "time limit reached"),
    (re.compile(r"completed?|finished|done|succe(?:ss|ssful|eded)"), "completed", "completed"),
    (re.compile(r"error|errored|failed|failure|crashed"), "error", "ended in an error"),
    (re.compile(r"interrupted|cancell?ed|aborted|stopped|killed"), "interrupted", "interrupted"),
    (re.compile(r"incomplete|partial|unfinished"), "open", "incomplete"),
)
_CLOSING_MAX_CHARS = 240  # a goodbye is short; a long message that says "farewell" is still talk


@dataclass(frozen=True)
class Loop:
    first: int  # message index where the repeated block starts
    last: int  # and ends
    source: int  # index of the first message of the block it repeats

    @property
    def length(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class SpeakerShare:
    name: str
    messages: int
    words: int
    share: float  # of all words, 0..1


# Each kind of ending, as a search filter offers it.
ENDING_CHOICES = (("end-marker", "[END]"), ("interrupted", "interrupted (^C)"), ("goodbyes", "goodbyes"),
                  ("turn-limit", "turn limit"), ("completed", "completed"), ("error", "an error"),
                  ("open", "still going"))


@dataclass(frozen=True)
class Ending:
    kind: str  # "end-marker", "interrupted", "goodbyes", "turn-limit", "completed", "error", "open"
    label: str  # as a badge says it
    speaker: str = ""  # who ended it, where one did
    at: int = 0  # the message index it happened at (0: none)


@dataclass(frozen=True)
class Insights:
    lengths: tuple[int, ...]  # characters per message, in order
    speakers_in_order: tuple[str, ...]  # the speaker of each message
    repeats: dict[int, int] = field(default_factory=dict)  # message index -> index of the message it repeats
    loops: tuple[Loop, ...] = ()
    tail: int = 0  # index of the first message of the closing tail (0: no tail)
    ending: Ending = Ending("open", "still going")
    shares: tuple[SpeakerShare, ...] = ()
    first_end: int = 0  # the first [END] / ^C, wherever it is

    @property
    def count(self) -> int:
        return len(self.lengths)

    @property
    def loop_share(self) -> float:
        return sum(loop.length for loop in self.loops) / self.count if self.count else 0.0

    @property
    def tail_share(self) -> float:
        return (self.count - self.tail + 1) / self.count if self.tail and self.count else 0.0

    @property
    def first_repeat(self) -> int:
        return min(self.repeats, default=0)

    def numbers(self) -> dict:
        """The figures, as conversation.json carries them."""
        return {
            "messages": self.count,
            "speakers": [{"name": s.name, "messages": s.messages, "words": s.words, "share": round(s.share, 4)}
                         for s in self.shares],
            "ending": {"kind": self.ending.kind, "speaker": self.ending.speaker, "message": self.ending.at},
            "first_repeat": self.first_repeat,
            "first_end": self.first_end,
            "repeats": len(self.repeats),
            "loops": [{"first": loop.first, "last": loop.last, "repeats_from": loop.source} for loop in self.loops],
            "loop_share": round(self.loop_share, 4),
            "tail_share": round(self.tail_share, 4),
        }


def insights_of(conversation) -> Insights:
    """A conversation's insights, made once: its page, its profile and conversation.json show them."""
    return conversation.made_once("insights", lambda: insights(conversation.messages, conversation.metadata))


def insights(messages: list[Message], metadata: dict[str, str] | None = None,
             words_by_speaker: dict[str, Counter] | None = None) -> Insights:
    """``metadata``: the conversation's header, for what a runner noted about the ending
    (``Ending``: "X has ended the conversation with ^C^C.", ``Rounds``: "30/30"). ``words_by_speaker``,
    when given, is filled with how often each speaker said each word (speech only, their first
    SPEAKER_SAMPLE_WORDS words: a sample, as counting every word took longer than the rest of the pass)."""
    said = [text.split() for text in plain_texts(messages)]
    if words_by_speaker is not None:
        counted: dict[str, int] = {}
        for message, words in zip(messages, said):
            if message.kind == "message" and counted.get(message.speaker, 0) < SPEAKER_SAMPLE_WORDS:
                counted[message.speaker] = counted.get(message.speaker, 0) + len(words)
                words_by_speaker.setdefault(message.speaker, Counter()).update(words)
    repeats = find_repeats(messages, said)
    tail = closing_tail(messages)
    return Insights(
        lengths=tuple(len(m.text) for m in messages),
        speakers_in_order=tuple(m.speaker for m in messages),
        repeats=repeats,
        loops=find_loops(repeats),
        tail=tail,
        ending=classify_ending(messages, tail, metadata or {}),
        shares=speaker_shares(messages, said),
        first_end=next((m.index for m in messages if is_end_mark(m.text)), 0),
    )


def plain_words(text: str) -> list[str]:
    """The text's words in lower case, punctuation set aside."""
    return plain_text(text).split()


def plain_text(text: str) -> str:
    """The text in lower case with punctuation as spaces (a regular expression, or str.translate with
    a table, took most of the time of the whole pass: see _ASCII_PUNCTUATION)."""
    text = text.lower()
    if not text.isascii():
        for char in _OTHER_PUNCTUATION:
            if char in text:
                text = text.replace(char, " ")
        text = text.replace("’", "")
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_PUNCTUATION, b"'").decode("utf-8", "surrogatepass")


def plain_texts(messages: list[Message]) -> list[str]:
    """Each message's plain_text, made at once ('\x00' is no punctuation, so it still parts them): one
    long text costs far less than many short ones."""
    plain = plain_text("\x00".join(m.text for m in messages)).split("\x00")
    if len(plain) != len(messages):  # a message holds a NUL of its own
        plain = [plain_text(m.text) for m in messages]
    return plain


def find_repeats(messages: list[Message], said: list[list[str]] | None = None) -> dict[int, int]:
    """Each message that says again what an earlier one said -> the first message that said it.
    ``said``: each message's plain words, if known."""
    if said is None:
        said = [text.split() for text in plain_texts(messages)]
    first: dict[str, int] = {}
    repeats = {}
    for message, words in zip(messages, said):
        if len(message.text) < REPEAT_MIN_CHARS or len(words) < REPEAT_MIN_WORDS:
            continue
        key = " ".join(words)
        if len(key) < REPEAT_MIN_CHARS:
            continue
        if key in first:
            repeats[message.index] = first[key]
        else:
            first[key] = message.index
    return repeats


def find_loops(repeats: dict[int, int]) -> tuple[Loop, ...]:
    """Runs of consecutive repeats whose originals are consecutive too, in the same order."""
    loops = []
    run: list[int] = []
    for index in sorted(repeats):
        if run and index == run[-1] + 1 and repeats[index] == repeats[run[-1]] + 1:
            run.append(index)
            continue
        if len(run) >= LOOP_MIN_MESSAGES:
            loops.append(Loop(run[0], run[-1], repeats[run[0]]))
        run = [index]
    if len(run) >= LOOP_MIN_MESSAGES:
        loops.append(Loop(run[0], run[-1], repeats[run[0]]))
    return tuple(loops)


def is_end_mark(text: str) -> bool:
    return _END_MARK.fullmatch(text.strip()) is not None


def is_closing(text: str) -> bool:
    stripped = text.strip()
    return not stripped or is_end_mark(stripped) or (len(stripped) <= _CLOSING_MAX_CHARS and
                                                     _GOODBYE.search(stripped) is not None)


def closing_tail(messages: list[Message]) -> int:
    """The index of the first message of the closing run at the end (0 when the last is no closing)."""
    start = 0
    for message in reversed(messages):
        if not is_closing(message.text):
            break
        start = message.index
    return start


def classify_ending(messages: list[Message], tail: int, metadata: dict[str, str]) -> Ending:
    if not messages:
        return Ending("open", "empty")
    closing = [m for m in messages if tail and m.index >= tail]
    for message in closing:
        text = message.text.strip()
        if text.startswith("^C"):
            return Ending("interrupted", f"^C by {message.speaker}", message.speaker, message.index)
        if is_end_mark(text):
            return Ending("end-marker", f"[END] by {message.speaker}", message.speaker, message.index)
    noted = metadata.get("Ending", "")
    if noted:  # the runner's own line: "Kimi K2 has ended the conversation with ^C^C."
        kind = "interrupted" if "^C" in noted else "end-marker"
        named = _NOTED_BY.match(noted)
        speaker = named.group(1) if named and any(m.speaker == named.group(1) for m in messages) \
            else messages[-1].speaker
        return Ending(kind, noted.rstrip("."), speaker, messages[-1].index)
    status = _status_ending(metadata.get("Status", ""))
    if status is not None:
        return status
    if closing and len({m.speaker for m in closing if m.text.strip()}) >= 2:
        return Ending("goodbyes", "mutual goodbyes", at=closing[0].index)
    limit = _ROUNDS.fullmatch(metadata.get("Rounds", ""))
    if limit and limit.group(1) == limit.group(2):
        return Ending("turn-limit", f"turn limit reached ({limit.group(2)} rounds)")
    last = messages[-1]
    if len(last.text) <= _CLOSING_MAX_CHARS and _ERROR.search(last.text):
        return Ending("error", "ended in an error", last.speaker, last.index)
    if closing:
        return Ending("goodbyes", f"goodbye from {closing[0].speaker}", closing[0].speaker, closing[0].index)
    return Ending("open", "still going")


def _status_ending(status: str) -> Ending | None:
    """The ending a runner's status for the run stands for, if it is one of theirs."""
    status = status.strip().lower()
    for pattern, kind, label in _STATUS_ENDINGS:
        if pattern.fullmatch(status):
            return Ending(kind, label)
    return None


def speaker_shares(messages: list[Message], said: list[list[str]] | None = None) -> tuple[SpeakerShare, ...]:
    """Messages and words (plain words: punctuation set aside) of each speaker; ``said`` as for find_repeats.

    A speaker is one who says something (a message that is speech): a 'Tool' or aider's own notes
    are not, so a session's tool output is nobody's share ('Tool wrote 45% of the words' was)."""
    if said is None:
        said = [text.split() for text in plain_texts(messages)]
    speaking = {message.speaker for message in messages if message.kind == "message"}
    counts: dict[str, list[int]] = {}
    for message, words in zip(messages, said):
        if message.speaker not in speaking:
            continue
        entry = counts.setdefault(message.speaker, [0, 0])
        entry[0] += 1
        entry[1] += len(words)
    total = sum(words for _, words in counts.values()) or 1
    return tuple(SpeakerShare(name, n, words, words / total) for name, (n, words) in counts.items())
