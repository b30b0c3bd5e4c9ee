"""The archive: every conversation of a build, ordered, with slugs, tags and speakers.

Plain data, no I/O. Slugs need the whole collection (collisions), so they are
assigned here rather than by the readers.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import datetime, timezone
from pathlib import Path

from generator.diagnostics import warning
from generator.model import Conversation
from generator.urls import bounded, slugify


@dataclass
class Group:
    """Conversations sharing a tag or a speaker, newest first."""
    name: str
    slug: str
    conversations: list[Conversation] = field(default_factory=list)


def counted(groups: list[Group]) -> list[tuple[str, str, int]]:
    """Each group's name, slug and number of conversations: what a list of groups shows of them."""
    return [(group.name, group.slug, len(group.conversations)) for group in groups]


@dataclass
class Archive:
    """Every conversation of a build, newest first, and the groups the lists show.

    The groups are made when first asked for: a conversation's page needs only its place among
    the others, so pages can be made (and outlines completed, see site.py) before any list is.
    """
    conversations: list[Conversation]  # newest first

    def neighbours(self, index: int) -> tuple[Conversation | None, Conversation | None]:
        """(older, newer) than the conversation at ``index``."""
        older = self.conversations[index + 1] if index + 1 < len(self.conversations) else None
        newer = self.conversations[index - 1] if index > 0 else None
        return older, newer

    @cached_property
    def tags(self) -> list[Group]:  # by name
        return _group(self.conversations, lambda c: c.tags)

    @cached_property
    def speakers(self) -> list[Group]:
        """By name, as the archive knows them (both seats of a model that talked with itself in one)."""
        return _group(self.conversations, lambda c: c.archive_speakers)

    @cached_property
    def pairs(self) -> list[Group]:
        """By the unordered set of speakers ("A ↔ B" and "B ↔ A" together; "A ↔ A" for a model that
        talked with itself), by name."""
        return _group(self.conversations, lambda c: [pairing] if (pairing := pairing_of(c)) else [], pair_slug)

    @cached_property
    def months(self) -> list[Group]:
        """Dated conversations by month ("2025-10"), newest first."""
        return sorted(_group(self.conversations, lambda c: [f"{c.started:%Y-%m}"] if c.started else []),
                      key=lambda g: g.name, reverse=True)


def drop_duplicates(conversations: list[Conversation], content_root: Path) -> tuple[list[Conversation], list]:
    """The conversations with each one once, and a warning for each left out.

    The same conversation twice: two files with the same bytes, or two that give the same
    conversation id (an export and its import). The one whose file sorts first is kept.
    """
    kept: dict[str, Conversation] = {}
    problems = []
    for conversation in sorted(conversations, key=lambda c: (_relative(c.source, content_root), c.fingerprint)):
        identity = _identity(conversation.metadata)
        keys = [f"bytes:{conversation.fingerprint}"] + ([f"id:{identity}"] if identity else [])
        first = next((kept[key] for key in keys if key in kept), None)
        if first is None:
            for key in keys:
                kept[key] = conversation
            continue
        why = "the same bytes" if keys[0] in kept else f"conversation id {identity}"
        shown = f"{content_root.name}/{_relative(first.source, content_root)}"
        problems.append(warning(f"{content_root.name}/{_relative(conversation.source, content_root)}", 0,
                                f"the same conversation as {shown} ({why}); built once, from {shown}"))
    chosen = {id(c) for c in kept.values()}
    return [c for c in conversations if id(c) in chosen], problems


def _identity(metadata: dict[str, str]) -> str:
    """What names a conversation across files: an export's conversation id, or a session's id with its
    agent's (a Claude Code sub-agent's file carries its parent session's id, and is another conversation)."""
    if metadata.get("Conversation id"):
        return metadata["Conversation id"]
    return " agent ".join(part for part in (metadata.get("Session"), metadata.get("Agent")) if part)


def build_archive(conversations: list[Conversation], content_root: Path) -> Archive:
    assign_slugs(conversations, content_root)
    distinguish_titles(conversations)
    ordered = sorted(conversations, key=lambda c: c.slug)
    ordered.sort(key=_recency, reverse=True)
    return Archive(ordered)


PAIR_JOINER = " ↔ "
TITLE_JOINER = " · "  # between a title's parts, as identity.DEFAULT_TITLE joins them


# A pairing is who took part: two speakers, or a few (a run's seats and its agent). A group chat of
# dozens (Telegram's, Discord's) is no pairing anyone looks one up by, nor a name a page can carry.
PAIRING_MOST_SPEAKERS = 6


def pairing_of(conversation) -> str | None:
    """The name of the pairing the conversation is listed under, if any."""
    return pair_name(conversation.seated) if 2 <= len(conversation.speakers) <= PAIRING_MOST_SPEAKERS else None


def pair_name(speakers: list[str]) -> str:
    """The name of an unordered set of speakers: sorted, so both orders of a pair agree."""
    return _pair_name(tuple(speakers))


@lru_cache(maxsize=65536)
def _pair_name(speakers: tuple[str, ...]) -> str:
    return PAIR_JOINER.join(sorted(speakers, key=lambda name: (name.casefold(), name)))


def sort_time(when: datetime | None) -> datetime:
    """Comparable form of a possibly time-zone-aware datetime (aware ones in UTC)."""
    if when is None:
        return datetime.min
    if when.tzinfo is not None:
        return when.astimezone(timezone.utc).replace(tzinfo=None)
    return when


def _recency(conversation: Conversation) -> tuple[bool, datetime]:
    return conversation.started is not None, sort_time(conversation.started)


def assign_slugs(conversations: list[Conversation], content_root: Path) -> None:
    """``YYYY-MM-DD-title`` (or an explicit ``Slug:``); duplicates get -2, -3… by start time, then path."""
    by_base: dict[str, list[Conversation]] = defaultdict(list)
    for conversation in conversations:
        by_base[_base_slug(conversation)].append(conversation)
    taken = set(by_base)
    for base, group in sorted(by_base.items()):
        if len(group) > 1:
            group.sort(key=lambda c: (sort_time(c.started), _relative(c.source, content_root)))
        group[0].slug = base
        number = 2
        for conversation in group[1:]:
            while f"{base}-{number}" in taken:
                number += 1
            conversation.slug = f"{base}-{number}"
            taken.add(conversation.slug)


def distinguish_titles(conversations: list[Conversation]) -> None:
    """Conversations that share a title are told apart by when each started ('… · 2025-10-14 19:47'):
    a bot's exports all titled 'Conversation: Dotty & Not Taylor', an aider project's sessions that
    each began with the same request. Twins no start tells apart (none given, or the same minute) are
    told apart by their file's name, or its folder and name, where those differ ('user ↔ Jane ·
    llm.05a': a script's logs with no date in them). After the slugs, which a title's twin must not
    change; the title as read is kept beside (``title_as_read``), and shown where nothing tells it
    apart or there is no twin left."""
    by_title: dict[str, list[Conversation]] = defaultdict(list)
    for conversation in conversations:
        by_title[conversation.read_title].append(conversation)
    for title, group in by_title.items():
        whens = [_start_told(c.started) for c in group]
        apart = [when if len(group) > 1 and when and whens.count(when) == 1 and when not in title else ""
                 for when in whens]
        names = _file_names([c for c, when in zip(group, apart) if not when])
        for conversation, when in zip(group, apart):
            told = when or names.get(id(conversation), "")
            conversation.show_title(f"{title}{TITLE_JOINER}{told}" if told else title)


def _start_told(started: datetime | None) -> str:
    """A start as a title tells twins apart by it: to the minute, or the day alone where only the day is
    known (a naive midnight: a source that gave a date without a time)."""
    if started is None:
        return ""
    if started.tzinfo is None and started.time() == datetime.min.time():
        return f"{started:%Y-%m-%d}"
    return f"{started:%Y-%m-%d %H:%M}"


def _file_names(twins: list[Conversation]) -> dict[int, str]:
    """Each of ``twins`` (two or more) by its file's name, or by its folder and name, where those
    tell them all apart; nothing where neither does (the conversations of one export)."""
    if len(twins) < 2:
        return {}
    for name_of in (lambda c: c.source.stem, lambda c: f"{c.source.parent.name}/{c.source.stem}"):
        names = [name_of(c) for c in twins]
        if len(set(names)) == len(names):
            return {id(c): name for c, name in zip(twins, names)}
    return {}


def _base_slug(conversation: Conversation) -> str:
    explicit = conversation.metadata.get("Slug", "").strip()
    if explicit:
        return slugify(explicit)
    if conversation.slug_base:
        return conversation.slug_base
    # '-' is never a slug: the title has no letters
    title_slug = slugify(conversation.read_title, fallback="-")
    if title_slug == "-":
        title_slug = slugify(conversation.source.stem)
    return f"{conversation.started:%Y-%m-%d}-{title_slug}" if conversation.started is not None else title_slug


def _relative(path: Path, root: Path) -> str:
    # As path.relative_to(root).as_posix(), for paths of files under the root, in a tenth of the time
    # (asked for each conversation, twice, in every build).
    text, prefix = str(path), str(root)
    if not prefix.endswith(os.sep):
        prefix += os.sep
    if text.startswith(prefix):
        return text[len(prefix):].replace(os.sep, "/")
    return path.as_posix()


def pair_slug(name: str) -> str:
    return bounded("--".join(slugify(speaker) for speaker in name.split(PAIR_JOINER)))


def _group(conversations: list[Conversation], names, slug_of=slugify) -> list[Group]:
    groups: dict[str, Group] = {}
    slugs: dict[str, str] = {}  # the same few names come up thousands of times
    for conversation in conversations:
        for name in names(conversation):
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = slug_of(name)
            group = groups.get(slug)
            if group is None:
                group = groups[slug] = Group(name, slug)
            if not group.conversations or group.conversations[-1] is not conversation:
                group.conversations.append(conversation)
    return sorted(groups.values(), key=lambda g: (g.name.casefold(), g.slug))
