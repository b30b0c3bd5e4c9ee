"""A conversation's profile: what the archive-wide pictures need of it, small enough to keep.

A large build holds outlines, not messages (see library.py), and remembers them between builds. The
pages across the archive (a card's small shape and ending, the pair matrix, a speaker's statistics,
related conversations) need a little more of each conversation than the outline's speakers and
opening: its ending, how much of it is loop or tail, who said how many words, the words each speaker
used most, and a coarse shape. That is the profile, made from the messages with the insights
(insights.py) when the outline is made, and written down with it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from generator.insights import Insights, insights, plain_words

CARD_BARS = 40  # a card's shape has at most this many bars (messages are grouped beyond that)
TOP_WORDS = 16  # words kept per speaker (by count): what the archive's word statistics are made from
TERMS = 24  # a conversation's most telling words, kept for related conversations (see terms_of_text)
TERMS_SAMPLE_CHARS = 8_000  # counted from the start of the text: related conversations are sampled
_HEIGHTS = 9  # a bar's height is one of 1..9
# Every card draws its bars on this one scale: messages of this many characters (or more) make a
# full bar. A list's cards are small multiples, so they share a scale (a terse conversation looks
# terse beside a long-winded one), and an edit to one message moves its own bar, not every bar of
# its card: the lists it is on stay as they were. Real AI-to-AI logs' messages have a median near
# 1,000 characters and a 90th percentile near 2,300 (UniversalBackrooms).
FULL_BAR_CHARACTERS = 2_500
_SPEAKER_MARKS = "0123456789abcdefghijklmnopqrstuvwxyz"

# Words too common to tell anyone apart (English: most archives are; others simply keep theirs),
# written as plain_words makes them ("it's" is counted as "its").
STOPWORDS = frozenset(plain_words("""
about above after again against all also and any are aren't as at be because been before being below don't
between both but by can cannot could did does doing don down during each even ever every few for from
further get got had has have having her here hers herself him himself his how i'm into its itself just
let like may more most much must myself nor not now off once one only other ought our ours ourselves out
over own same she should some such than that the their theirs them themselves then there these they
this those through too under until upon very was were what when where which while who whom why will
with within without would yet you your yours yourself yourselves well still something thing things
way ways really quite rather perhaps maybe yes okay it's that's there's what's let's you're we're
they're i've we've you've isn't doesn't didn't can't won't wouldn't shouldn't couldn't
"""))


@dataclass(frozen=True)
class Profile:
    ending: str  # the ending's kind (insights.ENDING_CHOICES)
    ending_label: str
    ending_speaker: str  # who ended it, where one did
    loop_share: float  # of the messages, 0..1
    tail_share: float
    speakers: tuple[tuple[str, int, int], ...]  # (name, messages, words), in order of appearance
    # One bar per message, or per group of messages past CARD_BARS: three characters each, the
    # speaker (a digit or letter: its position in ``speakers``), the height (1-9, on the scale all
    # cards share: see FULL_BAR_CHARACTERS), and 'l' where the bar is mostly loop, 't' mostly
    # closing tail, '.' otherwise.
    bars: str
    # Per speaker, their most used words as one string, "word count word count …" (one object, not
    # dozens: an archive of 50,000 conversations holds every profile in memory); statistics.word_counts
    # sums them.
    words: tuple[tuple[str, str], ...]

    @property
    def words_total(self) -> int:
        return sum(words for _, _, words in self.speakers)

    def card_view(self) -> tuple:
        """What a card shows of it (its key): the bars, the ending, and shares in whole percents; an
        edit that changes only the word counts changes the speakers' figures, not the cards."""
        total = self.words_total or 1
        return (self.bars, self.ending, self.ending_label, round(100 * self.loop_share),
                tuple((name, round(100 * words / total)) for name, _, words in self.speakers))

    def record(self) -> list:
        """As the sources file keeps it (JSON)."""
        return [self.ending, self.ending_label, self.ending_speaker, self.loop_share, self.tail_share,
                [list(s) for s in self.speakers], self.bars, [list(pair) for pair in self.words]]

    @classmethod
    def from_record(cls, data: list) -> "Profile":
        """From what :meth:`record` gave, as this code wrote it (the sources file checks each line whole)."""
        ending, label, speaker, loop_share, tail_share, speakers, bars, words = data
        return cls(ending, label, speaker, loop_share, tail_share, tuple(map(tuple, speakers)), bars,
                   tuple(map(tuple, words)))


def profile_of(conversation) -> Profile:
    said: dict[str, Counter] = {}
    found = insights(conversation.messages, conversation.metadata, said)
    conversation.made_once("insights", lambda: found)  # its page shows the same
    speakers = _card_speakers(found, conversation.messages)
    return Profile(
        ending=found.ending.kind,
        ending_label=found.ending.label,
        ending_speaker=found.ending.speaker,
        loop_share=round(found.loop_share, 4),
        tail_share=round(found.tail_share, 4),
        speakers=speakers,
        bars=card_bars(found, [name for name, _, _ in speakers]),
        words=tuple((name, " ".join(f"{word} {count}" for word, count in top_words(counts)))
                    for name, counts in ((name, telling(counts)) for name, counts in said.items())),
    )


def _card_speakers(found: Insights, messages) -> tuple[tuple[str, int, int], ...]:
    """(name, messages, words) of each speaker, then of each voice that only shows tool output or
    notes ('Tool', aider): it has bars on the card, but no share of the words."""
    speakers = [(s.name, s.messages, s.words) for s in found.shares]
    sharing = {s.name for s in found.shares}
    others = Counter(message.speaker for message in messages if message.speaker not in sharing)
    return tuple(speakers + [(name, count, 0) for name, count in others.items()])


def card_bars(found: Insights, names: list[str]) -> str:
    """The shape at a card's size (see Profile.bars); ``names``: the profile's speakers, in order."""
    count = found.count
    if not count:
        return ""
    order = {name: position for position, name in enumerate(names)}
    in_loop = set()
    for loop in found.loops:
        in_loop.update(range(loop.first, loop.last + 1))
    groups = [(count * n // CARD_BARS, count * (n + 1) // CARD_BARS) for n in range(CARD_BARS)] \
        if count > CARD_BARS else [(n, n + 1) for n in range(count)]
    groups = [(start, end) for start, end in groups if end > start]
    roots = [math.sqrt(length) for length in found.lengths]
    sizes = [sum(roots[start:end]) / (end - start) for start, end in groups]
    full = math.sqrt(FULL_BAR_CHARACTERS)  # heights grow with the square root of the length
    lengths, tail = found.lengths, found.tail - 1 if found.tail else count  # tail: its first index, 0-based
    bars = []
    for (start, end), size in zip(groups, sizes):
        longest = max(range(start, end), key=lambda i: (lengths[i], -i))
        position = order.get(found.speakers_in_order[longest], len(_SPEAKER_MARKS) - 1)
        in_tail = end - max(start, min(end, tail))
        looped = sum(1 for i in range(start + 1, end + 1) if i in in_loop) if in_loop else 0
        mark = "t" if 2 * in_tail > end - start else "l" if 2 * looped > end - start else "."
        bars.append(_SPEAKER_MARKS[min(position, len(_SPEAKER_MARKS) - 1)]
                    + str(min(_HEIGHTS, max(1, math.ceil(_HEIGHTS * size / full)))) + mark)
    return "".join(bars)


_HEADING_LINES = re.compile(r"(?m)^#{1,6} .*$")  # a native transcript's '### speaker' lines and the title


def terms_of_text(text: str) -> str:
    """A conversation's most used words ("word count word count …"), from the first TERMS_SAMPLE_CHARS
    of its text without heading lines: what related conversations are found by.

    Made from the transcript's text as decoded, before any redaction, so that reading a native
    transcript to its header (a sketch) gives the same terms as reading it whole; they are only
    compared, never shown."""
    sample = _HEADING_LINES.sub(" ", text[:TERMS_SAMPLE_CHARS])
    return " ".join(f"{word} {count}" for word, count in top_words(word_counts(sample), TERMS))


def terms_of_messages(messages) -> str:
    """The terms of a conversation read from an export (many in one file): from its speech."""
    return terms_of_text("\n".join(m.text for m in messages if m.kind == "message"))


def parse_counts(text: str) -> dict[str, int]:
    """{word: count} from "word count word count …"."""
    parts = text.split()
    return dict(zip(parts[::2], map(int, parts[1::2])))


def word_counts(text: str) -> Counter:
    """How often the text says each word that says something (see telling)."""
    return telling(Counter(plain_words(text)))


def telling(counts: Counter) -> Counter:
    """The words that say something: letters only, three or more, not STOPWORDS. Counted first,
    filtered after: far fewer words to look at."""
    return Counter({word: count for word, count in counts.items()
                    if len(word) > 2 and word.isalpha() and word not in STOPWORDS})


def top_words(counts: Counter, limit: int = TOP_WORDS) -> tuple[tuple[str, int], ...]:
    """The most used words, ties by first use (a Counter keeps that order: the same text, the same words)."""
    return tuple(counts.most_common(limit))


