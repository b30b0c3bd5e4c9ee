"""Full-text search: Pagefind indexes of the conversation pages, in shards that a build updates one by one.

Each conversation page belongs to one shard, chosen by a hash of its slug, so a conversation stays in
its shard as the archive grows (until the number of shards doubles). A shard's files are written
under ``pagefind/NNN/``, its entry file keyed by what its pages were made from: a build indexes
again only the shards whose pages changed, and the same pages always give the same bytes
(:func:`~generator.search.canonical.canonicalize`). The first shard's folder also holds Pagefind's
runtime (``pagefind.js``, its worker and WebAssembly); the search page loads it and merges the other
shards into one search (``mergeIndex``), so ranking and filters work across all of them.
"""

from __future__ import annotations

import importlib.util
import json
import queue
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from generator.output import OutputFolder, digest
from generator.search.canonical import SearchError, canonicalize
from generator.search.kept import KeptEntries
from generator.search.pagefind import PagefindError, PagefindIndex, PagefindService, entry
from generator.search.records import search_entry
from generator.search.shards import FOLDER, shard_count, shard_folder, shard_of

__all__ = ["FOLDER", "EarlyIndex", "SearchError", "SearchUpdate", "index_intact", "update_index"]

ENTRY = "pagefind-entry.json"
SHARD_LIST = FOLDER + "shards.json"  # the search page reads it: the first folder holds the runtime
_PAGE = re.compile(r"c/([^/]+)/index\.html")
_RUNTIME = re.compile(r"pagefind\.js|pagefind-worker\.js|wasm\.[^/]*\.pagefind")
# Pagefind's own search UIs: the theme has its own, so these are not published.
_UNUSED = re.compile(r"pagefind-(ui|component-ui|modular-ui|highlight)\..*")
# Each message's header (speaker, number): the same words on every message, which would make a
# speaker's name match every message they wrote. Left out by selector, not by an attribute on
# each of the archive's hundreds of thousands of headers.
EXCLUDED = (".msg > header",)
# Part of every shard's key: a change to how shards are made indexes them all again (3: pages given
# as records, see records.py).
_LAYOUT = "shards-3 " + " ".join(EXCLUDED)
_FOLDER_LENGTH = len(shard_folder(0))


@dataclass
class Shard:
    number: int
    primary: bool  # its folder also holds the runtime the search page loads
    pages: list[tuple[str, str]] = field(default_factory=list)  # (URL, site path), in URL order
    key: str = ""

    @property
    def folder(self) -> str:
        return shard_folder(self.number)


def plan_shards(pages: dict[str, str], salt: str, only: set[int] | None = None) -> list[Shard]:
    """The shards for the committed conversation pages (site path -> the key they were made from);
    ``only``: just the shards of these numbers, if they have pages.

    A page's key digests what it shows, not how (the code, theme and config: ``salt``); when the salt
    changes every page is made again, so every shard is indexed again."""
    slugs = {path: _PAGE.fullmatch(path).group(1) for path in pages}
    count = shard_count(len(slugs))
    shards: dict[int, Shard] = {}
    for path in sorted(pages, key=lambda path: slugs[path]):
        number = shard_of(slugs[path], count)
        shards.setdefault(number, Shard(number, primary=False)).pages.append((f"/c/{slugs[path]}/", path))
    ordered = [shards[number] for number in sorted(shards)]
    if ordered:
        ordered[0].primary = True
    if only is not None:
        ordered = [shard for shard in ordered if shard.number in only]
    version = _pagefind_version()
    for shard in ordered:
        shard.key = digest(_LAYOUT, version, salt, str(count), str(shard.number), repr(shard.primary),
                           repr([(path, pages[path]) for _, path in shard.pages]))
    return ordered


def _is_page(path: str) -> bool:
    return _PAGE.fullmatch(path) is not None


def conversation_pages(out: OutputFolder) -> dict[str, str]:
    return out.committed(_is_page)


class EarlyIndex:
    """The stale shards of a build under way, indexed while the build goes on.

    When the conversation pages are made and only a few shards are stale (an edit's), Pagefind indexes
    them on another core while the lists are made and the build commits (:meth:`start`);
    :func:`update_index` then takes the bundles instead of indexing those shards itself. More shards
    are left to it: each bundle is held in memory until then, and a cold build has no idle core to give.

    Told which conversations an edit changes before their pages are made (:meth:`prepare`), it gives
    Pagefind their shards' pages as they are meanwhile; once the pages are made, only those that
    changed are given again (in their places, see PagefindIndex), and indexing them is all that is
    left to wait for."""

    MOST = 4

    def __init__(self, out: OutputFolder, salt: str):
        self._out, self._salt = out, salt
        self._kept = KeptEntries(out.state, salt)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="pagefind-early")
        self._services: list[PagefindService] = []
        self._prepared: dict[int, tuple[list[str], Future]] = {}  # shard number -> (its URLs, its open index and entries)
        self._bundles: dict[str, Future] = {}
        self.slugs: list[str] = []  # prepared for
        self._first: set[int] = set()  # the shards whose pages the build makes first (see made_first)
        self.started = False

    def prepare(self, slugs: list[str]) -> None:
        """Before the pages of the conversations ``slugs`` are made again: give Pagefind their
        shards' pages as the last build left them."""
        self.slugs = slugs
        pages = conversation_pages(self._out)
        shards = plan_shards(pages, self._salt, only={shard_of(slug, shard_count(len(pages))) for slug in slugs})
        if not 0 < len(shards) <= self.MOST:
            return
        for shard in shards:
            self._prepared[shard.number] = ([url for url, _ in shard.pages], self._pool.submit(self._open, shard, pages))

    def made_first(self, slugs: list[str]) -> list[int]:
        """Of a build's conversations (``slugs``, in the archive's order), the positions of those whose
        pages to make first: those in the prepared shards, which can then be indexed (see :meth:`start`)
        while the other pages are made. Empty when nothing was prepared (or it has started)."""
        if self.started or not self._prepared:
            return []
        count = shard_count(len(slugs))
        self._first = {shard_of(slug, count) for slug in self.slugs}
        return [position for position, slug in enumerate(slugs) if shard_of(slug, count) in self._first]

    def start(self, pages: list[str] | None = None) -> None:
        """The conversation pages are made: index the stale shards (when they are few). With ``pages``
        (every conversation page's path), only those of the shards :meth:`made_first` chose are made yet."""
        self.started = True
        out = self._out
        made = out.building(_is_page)
        if pages is None:
            shards = plan_shards(made, self._salt)
        else:  # a page not made (it could not be) leaves its shard to update_index
            shards = [shard for shard in plan_shards({path: made.get(path, "") for path in pages}, self._salt,
                                                     only=self._first)
                      if all(path in made for _, path in shard.pages)]
        stale = [shard for shard in shards if not out.up_to_date(shard.folder + ENTRY, shard.key)]
        if not 0 < len(stale) <= self.MOST:
            return
        committed = out.committed(_is_page)
        for shard in stale:
            # Read now: the staged files are moved into place when the build commits.
            prepared = self._prepared.pop(shard.number, None)
            if prepared is not None and prepared[0] == [url for url, _ in shard.pages]:
                changed = Shard(shard.number, shard.primary,
                                [(url, path) for url, path in shard.pages if committed.get(path) != made[path]])
                self._bundles[shard.key] = self._pool.submit(self._finish, prepared[1], shard,
                                                             list(page_entries(out, changed, made)))
            else:
                entries = list(page_entries(out, shard, made, self._kept.of(shard.number)))
                self._bundles[shard.key] = self._pool.submit(self._index, shard, entries)

    def _service(self) -> PagefindService:
        if not self._services:
            self._services.append(PagefindService())
        return self._services[0]

    def _open(self, shard: Shard, keys: dict[str, str]) -> tuple[PagefindIndex, list[tuple[str, str, bytes]]] | None:
        # The pages as the last build committed them, read on this thread while the build goes on (a
        # page it commits meanwhile is given again, see start). One that has gone: None, and the
        # shard is left to update_index.
        # Each page is sent as it is read, for Pagefind to index while the next is read.
        index = self._service().open_index(EXCLUDED)
        entries: list[tuple[str, str, bytes]] = []
        try:
            pages = page_entries(self._out, shard, keys, self._kept.of(shard.number),
                                 lambda path: self._out.target(path).read_bytes())
            index.add_entries(added for _, _, added in _noted(pages, entries))
        except OSError:
            index.close()
            return None
        return index, entries

    def _finish(self, opened: Future, shard: Shard, changed: list[tuple[str, str, bytes]]) -> dict[str, bytes] | None:
        if (found := opened.result()) is None:
            return None
        index, entries = found
        try:
            index.add_entries(added for _, _, added in changed)
            files = bundle_files(index.files(), shard.primary)
        finally:
            index.close()
        now = {path: (path, key, added) for path, key, added in [*entries, *changed]}
        self._kept.keep(shard.number, [now[path] for _, path in shard.pages])
        return files

    def _index(self, shard: Shard, entries: list[tuple[str, str, bytes]]) -> dict[str, bytes]:
        return index_and_keep(self._service(), shard, entries, self._kept)

    def take(self, shard: Shard) -> dict[str, bytes] | None:
        """The shard's bundle if it was indexed from the same pages (raises what indexing raised)."""
        bundle = self._bundles.pop(shard.key, None)
        return bundle.result() if bundle is not None else None

    def close(self) -> None:
        if self._pool is not None:
            for bundle in self._bundles.values():
                bundle.cancel()
            self._pool.shutdown(wait=True)
            self._pool = None
        for service in self._services:  # with it go the indexes prepared and not taken
            service.close()
        self._services = []


@dataclass
class SearchUpdate:
    shards: int = 0  # shards there are
    indexed: int = 0  # shards indexed again
    pages: int = 0  # pages indexed again
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def update_index(out: OutputFolder, salt: str, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, early: EarlyIndex | None = None) -> SearchUpdate:
    """Index the shards whose pages changed since the last build, and commit them.

    ``progress(done, total)`` is told of each shard indexed; ``early`` holds shards already indexed.
    Raises :class:`SearchError` (the folder then stays as it was)."""
    pages = conversation_pages(out)
    shards = plan_shards(pages, salt)
    kept = KeptEntries(out.state, salt)
    update = SearchUpdate(shards=len(shards))
    out.begin(salt)
    out.keep_all(lambda path: not path.startswith(FOLDER))
    out.write(SHARD_LIST, json.dumps({"shards": [shard.folder for shard in shards]}, indent=0) + "\n")
    stale, current = [], set()
    files = _files_by_folder(out)
    for shard in shards:
        # Current when made from the same pages and none of its files has gone since.
        folder = shard.folder
        if out.up_to_date(folder + ENTRY, shard.key) and out.all_there(files.get(folder, ()), trust_verified=True):
            current.add(folder)
        else:
            stale.append(shard)
    # One pass over the last build's files, not one per shard: 256 shards × 25,000 files adds up.
    out.keep_all(lambda path: path.startswith(FOLDER) and path[:_FOLDER_LENGTH] in current)
    try:
        for done, (shard, files) in enumerate(_index(stale, out, jobs, early, pages, kept), 1):
            for name, data in files.items():
                out.write(shard.folder + name, data, key=shard.key if name == ENTRY else None)
            update.indexed, update.pages = done, update.pages + len(shard.pages)
            if progress:
                progress(done, len(stale))
    except (PagefindError, SearchError, OSError) as err:
        out.rollback()
        raise SearchError(str(err)) from None
    except BaseException:  # Ctrl-C in the preview server: nothing half-indexed stays staged
        out.rollback()
        raise
    update.removed = out.commit()
    update.written = list(out.changed)
    kept.keep_only(shard_count(len(pages)))
    return update


def index_intact(out: OutputFolder) -> bool:
    """Is every file of the last committed index still there?"""
    return out.all_there(path for paths in _files_by_folder(out).values() for path in paths)


def _files_by_folder(out: OutputFolder) -> dict[str, list[str]]:
    """The last committed index's files, by shard folder."""
    files: dict[str, list[str]] = {}
    for path in out.committed(lambda path: path.startswith(FOLDER)):
        files.setdefault(path[:_FOLDER_LENGTH], []).append(path)
    return files


def _index(shards: list[Shard], out: OutputFolder, jobs: int, early: EarlyIndex | None, pages: dict[str, str],
           kept: KeptEntries) -> Iterator[tuple[Shard, dict]]:
    """Each shard with its bundle's files, those indexed early first; the rest by :func:`services_for`
    ``jobs`` Pagefind processes at once."""
    rest = []
    for shard in shards:
        files = early.take(shard) if early is not None else None
        if files is None:
            rest.append(shard)
        else:
            yield shard, files
    yield from _index_all(rest, out, jobs, pages, kept)


def _index_all(shards: list[Shard], out: OutputFolder, jobs: int, pages: dict[str, str],
               kept: KeptEntries) -> Iterator[tuple[Shard, dict]]:
    if not shards:
        return
    services: queue.Queue[PagefindService] = queue.Queue()
    started: list[PagefindService] = []

    def index(shard: Shard) -> tuple[Shard, dict]:
        try:
            service = services.get_nowait()
        except queue.Empty:
            service = PagefindService()
            started.append(service)
        try:
            entries = list(page_entries(out, shard, pages, kept.of(shard.number)))
            return shard, index_and_keep(service, shard, entries, kept)
        finally:
            services.put(service)

    workers = max(1, min(services_for(jobs), len(shards)))
    try:
        with ThreadPoolExecutor(workers, thread_name_prefix="pagefind") as pool:
            yield from pool.map(index, shards)
    finally:
        for service in started:
            service.close()


def services_for(jobs: int) -> int:
    """How many Pagefind processes index at once: one more than the jobs, when there are several.
    Each leaves its core idle part of the time (while its pages are sent and its bundle read, and in
    the parts of its work it does on one thread); on 2 cores, 64 shards of 5,000 pages took 27.2-32.2 s
    with three against 31.9-35.8 s with two, interleaved four times each."""
    return jobs + 1 if jobs > 1 else 1


def page_entries(out: OutputFolder, shard: Shard, keys: dict[str, str], kept: dict[str, tuple[str, bytes]] | None = None,
                 read: Callable[[str], bytes] | None = None) -> Iterator[tuple[str, str, bytes]]:
    """(site path, key, entry) for each page of the shard (``keys``: what each was made from): the entry
    kept for the page made from the same key, else one made from the page, as ``read`` reads it (by
    default, as this build leaves it)."""
    kept = kept or {}
    unkept = [path for _, path in shard.pages if kept.get(path, ("",))[0] != keys[path]]
    if read is None:
        read = dict(zip(unkept, out.read_building(unkept))).__getitem__
    unkept = set(unkept)
    for url, path in shard.pages:
        yield path, keys[path], entry(url, search_entry(read(path))) if path in unkept else kept[path][1]


def _noted(entries: Iterator[tuple[str, str, bytes]], into: list) -> Iterator[tuple[str, str, bytes]]:
    """``entries`` as they come, each also put in ``into`` (to be kept once the shard is indexed)."""
    for found in entries:
        into.append(found)
        yield found


def index_and_keep(service: PagefindService, shard: Shard, entries: list[tuple[str, str, bytes]],
                   kept: KeptEntries) -> dict[str, bytes]:
    """Index the shard from its entries, (site path, key, entry) for each page, and keep them."""
    files = index_shard(service, shard, [added for _, _, added in entries])
    kept.keep(shard.number, entries)
    return files


def index_shard(service: PagefindService, shard: Shard, entries: list[bytes]) -> dict[str, bytes]:
    index = service.open_index(EXCLUDED)
    try:
        index.add_entries(entries)
        return bundle_files(index.files(), shard.primary)
    finally:
        index.close()


def bundle_files(files: dict[str, bytes], primary: bool) -> dict[str, bytes]:
    """The files of a shard's bundle to publish: made reproducible, without Pagefind's own UIs, and
    without the runtime unless this is the shard that carries it."""
    kept = {name: data for name, data in files.items()
            if not _UNUSED.fullmatch(name) and (primary or not _RUNTIME.fullmatch(name))}
    return canonicalize(kept)


def _pagefind_version() -> str:
    """The installed Pagefind's version: from the name of its wheel's dist-info folder, beside the
    package, else as importlib.metadata says (importing it costs about 20 ms, a fiftieth of an
    edit's build). Looked up for each plan, not once per process: the preview server outlives an
    upgrade, and every shard must then be indexed again by the new Pagefind."""
    spec = importlib.util.find_spec("pagefind_bin")
    if spec is None or spec.origin is None:
        return "unknown"
    found = list(Path(spec.origin).parent.parent.glob("pagefind_bin-*.dist-info"))
    if len(found) == 1:
        return found[0].name[len("pagefind_bin-"):-len(".dist-info")]
    from importlib import metadata
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"
