"""Which way a build goes, and the one way every build ends.

A build need not always read and place everything again:

- ``unchanged``: a new process, and nothing changed since the last build (its files are checked):
  the last build's result stands;
- ``edits in place``: a new process, and each edited transcript reads to the same outlines as
  before (an edit no list shows), or to outlines that differ only in the speakers' figures and the
  cards' shapes: the archive is the one the last build made, so only the edited conversations'
  pages are made, where the last build placed them, with the speakers' and index pages that show
  what changed;
- ``held archive``: a builder that holds the archive (the preview server), likewise, adding an
  edit's change of the speakers' figures to the totals it holds;
- ``full`` (generator/site.py): everything placed and every page whose key changed rendered.

Every way ends in :func:`finish`: rolled back when it brings errors the last build did not
have and the caller asked to keep the last good site (``keep_on_error``), else committed, with
what it was made from noted for the next build.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Callable

from generator.archive import Archive
from generator.diagnostics import Diagnostic
from generator.library import (Library, Source, from_record, neighbour_from, read_edits, related_from, restore,
                               same_outlines, source_line)
from generator.output import OutputFolder
from generator.model import Conversation
from generator.pages import Page, Views, conversation_files
from generator.readers import native
from generator.result import EDITS, HELD, UNCHANGED, BuildResult
from generator.sources import SourceFile
from generator.theme import Theme
from generator.totals import KeptSpeakers, keep, kept_for
from generator.workers import render_conversation, render_page


@dataclass
class Build:
    """What one build is made from, as the builder gathered it."""
    out: OutputFolder
    theme: Theme
    salt: str
    library: Library
    files: list[SourceFile]
    inputs: str  # a digest of the salt and every source's signature
    include_drafts: bool
    keep_on_error: bool
    committed_errors: set[Diagnostic] = field(default_factory=set)  # of the last committed build
    make_views: Callable[[Archive], Views] = None
    # Told when the conversation pages are staged (the rest of the site not yet): the search index can
    # start on the shards they changed, on another core, while the build goes on (see EarlyIndex).
    # Given every conversation page's path when only those of the shards an edit changed are made yet.
    pages_made: Callable[[list[str] | None], None] = lambda pages=None: None
    # Told the slugs of the conversations of edited transcripts, as the last build placed them, before
    # their pages are made: the search index can read the rest of their shards meanwhile.
    edits_found: Callable[[list[str]], None] = lambda slugs: None


@contextmanager
def staged(build: Build):
    """Stage a build's files; anything raised drops them (the folder stays as the last build left it)."""
    build.out.begin(build.salt)
    try:
        yield
    except BaseException:
        build.out.rollback()
        raise


def finish(build: Build, result: BuildResult, note_sources: Callable[[str], None], keep=None) -> BuildResult:
    """Commit the build (keeping the last build's files that ``keep(site_path)`` selects), or roll it
    back when it brings new errors and ``keep_on_error`` was asked for."""
    out = build.out
    if build.keep_on_error and set(result.errors) - build.committed_errors:
        out.rollback()
        result.committed = False
        result.diagnostics.sort()
        return result
    if keep is not None:
        out.keep_all(keep)
    result.inputs = build.inputs if not result.errors else ""
    note_sources(result.inputs)
    out.state.notes["build"] = json.dumps({
        "inputs": result.inputs, "drafts": build.include_drafts, "conversations": result.conversations,
        "pages": result.pages, "problems": [[d.path, d.line, d.level, d.message] for d in result.diagnostics
                                            if d.level != "error"]})
    result.removed = out.commit()
    result.written = out.changed
    result.diagnostics.sort()
    return result


def last_build(out: OutputFolder, include_drafts: bool) -> dict | None:
    """What the last build noted of itself, when it had no errors and used the same drafts setting."""
    try:
        last = json.loads(out.state.notes.get("build", ""))
    except ValueError:
        return None
    if not isinstance(last, dict) or not last.get("inputs") or last.get("drafts") != include_drafts:
        return None
    return last


def result_of(last: dict, path: str) -> BuildResult:
    """The result the last build reported (its warnings and notes stand as long as its sources do)."""
    problems = [Diagnostic(*problem) for problem in last.get("problems", [])]
    return BuildResult(conversations=last["conversations"], pages=last["pages"], diagnostics=problems, path=path,
                       inputs=last["inputs"])


def unchanged(build: Build, last: dict) -> BuildResult | None:
    """Nothing changed since the last build, and every file it wrote is still there: its result."""
    if last["inputs"] == build.inputs and build.out.intact(build.salt):
        return result_of(last, UNCHANGED)
    return None


def edits_in_place(build: Build, last: dict) -> BuildResult | None:
    """A new process: render only the edited conversations, where the last build placed them.

    That holds when the same files are there and each edited one reads to the same outlines as before
    (an edit past the openings of its messages), or to outlines that differ only in the speakers'
    figures and the card's shape (then the speakers' pages whose figures changed, and the index's
    pages whose cards did, are made too, from what the last build kept: see totals.py), and the last
    build's files are intact (checked in a child process meanwhile). None otherwise: then a full build.
    """
    library, out = build.library, build.out
    remembered = library.remembered(out.state)
    if (len(remembered) != len(build.files) or any(file.relative not in remembered for file in build.files)
            or library.remembered_inputs != last["inputs"]):  # noted for another build (never committed)
        return None
    intact = out.intact_later(build.salt)
    try:
        edited = [file for file in build.files if remembered[file.relative].signature != file.signature]
        if not all(remembered[file.relative].intact() for file in edited):
            return None  # where it was placed is not trusted: a full build reads the line's source again
        build.edits_found(edited_slugs(edited, remembered))
        record_before = lambda file: remembered[file.relative].record
        sources = read_edits(edited, library.reading, record_before, figures=True)
        views = build.make_views(Archive([]))
        kept = kept_for(out.state, last["inputs"]) if sources is not None else None
        list_pages = []  # made again when an edit changed the speakers' figures or a card
        if sources is not None and any(not same_outlines(record_before(s.file), s.record()) for s in sources):
            lists = _lists_edited(build, views, kept, sources, remembered) if kept is not None else None
            if lists is None:
                sources = None
            else:
                kept, list_pages = lists
        if sources is None:  # an edit lists show: a full build follows, which need not look at each file
            out.take_check(intact)  # of the last build again if the answer says all are there
            intact = None
            return None
        result = result_of(last, EDITS)
        lines, failed = {}, set()
        with staged(build):
            for source in sources:
                entry = remembered[source.file.relative]
                failed |= _render_placed(build, views, source, _placed(source, entry.places), result)
                lines[source.file.relative] = source_line(source.file.relative, source.file.signature,
                                                          entry.places_text, source.record())
            failed |= _render_pages(build, list_pages, result)
            build.out.keep_all(lambda path: path not in failed)  # the rest of the site is the last build's
            build.pages_made()
            if not intact():
                build.out.rollback()
                return None

            def note(inputs: str) -> None:
                library.note_edits(out.state, remembered, lines, inputs)
                if kept is not None and inputs:  # kept again, for this build
                    keep(out.state, replace(kept, inputs=inputs))
            return finish(build, result, note)
    finally:
        if intact is not None:
            intact.abandon()  # an answer not asked for is not waited for


def _placed(source: Source, places: list) -> list:
    """The source's conversations where the last build placed them (``places``, as noted), each with its
    older and newer neighbours and related conversations; drafts left out of the archive are left out."""
    placed = []
    for conversation, where in zip(source.conversations, places):
        if where is not None:
            conversation.slug = where[0]
            conversation.show_title(where[1])  # as the archive told it from its twins, if it did
            placed.append((conversation, neighbour_from(where[2]), neighbour_from(where[3]), related_from(where)))
    return placed


# What restoring or placing a conversation as noted raises when it was not noted so (or not placed)
_NOT_AS_NOTED = (KeyError, IndexError, TypeError, AttributeError)


def _lists_edited(build: Build, views: Views, kept: KeptSpeakers, sources: list[Source],
                  remembered: dict) -> tuple[KeptSpeakers, list[Page]] | None:
    """:func:`_lists_changed` by the edited ``sources``, their conversations as the last build noted
    them and placed them. None when one cannot be restored as noted (a full build then reads it again)."""
    before, after, cards = [], [], set()
    try:
        for source in sources:
            entry = remembered[source.file.relative]
            was = from_record(entry.record, source.file)
            if was is None:
                return None
            for position, (old, new, where) in enumerate(zip(was.conversations, source.conversations, entry.places)):
                if where is not None:
                    before.append(old)
                    if _card_view(old) != _card_view(new):
                        cards.add((source.file.relative, position))
            after += [c for c, _, _, _ in _placed(source, entry.places)]
    except _NOT_AS_NOTED:
        return None
    return _lists_changed(views, kept, before, after, cards, _Placed(build, remembered, sources))


def _lists_changed(views: Views, kept: KeptSpeakers, before: list[Conversation], after: list[Conversation],
                   cards: set, placed_at: Callable[[str, int], Conversation]) -> tuple[KeptSpeakers, list[Page]] | None:
    """The kept speakers' totals with the conversations ``before`` replaced by ``after`` (see
    totals.py), and the pages that change with them: the speakers' list, the first page of each
    speaker whose figures changed, and each page of the index that shows one of the ``cards`` that
    changed (their conversations as ``placed_at`` gives them). None when one is not where it was
    kept (a full build then places everything again)."""
    try:
        edited = replace(kept, totals=kept.totals.edited(before, after))
        return edited, _speaker_pages(views, kept, edited, placed_at) + _index_pages(views, kept, cards, placed_at)
    except _NOT_AS_NOTED:
        return None


def _card_view(conversation: Conversation) -> tuple | None:
    return conversation.profile.card_view() if conversation.profile is not None else None


class _Placed:
    """Conversations where the last build placed them, by (source's relative path, position): the
    edited sources as read now, the others restored as noted."""

    def __init__(self, build: Build, remembered: dict, edited: list[Source]):
        self._remembered, self._files = remembered, {file.relative: file for file in build.files}
        self._read = {source.file.relative: (source, remembered[source.file.relative].places) for source in edited}

    def __call__(self, relative: str, position: int) -> Conversation:
        if relative not in self._read:
            entry = self._remembered[relative]
            self._read[relative] = (restore(entry, self._files[relative]), entry.places)
        source, places = self._read[relative]
        conversation, where = source.conversations[position], places[position]
        conversation.slug = where[0]
        conversation.show_title(where[1])
        return conversation


def _speaker_pages(views: Views, kept: KeptSpeakers, edited: KeptSpeakers, placed_at: _Placed) -> list[Page]:
    """The speakers' list, and the first page of each speaker whose figures changed."""
    was, now = views.speaker_statistics(kept.totals), views.speaker_statistics(edited.totals)
    pages = [views.speakers_index(edited.groups, edited.totals)]
    for name, _, count in edited.groups:
        stats = now(name)
        if stats != was(name):
            listed = [placed_at(*where) for where in edited.first_pages[name]]
            pages.append(views.speaker_first_page(name, listed, count, stats))
    return pages


def _index_pages(views: Views, kept: KeptSpeakers, cards: set, placed_at: _Placed) -> list[Page]:
    """The pages of the index that list one of the ``cards`` (by where each was read)."""
    index = kept.index
    total = sum(len(page) for page in index.pages)
    numbers = {where: number for number, page in enumerate(index.pages, 1) for where in page if where in cards}
    if len(numbers) < len(cards):
        raise KeyError("a card not on the index as kept")
    return [views.index_page([placed_at(*where) for where in index.pages[number - 1]],
                             (number, len(index.pages), total), index.description, index.endings)
            for number in sorted(set(numbers.values()))]


def _render_pages(build: Build, pages: list[Page], result: BuildResult) -> set[str]:
    """Make the ``pages`` that are not current; returns those that could not be made."""
    failed = set()
    for page in pages:
        if build.out.keep_if_current(page.file, page.key):
            continue
        outputs, problems = render_page(build.theme, page)
        result.diagnostics += problems
        if problems:
            failed.add(page.file)
        for site_path, data, key in outputs:
            build.out.write(site_path, data, key)
    return failed


def edited_slugs(files: list[SourceFile], remembered: dict) -> list[str]:
    """The slugs the last build gave the conversations of the files edited since (of those it read:
    ``remembered``, on lines whose checksum holds)."""
    edited = [remembered[file.relative] for file in files
              if file.relative in remembered and remembered[file.relative].signature != file.signature]
    return [where[0] for entry in edited if entry.intact() for where in entry.places if where is not None]


def held_archive(build: Build, archive: Archive, last: dict, lists: KeptSpeakers | None
                 ) -> tuple[BuildResult, Archive, KeptSpeakers | None] | None:
    """The preview server's builder: the edited conversations take the places of the ones they
    replace in the archive it holds, and only their pages are made (when the edits change nothing
    lists show, as in :func:`edits_in_place`), with the speakers' and index pages that show what
    changed when they change the speakers' figures or a card (``lists``: the speakers' totals and the
    lists of the archive held, see totals.py). The new archive and lists come back with the result."""
    library = build.library
    held = library.sources
    if len(build.files) != len(held) or any(file.path not in held for file in build.files):
        return None
    edited = [file for file in build.files if held[file.path].file != file]
    fresh = read_edits(edited, library.reading, lambda file: held[file.path].record(), figures=lists is not None)
    if fresh is None:
        return None
    positions = {id(c): position for position, c in enumerate(archive.conversations)}
    conversations = list(archive.conversations)
    replaced, before, after, cards = [], [], [], set()
    for source in fresh:
        whole = source.conversations
        if library.outlines:  # held as outlines; the pages are made from the messages just read
            source.conversations = [c.outlined() for c in whole]
        olds = held[source.file.path].conversations
        for position, (old, new, full) in enumerate(zip(olds, source.conversations, whole)):
            if id(old) in positions:  # else a draft the build leaves out
                new.slug = full.slug = old.slug
                new.show_title(old.title)  # as the archive told it apart from its twins, if it did
                full.show_title(old.title)
                conversations[positions[id(old)]] = new
                replaced.append((source, positions[id(old)], full))
                before.append(old)
                after.append(new)
                if _card_view(old) != _card_view(new):
                    cards.add((source.file.relative, position))
    archive = Archive(conversations)
    views = build.make_views(archive)
    list_pages = []
    if any(not same_outlines(held[source.file.path].record(), source.record()) for source in fresh):
        changed = _lists_changed(views, lists, before, after, cards, _Held(held, fresh))
        if changed is None:
            return None
        lists, list_pages = changed
    result = result_of(last, HELD)
    failed: set[str] = set()
    with staged(build):
        for source, position, full in replaced:
            failed |= _render_placed(build, views, source, [(full, *archive.neighbours(position), None)], result)
        failed |= _render_pages(build, list_pages, result)
        result = finish(build, result, lambda inputs: None, keep=lambda path: path not in failed)
    if result.committed:
        library.sources = {**held, **{source.file.path: source for source in fresh}}
    return result, archive, lists


class _Held:
    """Conversations of the archive held, by (source's relative path, position): the edited sources'
    as read now."""

    def __init__(self, held: dict, fresh: list[Source]):
        self._sources = {source.file.relative: source for source in held.values()}
        self._sources.update((source.file.relative, source) for source in fresh)

    def __call__(self, relative: str, position: int) -> Conversation:
        return self._sources[relative].conversations[position]


def _render_placed(build: Build, views: Views, source: Source, placed: list, result: BuildResult) -> set[str]:
    """Render the pages and files of ``source``'s conversations, each between its older and newer
    neighbour and listing its related ones (None: as the archive gives them); returns the pages that
    could not be made (gone from the site, as a full build leaves them)."""
    failed = set()
    for conversation, older, newer, related in placed:
        page = views.page_between(conversation, older, newer, related=related)
        outputs, problems = render_conversation(build.theme, page, conversation, source.file.relative,
                                                source.format == native.NAME,
                                                conversation_files(conversation, views.config.downloads),
                                                redaction=build.library.reading.redaction)
        result.diagnostics += problems
        result.pages -= len(problems)
        if problems:
            failed.add(page.file)
        for site_path, data, key in outputs:
            build.out.write(site_path, data, key)
    return failed
