"""The sources of a site: what each build read, and what the last build remembered of them.

A :class:`Library` holds one :class:`Source` per content file: the reader that read it, its
problems, and its conversations. A large build holds outlines (everything but the messages;
see ``Conversation.outlined``) and reads a conversation again when its page is made
(:meth:`Library.load`). In a cold parallel build a native transcript is first read only to
its header, enough to place it in the archive (a *sketch*), and read whole when its page is
made (:meth:`Library.complete`).

What was read is remembered in ``.antiphon-sources.tsv``, a state file of the output folder,
so that a new process need not read unchanged files again. One line per source, five
tab-separated fields::

    "relative/path.md"  mtime_ns:size  places  record  checksum

``record`` is what reading the file gave (the key of its bytes, reader, problems, an outline of each
conversation: the key lets a file whose time alone changed be known as the same, see as_noted);
``places`` is where the last build put each conversation (its slug and title, and the slug and
title of its older and newer neighbours; null for a draft left out). The path comes first,
JSON-encoded, so the file can be indexed without parsing records. The first line names the
reading key (fingerprint.reading_key: code and names) the records were made under, the last
the build they were written for; a file cut short names no build and is not trusted. The
checksum (of the rest of the line) makes a line that was damaged or edited by hand one that is
not trusted either: its source is read again. So a record is restored as written, without a
check of each field (those checks took about 30 ms of an edit's build at 5,000 conversations).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from generator.diagnostics import Diagnostic, SourceError
from generator.identity import Identity
from generator.model import Conversation, Outline
from generator.profile import Profile
from generator.progress import Counter, ignore
from generator.readers import file_content_key, native, read_file, read_header_file
from generator.result import BuildError
from generator.secrets import NONE as NO_REDACTION, Redaction
from generator.sources import SourceFile
from generator.workers import can_fork, fork_map

SOURCES_STATE = ".antiphon-sources.tsv"
# A new process renders up to this many edited conversations alone; more go through a full build (in parallel).
EDITS_RENDERED_ALONE = 32
_READING, _LAST = "# reading ", "# inputs "
_CONTENT = re.compile(r'\{"content":"([0-9a-f]{40})"')
# Made once: json.dumps makes an encoder for every call with options, thousands of times a build.
_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quoted = json.JSONEncoder(ensure_ascii=False).encode


class Reading(NamedTuple):
    """What reading a source needs besides the file: where the content folder is, the site's names,
    and what to redact."""
    content: Path
    identity: Identity
    redaction: Redaction = NO_REDACTION


class Neighbour(NamedTuple):
    """What a conversation's page shows of the one before or after it."""
    slug: str
    title: str


@dataclass
class Source:
    file: SourceFile  # as it was when read
    format: str  # the reader that read it ("" when none claimed it)
    conversations: list[Conversation]
    diagnostics: list[Diagnostic]
    remembered: str = ""  # what was read, as its line's record (made once: see record())
    content: str = ""  # the key of the bytes it was read from (readers.content_key)
    # Only the header was read (a native transcript, read in bulk): enough to place the conversation
    # in the archive. Rendering its page reads it whole and completes it (Library.complete).
    sketched: bool = False

    def record(self) -> str:
        if not self.remembered:
            self.remembered = record_text(self.format, self.diagnostics, self.conversations, self.content)
        return self.remembered


class Library:
    """The sources of one site's builds: read, remembered, and read again when a page needs them."""

    def __init__(self, reading: Reading, key: str, outlines: bool, jobs: int):
        """``outlines``: hold outlines, not messages (a large build); ``key``: the reading key."""
        self.reading = reading
        self.key = key
        self.outlines = outlines
        self.jobs = jobs
        self.sources: dict[str, Source] = {}  # by the file's path
        # The relative paths of the sources the last read() restored from lines of the sources file
        # (so lines whose checksum held).
        self.restored: set[str] = set()
        # The sources file as last read or written: what it names and how long it is, not its text (at
        # 50,000 conversations it is 90 MB, and each source holds its own record).
        self.remembered_inputs = ""  # the build it was noted for
        self.remembered_lines = 0
        # The checksum of each line the sources file holds, by relative path, when known (None: unknown, so
        # the next note writes it whole): a build that changed a few sources appends their lines.
        self._noted: dict[str, str] | None = None
        # The places that the lines of the restored sources noted, as read (see places_noted): a source
        # placed the same again has the line it had, which noting the sources need not make again.
        self._places_before: dict[str, list] = {}
        self._loaded: tuple[tuple, list[Conversation]] = ((), [])  # the source file last read again by load()
        # The sources file last parsed: its size and time, what it says, and its inputs and line count.
        self._parsed: tuple = (None, {}, "", 0)

    # -- reading ---------------------------------------------------------------------------------

    def read(self, files: list[SourceFile], remembered: dict[str, "Remembered"], progress: Counter = ignore) -> None:
        """Hold a source for each of ``files``: the one held, or the one remembered, if the file is
        unchanged; else read now (in worker processes when there are many)."""
        current: dict[str, Source] = {}
        self.restored = set()
        self._places_before = {}  # for the sources as this reading holds them (see places_noted)
        for file in files:
            source = self.sources.get(file.path)
            if source is None or source.file != file:
                source = restore(remembered.get(file.relative), file)
                if source is not None:
                    self.restored.add(file.relative)
            if source is not None:
                current[file.path] = source
        fresh = [file for file in files if file.path not in current]
        for source in read_sources(fresh, self.reading, self.outlines, self.jobs, progress):
            current[source.file.path] = source
        self.sources = current
        if remembered:  # else the file is none of this reading key's, or this library wrote it last
            self._noted = {relative: entry.checksum for relative, entry in remembered.items()}
        self._parsed = (None, {}, "", 0)

    def conversations(self, files: list[SourceFile], include_drafts: bool) -> list[Conversation]:
        return [c for file in files for c in self.sources[file.path].conversations if include_drafts or not c.draft]

    def diagnostics(self, files: list[SourceFile]) -> list[Diagnostic]:
        return [d for file in files for d in self.sources[file.path].diagnostics]

    def places_read(self) -> dict[int, tuple[str, int]]:
        """Where each conversation held was read, by its id: its source's relative path, and its position
        among the source's conversations."""
        return {id(conversation): (source.file.relative, position) for source in self.sources.values()
                for position, conversation in enumerate(source.conversations)}

    def source_of(self, conversation: Conversation) -> Source:
        return self.sources[str(conversation.source)]

    def load(self, conversation: Conversation) -> Conversation:
        """The conversation with its messages (read again from its source when only the outline is held)."""
        if conversation.outline is None:
            return conversation
        content, position = conversation.fingerprint.rsplit(":", 1)
        # One file at a time: an export's conversations come in a row. By path too: two files with the
        # same bytes may read differently (a backrooms log's time is in its name).
        if self._loaded[0] != (content, conversation.source):
            read = read_file(conversation.source, str(conversation.source), self.reading.identity, self.reading.redaction,
                             terms=False)
            self._loaded = ((content, conversation.source), read.conversations)
        return placed(self._loaded[1][int(position)], conversation)

    def complete(self, sketch: Conversation, relative: str) -> tuple[Conversation, str]:
        """A sketched conversation read whole, and its source's record (as a full read would note it).
        Raises SourceError when the transcript cannot be read whole."""
        result = read_file(sketch.source, shown(self.reading.content, relative), self.reading.identity,
                           self.reading.redaction, terms=False)
        if result.format != native.NAME or len(result.conversations) != 1:  # changed to another kind of file
            raise BuildError(f"{sketch.source} changed during the build; build again")
        whole = placed(result.conversations[0], sketch)  # its record's profile is kept for its page
        return whole, record_text(result.format, result.diagnostics, [whole], result.content)

    def take_completions(self, completions: list[tuple[str, str, Diagnostic | None]]) -> bool:
        """Take in what reading sketched transcripts whole gave (by relative path: their record, or the
        problem that kept them from being read); False when one could not be read, so is not in the archive."""
        by_relative = {source.file.relative: source for source in self.sources.values()}
        readable = True
        for relative, record, problem in completions:
            source = by_relative[relative]
            if problem is not None:
                self.sources[source.file.path] = Source(source.file, "", [], [problem])
                readable = False
                continue
            complete = from_record(record, source.file)
            source.conversations[0].outline = complete.conversations[0].outline
            source.diagnostics, source.remembered, source.sketched = complete.diagnostics, record, False
        return readable

    # -- the sources file ------------------------------------------------------------------------

    def remembered(self, state) -> dict[str, "Remembered"]:
        """What the last build (perhaps another process) noted of its sources, by relative path; nothing
        when it was noted under another reading key (another version of Antiphon, other names)."""
        # A build that tries edits in place, and then must place everything, asks twice; read() forgets
        # the answer (the file is megabytes: parsing it, or even hashing it, costs tens of milliseconds).
        signature = state.signature(SOURCES_STATE)
        if signature is None or self._parsed[0] != signature:
            text = state.read(SOURCES_STATE)
            lines = read_lines(text) if text.startswith(f"{_READING}{self.key}\n") else {}
            self._parsed = (signature, lines, inputs_of(text), text.count("\n"))
        _, lines, self.remembered_inputs, self.remembered_lines = self._parsed
        return lines

    def as_noted(self, files: list[SourceFile], state) -> list[SourceFile]:
        """``files``, where one has changed in time only since the last build noted it (a new checkout, a
        copy, a restore from a cache: every file's time is new), with the signature it had then.

        A file's signature is its time and size; one whose size is as noted but whose time is not is read
        (not parsed), and if its bytes are those the record was read from, nothing about it changed. So a
        site restored beside a fresh clone of the archive (the Pages workflow keeps it between runs) is
        rebuilt from where the last build left off, not from nothing."""
        remembered = self.remembered(state)
        return [self._as_noted(file, remembered.get(file.relative)) for file in files] if remembered else files

    def _as_noted(self, file: SourceFile, entry: "Remembered | None") -> SourceFile:
        if (entry is None or entry.signature == file.signature or entry.signature[1] != file.signature[1]
                or not entry.intact()):
            return file
        noted = entry.content
        try:
            same = noted is not None and file_content_key(Path(file.path), self.reading.redaction) == noted
        except OSError:
            return file  # reading it says what is wrong
        return replace(file, signature=entry.signature) if same else file

    def places_noted(self, remembered: dict[str, "Remembered"]) -> tuple[dict, dict]:
        """What the last build noted of where it placed the conversations held (see remembered_places),
        for a build that restored them from ``remembered``."""
        related, list_keys, self._places_before = remembered_places(remembered, self.sources, self.restored)
        return related, list_keys

    def write_remembered(self, state, archive, inputs: str, related_to=lambda conversation: [],
                         list_keys=lambda conversation: ("", "")) -> None:
        """Note what was read and where each conversation was placed (``related_to``: the conversations
        its page lists as related; ``list_keys``: the keys of its card and its row), for the build made
        from ``inputs``."""
        positions = {id(c): position for position, c in enumerate(archive.conversations)}

        def places(source: Source) -> list:
            return [None if (position := positions.get(id(conversation))) is None else
                    place(conversation, *archive.neighbours(position), related_to(conversation), list_keys(conversation))
                    for conversation in source.conversations]

        def line(source: Source, its_places: list) -> str:
            places_text = _compact_json(its_places)
            return source_line(source.file.relative, source.file.signature, places_text, source.record())

        # Never completed sources (cannot happen: each gets a job) are not noted: they are read again.
        noted = sorted((source for source in self.sources.values() if not source.sketched),
                       key=lambda source: line_key(source.file.relative))
        if not self._append_changes(state, inputs, noted, places, line):
            self._write(state, inputs, ((source.file.relative, line(source, places(source))) for source in noted))
        self._places_before = {}  # the file's lines may be others now

    def _append_changes(self, state, inputs: str, noted: list[Source], places, line) -> bool:
        """Append the lines that changed since the file was written (and the build's inputs), rather
        than write megabytes again; False when the file must be written whole: its lines are not
        known, it names a source that has gone, or it would grow past a quarter more than it holds."""
        relatives = {source.file.relative for source in noted}
        if self._noted is None or not relatives.issuperset(self._noted):
            return False
        changed, digests = [], {}
        for source in noted:
            relative = source.file.relative
            its_places = places(source)
            if relative in self._noted and its_places == self._places_before.get(relative):
                digests[relative] = self._noted[relative]  # its line, as restored, says just that
                continue
            text = line(source, its_places)
            digests[relative] = digest = checksum_of(text)
            if self._noted.get(relative) != digest:
                changed.append(text)
            if self.remembered_lines + len(changed) > 1.25 * len(noted) + 100:
                return False
        if changed or inputs != self.remembered_inputs:
            appendix = sources_appendix(inputs, changed)
            state.append(SOURCES_STATE, appendix)
            self.remembered_lines += appendix.count("\n")
            self.remembered_inputs = inputs
        self._noted = digests
        return True

    def note_edits(self, state, remembered: dict[str, "Remembered"], lines: dict[str, str], inputs: str) -> None:
        """Append the edited sources' new lines (or write the file afresh when it has grown long)."""
        self._noted = None  # the lines of what was not edited are not looked at here
        self._places_before = {}
        if self.remembered_lines + len(lines) > 1.25 * len(remembered) + 100:
            self._write(state, inputs, ((relative, lines.get(relative, remembered[relative].line))
                                        for relative in sorted(remembered, key=line_key)))
        else:
            appendix = sources_appendix(inputs, lines.values())
            state.append(SOURCES_STATE, appendix)
            self.remembered_inputs = inputs
            self.remembered_lines += appendix.count("\n")

    def _write(self, state, inputs: str, lines) -> None:
        """Write the sources file from its (relative path, line) pairs in order (unless it already holds
        these bytes)."""
        digests = {}

        def noting(lines):
            for relative, text in lines:
                digests[relative] = checksum_of(text)
                yield text

        self.remembered_lines = state.write_lines(SOURCES_STATE, sources_lines(self.key, inputs, noting(lines)))
        self.remembered_inputs = inputs
        self._noted = digests


def shown(content: Path, relative: str) -> str:
    """A source's path in diagnostics."""
    return f"{content.name}/{relative}"


def placed(full: Conversation, where: Conversation) -> Conversation:
    """``full`` (read again) where the build placed ``where``, its outline or sketch (whose terms it has:
    the same bytes give the same terms)."""
    if full.fingerprint != where.fingerprint:
        raise BuildError(f"{where.source} changed during the build; build again")
    return full.moved(where.slug, where.terms, where.title)


# -- reading sources, in this process or in workers ------------------------------------------------

def read_one(file: SourceFile, reading: Reading, outline: bool) -> Source:
    try:
        result = read_file(Path(file.path), shown(reading.content, file.relative), reading.identity, reading.redaction)
    except SourceError as err:
        return Source(file, "", [], [err.diagnostic])
    # An export holds many conversations: reading it again for each of their pages would cost more
    # than keeping them, so only single-conversation files are reduced to outlines.
    if outline and len(result.conversations) == 1:
        return Source(file, result.format, [result.conversations[0].outlined()], result.diagnostics,
                      content=result.content)
    return Source(file, result.format, result.conversations, result.diagnostics, content=result.content)


def read_sources(files: list[SourceFile], reading: Reading, outline: bool, jobs: int,
                 progress: Counter = ignore) -> list[Source]:
    """Read (and outline) sources, in worker processes when there are many and only outlines are kept.
    Where outlines will do, a native transcript is sketched from its header (its page reads it whole):
    in this process as in the workers, so that no transcript is read twice."""
    if not outline or not can_fork(jobs, len(files)):
        sources = []
        for done, file in enumerate(files, 1):
            sources += _read_chunk([file], reading) if outline else [read_one(file, reading, outline)]
            progress(done, len(files))
        return sources
    return [source for sources in fork_map(_read_chunk, files, jobs, chunk=32, shared=reading, progress=progress)
            for source in sources]


def read_edits(edited: list[SourceFile], reading: Reading, record_before, figures: bool = False) -> list[Source] | None:
    """The edited sources read whole, if they are few and each reads to the outlines (and problems) it
    had before (``record_before(file)``: its record then), or with ``figures`` to outlines that differ
    only in the speakers' figures and the cards' shapes (see same_but_figures); else None."""
    sources = [read_one(file, reading, outline=False) for file in edited[:EDITS_RENDERED_ALONE]]
    alike = (lambda before, now: same_outlines(before, now) or same_but_figures(before, now)) if figures \
        else same_outlines
    if (len(edited) > EDITS_RENDERED_ALONE or sum(len(s.conversations) for s in sources) > EDITS_RENDERED_ALONE
            or not all(alike(record_before(s.file), s.record()) for s in sources)):
        return None
    return sources


def _read_chunk(files: list[SourceFile], reading: Reading) -> list[Source]:
    """Headers only where that will do (see Source.sketched), else outlines, with their records."""
    sources = []
    for file in files:
        source = _sketch_one(file, reading)
        if source is None:
            source = read_one(file, reading, outline=True)
            source.record()  # made here, in parallel, for the sources file
        sources.append(source)
    return sources


def _sketch_one(file: SourceFile, reading: Reading) -> Source | None:
    """A native transcript's header, if it has no problem and is no draft (a draft left out of the
    archive gets no page to complete it); None for anything else."""
    result = read_header_file(Path(file.path), shown(reading.content, file.relative), reading.identity, reading.redaction)
    if result is None or result.diagnostics or result.conversations[0].draft:
        return None
    return Source(file, result.format, result.conversations, [], sketched=True, content=result.content)


def restore(remembered: "Remembered | None", file: SourceFile) -> Source | None:
    """A source as the last build noted it, if the file is unchanged since."""
    if remembered is None or remembered.signature != file.signature or not remembered.intact():
        return None
    return from_record(remembered.record, file)


def from_record(record: str, file: SourceFile) -> Source | None:
    """A source (its conversations' outlines) from its record, as this code wrote it (a line of the sources
    file whose checksum holds, or a record just made); None if it is unreadable even so."""
    try:
        data = json.loads(record)
        source = Path(file.path)
        return Source(file, data["format"], [conversation_from(c, source) for c in data["conversations"]],
                      [Diagnostic(*d) for d in data["diagnostics"]], remembered=record,
                      content=data.get("content", ""))  # a record made by hand may name no key
    except (KeyError, TypeError, ValueError):
        return None


# -- the sources file's lines ------------------------------------------------------------------------

class Remembered(NamedTuple):
    """One source as the last build wrote it down (its places and record split off when asked for)."""
    relative: str
    signature: tuple[int, int]
    line: str

    @property
    def places_text(self) -> str:
        return self.line.split("\t", 4)[2]

    @property
    def places(self) -> list:
        return json.loads(self.places_text)

    @property
    def record(self) -> str:
        return self.line.split("\t", 4)[3]

    @property
    def checksum(self) -> str:
        return checksum_of(self.line)

    @property
    def content(self) -> str | None:
        """The key of the bytes its record was read from (readers.content_key), if it names one (a file
        that could not be read does not)."""
        found = _CONTENT.match(self.record)  # the record's first key (see record_text)
        return found.group(1) if found else None

    def intact(self) -> bool:
        """Is the line as written (by this version: the file's reading key says so)?"""
        checksum = self.checksum
        return _checksum(self.line[:len(self.line) - len(checksum) - 1]) == checksum


def sources_lines(key: str, inputs: str, lines):
    """The whole file, line by line: the reading key, the sources' lines, and the build made from
    ``inputs`` ("" after errors: then it names no build). A rebuild that changes a few sources appends
    their new lines and a new last line: a later line for a path stands for it."""
    yield f"{_READING}{key}\n"
    for line in lines:
        yield line + "\n"
    yield f"{_LAST}{inputs}\n"


def line_key(relative: str) -> str:
    """Where a source's line goes in the file: lines are in the order of their text, which begins so."""
    return _quoted(relative)


def sources_appendix(inputs: str, lines) -> str:
    """What to append to the file for a build that changed ``lines`` only."""
    return "".join(line + "\n" for line in lines) + f"{_LAST}{inputs}\n"


def inputs_of(text: str) -> str:
    """The inputs digest of the build the file was written for ("" when it names none)."""
    last = text[text.rfind("\n", 0, len(text) - 1) + 1:]
    return last[len(_LAST):-1] if last.startswith(_LAST) and last.endswith("\n") else ""


def source_line(relative: str, signature: tuple[int, int], places: str, record: str) -> str:
    """The line, ended by a checksum of the rest: a line that checks is one this code wrote (a record is
    trusted whole, not checked field by field), and the next build compares lines by their checksums."""
    line = f"{_quoted(relative)}\t{signature[0]}:{signature[1]}\t{places}\t{record}"
    return f"{line}\t{_checksum(line)}"


def _checksum(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def checksum_of(line: str) -> str:
    """The checksum a line of the sources file ends in (see source_line)."""
    return line[line.rfind("\t") + 1:]


def read_lines(text: str) -> dict[str, Remembered]:
    """The remembered sources by relative path (the last line for each); other lines are left out."""
    remembered = {}
    for line in text.split("\n"):  # not splitlines(): a title may hold U+2028, which JSON leaves as it is
        try:
            relative, signature, rest = line.split("\t", 2)
            mtime, size = signature.split(":")
            if "\t" not in rest:
                continue
            # JSON-encoded; only a path with a backslash, quote or control character needs decoding.
            relative = json.loads(relative) if "\\" in relative else relative[1:-1]
            remembered[relative] = Remembered(relative, (int(mtime), int(size)), line)
        except ValueError:
            continue
    return remembered


def record_text(format: str, diagnostics: list[Diagnostic], conversations: list[Conversation], content: str) -> str:
    """``content``: the key of the bytes read (first in the record, by the sorted keys: see Remembered.content)."""
    return json.dumps({"content": content, "format": format,
                       "diagnostics": [[d.path, d.line, d.level, d.message] for d in diagnostics],
                       "conversations": [conversation_record(c) for c in conversations]},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def same_outlines(record: str, other: str) -> bool:
    """Do two records list the same problems and outlines, whatever the conversations' messages say?

    The fingerprints (and the key of the bytes) digest the messages; everything else in a record is what
    lists and slugs are made from.
    """
    def without_fingerprints(text: str):
        data = json.loads(text)
        data.pop("content", None)
        for conversation in data["conversations"]:
            conversation.pop("fingerprint", None)
        return data
    try:
        return without_fingerprints(record) == without_fingerprints(other)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


# The parts of a profile's record that only the speakers' figures and the index's card show: the
# speakers (with the words each said), the card's bars, the most used words.
_WORDS_SAID, _BARS, _MOST_USED = 5, 6, 7


def same_but_figures(record: str, other: str) -> bool:
    """Do two records differ at most in how many words each speaker said, which words they used most
    and the card's small shape, and not in what a row of a list shows? Such an edit changes the
    speakers' pages (their figures) and the index's card, not the other lists the conversation is on.
    """
    def parts(text: str):
        data = json.loads(text)
        data.pop("content", None)
        profiles = []
        for conversation in data["conversations"]:
            conversation.pop("fingerprint", None)
            profile = conversation.pop("profile")
            profiles.append(profile)
        return data, profiles

    try:
        (data, profiles), (other_data, other_profiles) = parts(record), parts(other)
        if data != other_data or len(profiles) != len(other_profiles):
            return False
        for profile, other_profile in zip(profiles, other_profiles):
            if (profile is None) != (other_profile is None):
                return False
            if profile is None:
                continue
            kept = [part for n, part in enumerate(profile) if n not in (_WORDS_SAID, _BARS, _MOST_USED)]
            other_kept = [part for n, part in enumerate(other_profile) if n not in (_WORDS_SAID, _BARS, _MOST_USED)]
            speakers = [(name, messages) for name, messages, _ in profile[_WORDS_SAID]]
            other_speakers = [(name, messages) for name, messages, _ in other_profile[_WORDS_SAID]]
            if kept != other_kept or speakers != other_speakers:
                return False
        return True
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def place(conversation: Conversation, older, newer, related=(), list_keys: tuple[str, str] = ("", "")) -> list:
    """Where a conversation is: its slug and title, its neighbours' and those of the conversations its
    page lists as related (see Neighbour), and the keys of its card and its row there (keys.card, keys.row)."""
    return [conversation.slug, conversation.title,
            [older.slug, older.title] if older else None, [newer.slug, newer.title] if newer else None,
            [[other.slug, other.title] for other in related], *list_keys]


def neighbour_from(part: list | None) -> Neighbour | None:
    return Neighbour(*part) if part else None


def remembered_places(remembered: dict[str, Remembered], sources: dict[str, Source],
                      restored: set[str]) -> tuple[dict, dict, dict]:
    """What the last build noted of where it placed the conversations of ``sources``: the related lists
    by slug, the keys of cards and rows by (fingerprint, slug, title shown) of the conversations of the
    sources it read as they are now (they follow from what was read, the slug and the title: keys.card),
    and the places noted for each of the ``restored`` sources, by relative path, as read.
    Only from lines whose checksum holds (those of ``restored`` sources were checked when restored)."""
    related, list_keys, places = {}, {}, {}
    for source in sources.values():
        entry = remembered.get(source.file.relative)
        if entry is None or (source.file.relative not in restored and not entry.intact()):
            continue
        unchanged = entry.signature == source.file.signature
        noted = entry.places
        if source.file.relative in restored:
            places[source.file.relative] = noted
        for conversation, where in zip(source.conversations, noted):
            if where is None:
                continue
            related[where[0]] = related_from(where)
            if unchanged and len(where) > 6 and where[5] and where[6] and conversation.fingerprint:
                list_keys[(conversation.fingerprint, where[0], where[1])] = (where[5], where[6])
    return related, list_keys, places


def related_from(where: list) -> list[Neighbour]:
    """The related conversations a place names (none in places noted before they were)."""
    return [Neighbour(*part) for part in where[4]] if len(where) > 4 else []


def conversation_record(conversation: Conversation) -> dict:
    outline = conversation.outline or conversation.outlined().outline
    return {
        "title": conversation.read_title, "participants": conversation.participants,
        "started": _when(conversation.started), "ended": _when(conversation.ended),
        "tags": conversation.tags, "summary": conversation.summary, "draft": conversation.draft,
        "metadata": conversation.metadata, "fingerprint": conversation.fingerprint, "slug_base": conversation.slug_base,
        "terms": conversation.terms,
        "speakers": list(outline.speakers), "count": outline.message_count, "opening": list(outline.opening),
        "profile": outline.profile.record() if outline.profile is not None else None,
    }


def conversation_from(record: dict, source: Path) -> Conversation:
    return Conversation(
        title=record["title"], messages=[], source=source, participants=list(record["participants"]),
        started=_parse(record["started"]), ended=_parse(record["ended"]), tags=list(record["tags"]),
        summary=record["summary"], draft=record["draft"], metadata=dict(record["metadata"]),
        fingerprint=record["fingerprint"], slug_base=record.get("slug_base", ""), terms=record.get("terms", ""),
        outline=Outline(tuple(record["speakers"]), record["count"], tuple(record["opening"]),
                        Profile.from_record(record["profile"]) if record.get("profile") else None))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
