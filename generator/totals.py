"""The speakers' totals a build keeps for the next, so that an edit need not add up the archive again.

An edit that changes how many words a conversation's speakers said, and nothing a row of a list shows
(a line added to a message, say), changes only the speakers' pages (their figures and distinctive
words) and, where it changes the card's small shape or the speakers' shares of the words, the page of
the index that shows that card. Adding the figures up again means restoring every conversation's
record, most of what such an edit's build would cost. So each build keeps, in
``.antiphon-speakers.json``, the speakers' totals (statistics.SpeakerTotals), the speakers' list
(name, slug, conversations), which conversations each speaker's first page lists, and which each page
of the index lists, with the description and filter the archive gave the index; a new process that
finds only such edits adds their change to the totals and makes again only the pages whose figures
or cards changed (rebuild.edits_in_place). The file names the build it was kept for, and a checksum
of the rest: one kept for another build (a build that failed, or was killed before it committed), or
cut short, or edited by hand, is not used. A builder that holds the archive (the preview server's) holds
the same in memory, and adds each such edit to them (rebuild.held_archive).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

from generator.output import digest
from generator.statistics import SpeakerTotals

TOTALS_STATE = ".antiphon-speakers.json"


Place = tuple[str, int]  # where a conversation was read: its source's relative path, its position among those read


class KeptIndex(NamedTuple):
    pages: list[list[Place]]  # the conversations each page of the index lists, in order
    description: str  # what the archive gave the index (Views.index_description, index_filter)
    endings: list[dict]


@dataclass
class KeptSpeakers:
    inputs: str  # the build they were kept for (its inputs digest)
    totals: SpeakerTotals
    groups: list[tuple[str, str, int]]  # each speaker's name, slug and number of conversations, in list order
    # By speaker name: the conversations their first page lists, as (source's relative path, position among
    # the conversations read from it).
    first_pages: dict[str, list[Place]]
    index: KeptIndex

    def text(self) -> str:
        """The inputs, a checksum of the rest, and the rest (JSON), a line each."""
        kept = json.dumps({"totals": self.totals.record(), "groups": self.groups, "first_pages": self.first_pages,
                           "index": self.index._asdict()}, ensure_ascii=False, separators=(",", ":"))
        return f"{self.inputs}\n{digest(kept)}\n{kept}"

    @classmethod
    def parse(cls, text: str, inputs: str) -> "KeptSpeakers | None":
        """The kept totals, if they were kept for the build of ``inputs`` and are as this code wrote them
        (their checksum holds: a file cut short or edited by hand is not trusted); else None."""
        kept_for, checksum, kept = (text.split("\n", 2) + ["", ""])[:3]
        if not inputs or kept_for != inputs or checksum != digest(kept):
            return None
        try:
            data = json.loads(kept)
            return cls(inputs, SpeakerTotals.from_record(data["totals"]),
                       [(name, slug, count) for name, slug, count in data["groups"]],
                       {name: _places(listed) for name, listed in data["first_pages"].items()},
                       _index(data["index"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def _places(listed: list) -> list[Place]:
    return [(relative, position) for relative, position in listed]


def _index(data: dict) -> KeptIndex:
    description, endings = data["description"], data["endings"]
    if not isinstance(description, str) or not all(isinstance(choice, dict) for choice in endings):
        raise TypeError("not an index as kept")
    return KeptIndex([_places(page) for page in data["pages"]], description, endings)


def index_pages(conversations, per_page: int, places: dict[int, Place]) -> list[list[Place]] | None:
    """What each page of the index lists (``conversations``: the archive's, in order), by where each
    was read from (``places``, as for first_pages); None if one is not known there."""
    try:
        listed = [places[id(conversation)] for conversation in conversations]
    except KeyError:
        return None
    return [listed[start:start + per_page] for start in range(0, len(listed), per_page)] or [[]]


def first_pages(groups, per_page: int, places: dict[int, Place]) -> dict[str, list[Place]] | None:
    """What each speaker's first page lists (``groups``: archive.speakers), by where each conversation
    was read from (``places``: by id of the conversation, its source's relative path and position);
    None if one is not known there."""
    try:
        return {group.name: [places[id(conversation)] for conversation in group.conversations[:per_page]]
                for group in groups}
    except KeyError:
        return None


def keep(state, kept: KeptSpeakers) -> None:
    state.write(TOTALS_STATE, kept.text())


def kept_for(state, inputs: str) -> KeptSpeakers | None:
    return KeptSpeakers.parse(state.read(TOTALS_STATE), inputs)
