"""What each conversation page was given to Pagefind as, kept between builds.

An edit indexes its page's shard again, every page of it, and reading the other pages' records from
their HTML again made giving them to Pagefind take twice as long (0.46-0.54 s against 0.21-0.29 s for
a shard of 80 pages at 5,000: the reading shares the interpreter with the rendering of the edited
page, and Pagefind waits on it). So each shard's entries (the requests that add its pages to an
index, see :func:`~generator.search.pagefind.entry`) are kept in a state file of the output folder,
``.antiphon-search/NNN.tsv``, never published: a first line naming the salt they were made under,
then a line for each page: its path, the key it was made from, a checksum, and its entry. An entry
is used again only for a page of the same path and key under the same salt, from a line as a build
wrote it; any other page is read again. Keyed so, an entry is right for its page whenever that page
is indexed, whether or not the build that kept it went on to commit: a shard's entries are kept as
soon as it is indexed.
"""

from __future__ import annotations

import hashlib
import itertools
import os

from generator.output import BuildState

FOLDER = ".antiphon-search/"
_FORMAT = b"antiphon search entries 1"


class KeptEntries:
    """The entries each shard's pages were last given to Pagefind as."""

    def __init__(self, state: BuildState, salt: str):
        self._state = state
        self._header = b"%s %s\n" % (_FORMAT, salt.encode("ascii", "replace"))

    def of(self, number: int) -> dict[str, tuple[str, bytes]]:
        """Site path -> (the key its page was made from, its entry), for the shard's pages kept."""
        data = self._state.read_bytes(_name(number))
        if not data.startswith(self._header):
            return {}
        kept = {}
        for line in data[len(self._header):].split(b"\n"):
            fields = line.rsplit(b"\t", 3)  # a path could hold a tab; a key, a checksum or an entry never does
            if len(fields) == 4 and fields[2] == _checksum(fields[0], fields[1], fields[3]):
                try:
                    kept[fields[0].decode("utf-8")] = (fields[1].decode("ascii"), fields[3])
                except UnicodeDecodeError:
                    continue
        return kept

    def keep(self, number: int, entries: list[tuple[str, str, bytes]]) -> None:
        """Keep the shard's entries, (site path, key, entry) for each of its pages. Only a help to the
        next build: one not kept (a full disk) costs it time, never a page."""
        lines = ((b"%s\t%s\t%s\t%s\n" % (path, key, _checksum(path, key, added), added))
                 for path, key, added in ((path.encode("utf-8"), key.encode("ascii"), added)
                                          for path, key, added in entries))
        try:
            self._state.write_parts(_name(number), itertools.chain((self._header,), lines))
        except OSError:
            pass

    def keep_only(self, count: int) -> None:
        """Forget the shards numbered ``count`` and above (there are fewer shards now)."""
        try:
            names = os.listdir(self._state.root / FOLDER)
        except OSError:
            return
        for name in names:
            number = name.removesuffix(".tsv")
            if number.isdigit() and int(number) >= count:
                (self._state.root / FOLDER / name).unlink(missing_ok=True)


def _name(number: int) -> str:
    return f"{FOLDER}{number:03d}.tsv"


def _checksum(*fields: bytes) -> bytes:
    return hashlib.sha1(b"\x00".join(fields)).hexdigest()[:20].encode("ascii")
