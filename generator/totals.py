"""The speakers' totals a build keeps for the next, so that an edit need not add up the archive again.

An edit that changes how many words a conversation's speakers said, and nothing its card shows (a
line added to a message, say), changes only the speakers' pages: their figures and distinctive
words. Adding those up again means restoring every conversation's record, most of what such an
edit's build would cost. So each build keeps, in ``.antiphon-speakers.json``, the speakers' totals
(statistics.SpeakerTotals), the speakers' list (name, slug, conversations) and which conversations
each speaker's first page lists; a new process that finds only such edits adds their change to the
totals and makes again only the pages whose figures changed (rebuild.edits_in_place). The file names
the build it was kept for, and a checksum of the rest: one kept for another build (a build that
failed, or was killed before it committed), or cut short, or edited by hand, is not used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.output import digest
from generator.statistics import SpeakerTotals

TOTALS_STATE = ".antiphon-speakers.json"


@dataclass
class KeptSpeakers:
    inputs: str  # the build they were kept for (its inputs digest)
    totals: SpeakerTotals
    groups: list[tuple[str, str, int]]  # each speaker's name, slug and number of conversations, in list order
    # By speaker name: the conversations their first page lists, as (source's relative path, position among
    # the conversations read from it).
    first_pages: dict[str, list[tuple[str, int]]]

    def text(self) -> str:
        """The inputs, a checksum of the rest, and the rest (JSON), a line each."""
        kept = json.dumps({"totals": self.totals.record(), "groups": self.groups, "first_pages": self.first_pages},
                          ensure_ascii=False, separators=(",", ":"))
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
                       {name: [(relative, position) for relative, position in listed]
                        for name, listed in data["first_pages"].items()})
        except (ValueError, KeyError, TypeError):
            return None


def first_pages(groups, per_page: int, places: dict[int, tuple[str, int]]) -> dict[str, list[tuple[str, int]]] | None:
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
