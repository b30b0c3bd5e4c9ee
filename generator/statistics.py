"""Figures across the archive, made from the conversations' profiles (profile.py): pairs, speakers,
endings and the words each speaker uses more than the archive does.

Plain data, no I/O and no markup: pages.py turns these into page contexts, render/charts.py into
pictures. Everything is ordered explicitly, so the same archive gives the same figures.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from generator.insights import ENDING_CHOICES
from generator.model import Conversation, archive_speaker

DISTINCTIVE_WORDS = 12  # shown per speaker
DISTINCTIVE_MIN_COUNT = 3  # a word said fewer times than this tells nothing
PRIOR_WEIGHT = 500.0  # how many words the archive's usage counts for, in the prior (see distinctive_words)


@dataclass
class PairFigures:
    """The conversations of one pairing (two speakers, or more: everyone who took part)."""
    speakers: tuple[str, ...]
    conversations: int = 0
    messages: int = 0
    loop_share: float = 0.0  # the mean of the conversations'
    tail_share: float = 0.0

    @property
    def first(self) -> str:
        return self.speakers[0]

    @property
    def second(self) -> str:
        return self.speakers[1]

    @property
    def mean_messages(self) -> float:
        return self.messages / self.conversations if self.conversations else 0.0


@dataclass
class SpeakerFigures:
    name: str
    conversations: int = 0
    messages: int = 0
    words: int = 0
    partners: Counter = field(default_factory=Counter)  # who they talked with: conversations
    endings: Counter = field(default_factory=Counter)  # how their conversations ended: kind -> conversations
    ended_by: int = 0  # conversations this speaker ended (an [END] or ^C of theirs)

    @property
    def words_per_message(self) -> float:
        return self.words / self.messages if self.messages else 0.0

    def record(self) -> list:
        """As a build keeps it for the next (JSON; see SpeakerTotals)."""
        return [self.name, self.conversations, self.messages, self.words, dict(self.partners), dict(self.endings),
                self.ended_by]

    @classmethod
    def from_record(cls, data: list) -> "SpeakerFigures":
        name, conversations, messages, words, partners, endings, ended_by = data
        return cls(name, conversations, messages, words, Counter(partners), Counter(endings), ended_by)

    def plus(self, other: "SpeakerFigures", sign: int = 1) -> "SpeakerFigures":
        """These figures with ``other``'s added (``sign`` -1: taken away)."""
        return SpeakerFigures(self.name, self.conversations + sign * other.conversations,
                              self.messages + sign * other.messages, self.words + sign * other.words,
                              _plus(self.partners, other.partners, sign), _plus(self.endings, other.endings, sign),
                              self.ended_by + sign * other.ended_by)


@dataclass
class SpeakerTotals:
    """What the speakers' pages show of the whole archive: each speaker's figures and most used words,
    and the pairings that have pages (a speaker's partners link to them).

    All counts, so an edit's change is exact to add: a build that changed one conversation's words
    (and nothing a list shows) makes these from the last build's and the edit (:meth:`edited`), not
    from every conversation of the archive."""
    figures: dict[str, SpeakerFigures]
    words: dict[str, Counter]
    pairs: frozenset[str]  # the pairings' slugs

    @classmethod
    def of(cls, conversations: list[Conversation], pairs) -> "SpeakerTotals":
        return cls(speaker_figures(conversations), word_counts(conversations), frozenset(pairs))

    def edited(self, before: list[Conversation], after: list[Conversation]) -> "SpeakerTotals":
        """The totals with the conversations ``before`` replaced by ``after``."""
        figures, words = dict(self.figures), dict(self.words)
        for sign, conversations in ((-1, before), (1, after)):
            for name, found in speaker_figures(conversations).items():
                figures[name] = (figures.get(name) or SpeakerFigures(name)).plus(found, sign)
            for name, counts in word_counts(conversations).items():
                words[name] = _plus(words.get(name, Counter()), counts, sign)
        figures = {name: found for name, found in figures.items() if found.conversations}
        return SpeakerTotals(figures, {name: counts for name, counts in words.items() if counts}, self.pairs)

    def archive_words(self) -> Counter:
        summed = Counter()
        for counts in self.words.values():
            summed.update(counts)
        return summed

    def record(self) -> dict:
        return {"figures": [found.record() for found in self.figures.values()],
                "words": {name: " ".join(f"{word} {count}" for word, count in counts.items())
                          for name, counts in self.words.items()},
                "pairs": sorted(self.pairs)}

    @classmethod
    def from_record(cls, data: dict) -> "SpeakerTotals":
        figures = [SpeakerFigures.from_record(found) for found in data["figures"]]
        words = {}
        for name, text in data["words"].items():
            parts = text.split()
            words[name] = Counter(dict(zip(parts[::2], map(int, parts[1::2]))))
        return cls({found.name: found for found in figures}, words, frozenset(data["pairs"]))


def _plus(counts: Counter, other: Counter, sign: int) -> Counter:
    """``counts`` with ``other``'s added or taken away, without the words (or names) left at none."""
    summed = Counter(counts)
    for key, count in other.items():
        summed[key] += sign * count
        if not summed[key]:
            del summed[key]
    return summed


def pair_figures(speakers: list[str], conversations: list[Conversation]) -> PairFigures:
    """The figures of one pairing (Archive.pairs: ``speakers`` in order, the conversations they had)."""
    figures = PairFigures(tuple(speakers))
    profiles = [c.profile for c in conversations if c.profile is not None]
    figures.conversations = len(conversations)
    figures.messages = sum(c.message_count for c in conversations)
    if profiles:
        figures.loop_share = sum(p.loop_share for p in profiles) / len(profiles)
        figures.tail_share = sum(p.tail_share for p in profiles) / len(profiles)
    return figures


def speaker_figures(conversations: list[Conversation]) -> dict[str, SpeakerFigures]:
    """By speaker name: what they said, with whom, and how it ended."""
    speakers: dict[str, SpeakerFigures] = {}
    for conversation in conversations:
        profile = conversation.profile
        if profile is None:
            continue
        said: dict[str, tuple[int, int]] = {}  # both seats of a model that talked with itself count as one
        for seat, messages, words in profile.speakers:
            name = archive_speaker(seat)
            before = said.get(name, (0, 0))
            said[name] = (before[0] + messages, before[1] + words)
        seated, ending = conversation.seated, profile.ending
        ender = archive_speaker(profile.ending_speaker) if ending in ("end-marker", "interrupted") else None
        for name in dict.fromkeys(seated):
            figures = speakers.get(name) or speakers.setdefault(name, SpeakerFigures(name))
            figures.conversations += 1
            messages, words = said.get(name, (0, 0))
            figures.messages += messages
            figures.words += words
            partners = figures.partners
            for other in dict.fromkeys(seated):
                if other != name or seated.count(name) > 1:  # one who talked with itself is its own partner
                    partners[other] += 1
            figures.endings[ending] += 1
            if name == ender:
                figures.ended_by += 1
    return speakers


def ending_counts(conversations: list[Conversation]) -> list[tuple[str, str, int]]:
    """(kind, label, conversations) for each kind of ending, in ENDING_CHOICES' order."""
    counts = Counter(c.profile.ending for c in conversations if c.profile is not None)
    return [(kind, label, counts[kind]) for kind, label in ENDING_CHOICES]


def word_counts(conversations: list[Conversation]) -> dict[str, Counter]:
    """Each speaker's most used words (as the profiles keep them), summed over the archive."""
    said: dict[str, list[str]] = {}
    for conversation in conversations:
        if conversation.profile is not None:
            for name, text in conversation.profile.words:
                said.setdefault(archive_speaker(name), []).append(text)
    # Summed from one long "word count …" text per speaker: a loop over a list, not a dictionary and
    # an update for each of the archive's conversations (twice as fast, and an edit builds this all again).
    counts: dict[str, Counter] = {}
    for name, texts in said.items():
        parts = " ".join(texts).split()
        summed: dict[str, int] = {}
        get = summed.get
        for word, count in zip(parts[::2], map(int, parts[1::2])):
            summed[word] = get(word, 0) + count
        counts[name] = Counter(summed)
    return counts


def distinctive_words(speaker: Counter, archive: Counter, limit: int = DISTINCTIVE_WORDS) -> list[tuple[str, float]]:
    """The words a speaker uses much more than the rest of the archive: weighted log-odds with an
    informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin' Words", 2008), as z-scores.

    The prior is the whole archive's usage, so a word everyone says is not distinctive however often
    a speaker says it, and a rare word said twice is not either. Only the words the profiles keep
    (each speaker's most used ones per conversation) are counted: a cheap estimate, the same each build.
    """
    total_archive = sum(archive.values())
    total_speaker = sum(speaker.values())
    rest_total = total_archive - total_speaker
    if not total_speaker or rest_total <= 0:
        return []
    scores = []
    for word, said in speaker.items():
        if said < DISTINCTIVE_MIN_COUNT:
            continue
        prior = PRIOR_WEIGHT * archive[word] / total_archive
        rest = archive[word] - said
        mine = math.log((said + prior) / (total_speaker + PRIOR_WEIGHT - said - prior))
        theirs = math.log((rest + prior) / (rest_total + PRIOR_WEIGHT - rest - prior))
        z = (mine - theirs) / math.sqrt(1 / (said + prior) + 1 / (rest + prior))
        if z > 1.96:  # more than chance would give, at the usual 95%
            scores.append((word, round(z, 2)))
    scores.sort(key=lambda item: (-item[1], item[0]))
    return scores[:limit]
