"""Build orchestration: read every source, build the archive, render each page, write it.

    discover -> read (readers/) -> archive -> pages.py -> theme -> output

A :class:`Builder` keeps what it read between builds (the preview server keeps
one alive), so a rebuild re-reads only files whose size or mtime changed and
renders only pages whose inputs changed. A file that fails to read is reported
and left out; the rest of the site is still built. The result says what
happened; callers decide the exit status.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, NamedTuple

import generator
from generator import cache, feeds
from generator.archive import Archive, build_archive, drop_duplicates
from generator.config import Config, options
from generator.diagnostics import Diagnostic, SourceError
from generator.identity import Identity
from generator.model import Conversation
from generator.output import OutputError, OutputFolder, check_output_folder, digest
from generator.pages import Views, conversation_files, conversation_files_key, conversation_url
from generator.readers import native, read_file, read_header_file
from generator.render import MessageRenderer
from generator.render.highlight import stylesheet
from generator.search import BUNDLE, SearchError, index_site
from generator.sources import ContentError, Exclusions, SourceFile, discover
from generator.theme import Theme
from generator.workers import ConversationJob, ListingJob, can_fork, fork_map, render_conversation, render_pages

SEARCH_FOLDER = BUNDLE + "/"
SOURCES_STATE = ".antiphon-sources.tsv"  # what the last build read (see generator/cache.py)
# A fresh process renders up to this many edited conversations alone; more go through a full build (in parallel).
EDITS_RENDERED_ALONE = 32
# Pagefind's own search UIs: the theme has its own, so these are not published.
_UNUSED_BUNDLE_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


@dataclass
class BuildResult:
    conversations: int = 0
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    search_seconds: float = 0.0
    committed: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # seconds by phase: reading, rendering, writing, search

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "note"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class BuildError(Exception):
    """The build cannot start (bad content folder, unsafe output folder, missing theme)."""


class Reading(NamedTuple):
    """What reading a source needs besides the file: where the content folder is, and the site's names."""
    content: Path
    identity: Identity


@dataclass
class _Source:
    file: SourceFile  # as it was when read
    format: str  # the reader that read it ("" when none claimed it)
    conversations: list[Conversation]
    diagnostics: list[Diagnostic]
    remembered: str = ""  # what was read, as the record of the sources file (made once; see generator/cache.py)
    # Only the header was read (a native transcript, read in bulk): enough to place the conversation
    # in the archive. Rendering its page reads it whole and completes it (Builder.complete).
    sketched: bool = False

    def record(self) -> str:
        if not self.remembered:
            self.remembered = cache.record_text(self.format, self.diagnostics, self.conversations)
        return self.remembered


class Builder:
    """Builds one config's site, as often as asked, reusing what has not changed."""

    def __init__(self, config: Config, include_drafts: bool = False, jobs: int = 1, keep_messages: bool = False):
        """``keep_messages``: hold every conversation's messages between builds (the preview server,
        for fast rebuilds); otherwise only outlines are held and messages are read when a page needs them."""
        self.config = config
        self.include_drafts = include_drafts
        self.keep_messages = keep_messages
        self._sources: dict[str, _Source] = {}
        self._summaries: dict = {}
        self._renderer = MessageRenderer(verse=config.line_breaks == "verse", drawn=config.drawn_text)
        self._reading = Reading(config.content_path, Identity.of(config))
        self._output: OutputFolder | None = None  # kept: it remembers what the last build wrote
        self._loaded: tuple[tuple, list[Conversation]] = ((), [])  # the source file last read again by load()
        self._committed_errors: set[Diagnostic] = set()  # of the last committed build
        self._remembered = ""  # the sources file as last read or written
        self._inputs = ""  # what the last committed build was made from (see _note_build), "" after errors
        self._archive: Archive | None = None  # the last build's (remember_sources() notes where it placed each conversation)
        self.jobs = jobs

        self._theme: Theme | None = None
        self._theme_files: tuple = ()
        self._salt = ""

    def build(self, keep_on_error: bool = False, search: bool = True) -> BuildResult:
        """Build; with ``keep_on_error`` a build with errors writes nothing (the preview keeps the last good site).

        ``search=False`` leaves the search index for a later :meth:`update_search` (the preview
        server reloads pages first and re-indexes when the user pauses).
        """
        started = time.perf_counter()
        out = self._output_folder()
        try:
            with out.locked():
                # Reading and looking up what was built before makes many lasting objects and little garbage:
                # the cyclic collector would only scan them again and again. It resumes for rendering.
                gc.disable()
                try:
                    result = self._build(keep_on_error)
                finally:
                    gc.enable()
                if search and result.committed:
                    self._update_search(result)
        except OutputError as err:
            raise BuildError(str(err)) from None
        except OSError as err:  # a full disk, a folder that cannot be written: what was staged is gone
            raise BuildError(f"cannot write the site to {self.config.output_path}: "
                             f"{err.strerror or err} ({err.filename or ''}); the last site built is as it was") from None
        result.seconds = time.perf_counter() - started
        return result

    def _output_folder(self) -> OutputFolder:
        """The output folder, once it is known to be safe to write to."""
        if self._output is None:
            config = self.config
            theme, _ = self._current_theme()
            try:
                check_output_folder(config.output_path, {"the project folder": config.root,
                                                         "the content folder": config.content_path,
                                                         "the theme folder": theme.path})
                self._output = OutputFolder(config.output_path)
            except (OutputError, OSError) as err:
                raise BuildError(str(err)) from None
        return self._output

    def _build(self, keep_on_error: bool) -> BuildResult:
        config = self.config
        theme, salt = self._current_theme()
        content, output = config.content_path, config.output_path
        try:
            check_output_folder(output, {"the project folder": config.root, "the content folder": content,
                                         "the theme folder": theme.path})
        except Exception as err:
            raise BuildError(str(err)) from None

        try:
            found = discover(content, Exclusions(config.exclude, content), config.follow_symlinks)
        except ContentError as err:
            raise BuildError(str(err)) from None
        files = found.files
        out = self._output
        inputs = digest(salt, repr(self.include_drafts), repr([(f.relative, f.signature) for f in files]))
        shortcut = self._shortcut(out, theme, salt, files, inputs, keep_on_error)
        if shortcut is not None:
            return shortcut
        self._inputs = ""  # until this build is committed
        reading = time.perf_counter()
        conversations, duplicates = drop_duplicates(self._read(files), content)
        archive = self._archive = build_archive(conversations, content)
        timings = {"reading": time.perf_counter() - reading}
        # What is read stays for the whole build: keep the cyclic collector from scanning it again
        # and again (hundreds of ms at 5,000 transcripts), while it frees the templates' garbage.
        gc.freeze()
        gc.enable()
        views = Views(archive, config, self._renderer, self._summaries)
        out.begin(salt)
        result = BuildResult(conversations=len(archive.conversations), timings=timings)
        rendering = time.perf_counter()
        try:
            # Conversation pages first: making them completes the sketched conversations, whose
            # speakers, counts and openings the lists (and the archive's groups) are made from.
            problems, completions = render_pages(views, theme, out, [], self._conversation_work(out, views),
                                                 self.jobs, self)
            if not self._complete(completions):
                out.rollback()  # a sketched transcript could not be read whole: place the rest without it
                return self._build(keep_on_error)
            listings = list(_pages(views))
            work = [ListingJob(position) for position, page in enumerate(listings)
                    if not out.up_to_date(page.file, page.key)]
            problems += render_pages(views, theme, out, listings, work, self.jobs, self)[0]
            page_paths = [page.path for page in listings] + [conversation_url(c) for c in archive.conversations]
            result.pages = len(page_paths) - len(problems)
            result.diagnostics = (found.notes + [d for file in files for d in self._sources[file.path].diagnostics]
                                  + duplicates + problems)
            _write_assets(out, theme, config)
            _write_publishing_files(out, views, config, page_paths)
            timings["rendering"] = time.perf_counter() - rendering
            writing = time.perf_counter()
            if keep_on_error and self._new_errors(result):
                out.rollback()
                result.committed = False
            else:
                # The index is updated on its own (and goes, with the search page, when search is turned off).
                out.carry_over(lambda path: config.search and path.startswith(SEARCH_FOLDER))
                committed = inputs if not result.errors else ""
                if not self.keep_messages:  # the preview server notes them when the user pauses
                    self.remember_sources(committed)
                _note_build(out, committed, self.include_drafts, result)
                result.removed = out.commit()
                self._inputs = committed
                self._committed_errors = set(result.errors)
                result.written = out.changed
            timings["writing"] = time.perf_counter() - writing
        except BaseException:
            out.rollback()
            raise
        self._forget_stale_summaries(archive.conversations)
        result.diagnostics.sort()
        return result

    def _shortcut(self, out: OutputFolder, theme: Theme, salt: str, files: list[SourceFile], inputs: str,
                  keep_on_error: bool) -> BuildResult | None:
        """The result of a build that need not read and place everything again, or None. Three cases:

        - a new process, and nothing changed since the last build: its result, once its files are checked;
        - a new process, and the edits change nothing lists show: those pages only (_rebuild_edited);
        - a builder that holds the archive (the preview server), likewise (_rebuild_held).
        """
        last = self._last_build(out)
        if last is not None and last["inputs"] == inputs:
            return _result_of(last) if out.intact(salt) else None
        if last is not None:
            intact = out.intact_later(salt)
            try:
                return self._rebuild_edited(out, theme, files, last, inputs, intact)
            finally:
                intact()  # the answer, or the child reaped
        if self._sources and self._inputs and out.made_with(salt):
            return self._rebuild_held(out, theme, files, inputs, keep_on_error)
        return None

    def _last_build(self, out: OutputFolder) -> dict | None:
        """What the last build noted, when it had no errors and used the same drafts setting.

        Lets a fresh process (``antiphon build`` run again) skip reading thousands of unchanged
        transcripts. A long-lived builder (the preview server) has them in memory and checks pages instead.
        """
        if self._sources or self.keep_messages:
            return None
        try:
            last = json.loads(out.notes.get("build", ""))
        except ValueError:
            return None
        if not isinstance(last, dict) or not last.get("inputs") or last.get("drafts") != self.include_drafts:
            return None
        return last

    def _rebuild_edited(self, out: OutputFolder, theme: Theme, files: list[SourceFile], last: dict,
                        inputs: str, intact: Callable[[], bool]) -> BuildResult | None:
        """Render only the edited conversations, when the edits change nothing that lists show.

        If the same files are there and each edited one reads to the same outlines as before
        (an edit past the openings of its messages), the archive (order, slugs, lists, feeds)
        is the one the last build made: its pages stay, and the edited conversations are
        rendered where it placed them. None when that does not hold, or when the last build's
        files are not ``intact()``: then a full build.
        """
        remembered = self._remembered_sources()
        if (cache.inputs_of(self._remembered) != last["inputs"]  # noted for another build (one never committed)
                or len(remembered) != len(files) or any(file.relative not in remembered for file in files)):
            return None
        edited = [file for file in files if remembered[file.relative].signature != file.signature]
        sources = _read_edits(edited, self._reading, lambda file: remembered[file.relative].record)
        if sources is None:
            return None
        views = Views(Archive([]), self.config, self._renderer, self._summaries)
        result = _result_of(last)
        self._inputs = ""  # until this build is committed
        out.begin(self._salt)
        try:
            lines = {}
            for source in sources:
                frames = remembered[source.file.relative].frames
                placed = []
                for conversation, place in zip(source.conversations, json.loads(frames)):
                    if place is not None:  # else a draft the build leaves out
                        conversation.slug = place[0]
                        placed.append((conversation, cache.neighbour_from(place[1]), cache.neighbour_from(place[2])))
                _render_placed(out, theme, views, source, placed, result)
                lines[source.file.relative] = cache.source_line(source.file.relative, source.file.signature, frames,
                                                                source.record())
            if not intact():
                out.rollback()
                return None
            return self._commit_in_place(out, inputs, result,
                                         lambda committed: self._note_edited_sources(remembered, lines, committed))
        except BaseException:
            out.rollback()
            raise

    def _note_edited_sources(self, remembered: dict[str, cache.Remembered], lines: dict[str, str], inputs: str) -> None:
        """Append the edited sources' new lines to the sources file (or write it afresh when it has grown long)."""
        if self._remembered.count("\n") + len(lines) > 1.25 * len(remembered) + 100:
            self._write_sources_file(cache.sources_text(
                inputs, [lines.get(relative, entry.line) for relative, entry in remembered.items()]))
        else:
            appendix = cache.sources_appendix(inputs, lines.values())
            self._output.append_state(SOURCES_STATE, appendix)
            self._remembered += appendix

    def _rebuild_held(self, out: OutputFolder, theme: Theme, files: list[SourceFile], inputs: str,
                      keep_on_error: bool) -> BuildResult | None:
        """The preview server's rebuild of edits that change nothing lists show (see _rebuild_edited):
        the edited conversations take the places of the ones they replace in the archive it holds,
        and only their pages are rendered. None when that does not hold: then a full build.

        Only after a build that was committed without errors (``self._inputs``), so the archive
        held is the one the output folder shows.
        """
        held = self._sources
        if len(files) != len(held) or any(file.path not in held for file in files):
            return None
        edited = [file for file in files if held[file.path].file != file]
        fresh = _read_edits(edited, self._reading, lambda file: held[file.path].record())
        if fresh is None:
            return None
        positions = {id(c): position for position, c in enumerate(self._archive.conversations)}
        conversations = list(self._archive.conversations)
        replaced = []
        for source in fresh:
            full = source.conversations
            if not self.keep_messages:  # held as outlines; the pages are made from the messages just read
                source.conversations = [c.outlined() for c in full]
            for old, new, whole in zip(held[source.file.path].conversations, source.conversations, full):
                if id(old) in positions:  # else a draft the build leaves out
                    new.slug = whole.slug = old.slug
                    conversations[positions[id(old)]] = new
                    replaced.append((source, positions[id(old)], whole))
        archive = Archive(conversations)
        views = Views(archive, self.config, self._renderer, self._summaries)
        result = _result_of(json.loads(out.notes["build"]))
        self._inputs = ""  # until this build is committed
        out.begin(self._salt)
        try:
            for source, position, whole in replaced:
                _render_placed(out, theme, views, source, [(whole, *archive.neighbours(position))], result)
            if keep_on_error and self._new_errors(result):
                out.rollback()
                result.committed = False
                return result
            self._sources = {**held, **{source.file.path: source for source in fresh}}
            self._archive = archive
            return self._commit_in_place(out, inputs, result, lambda committed: None)
        except BaseException:
            out.rollback()
            raise

    def _new_errors(self, result: BuildResult) -> bool:
        """Errors the last committed build did not have (a file that would not read then is no news)."""
        return bool(set(result.errors) - self._committed_errors)

    def _commit_in_place(self, out: OutputFolder, inputs: str, result: BuildResult, note_sources) -> BuildResult:
        """Commit a build that made only some conversations' files: every other file stays as it is."""
        out.carry_over(lambda path: True)
        committed = inputs if not result.errors else ""
        note_sources(committed)
        _note_build(out, committed, self.include_drafts, result)
        result.removed = out.commit()
        self._inputs = committed
        self._committed_errors = set(result.errors)
        result.written = out.changed
        result.diagnostics.sort()
        return result

    def _conversation_work(self, out: OutputFolder, views: Views) -> list[ConversationJob]:
        """What must be made of each conversation (an export's conversations together)."""
        work = []
        for position in range(len(views.archive.conversations)):
            job = self._conversation_job(out, views, position)
            if job.page or job.files or job.sketched:
                work.append(job)
        work.sort(key=lambda job: (job.source, job.position))
        return work

    def _complete(self, completions: list[tuple[str, str, Diagnostic | None]]) -> bool:
        """Take in what reading sketched transcripts whole gave (by relative path: their record, or the
        problem that kept them from being read); False when one could not be read, so is not in the archive."""
        by_relative = {source.file.relative: source for source in self._sources.values()}
        readable = True
        for relative, record, problem in completions:
            source = by_relative[relative]
            if problem is not None:
                self._sources[source.file.path] = _Source(source.file, "", [], [problem])
                readable = False
                continue
            complete = _from_record(record, source.file)
            source.conversations[0].outline = complete.conversations[0].outline
            source.diagnostics, source.remembered, source.sketched = complete.diagnostics, record, False
        return readable

    def _conversation_job(self, out: OutputFolder, views: Views, position: int) -> "ConversationJob":
        """What of a conversation's outputs must be made again (nothing, when its inputs are unchanged)."""
        conversation = views.archive.conversations[position]
        source = self.source_of(conversation)
        page = views.conversation_page(position)
        url = conversation_url(conversation)
        files_key = conversation_files_key(conversation, source.file.relative)
        files = [name for name in conversation_files(conversation) if not out.up_to_date(url + name, files_key)]
        return ConversationJob(position, not out.up_to_date(page.file, page.key), files, files_key,
                               source.file.relative, source.format == native.NAME, source.sketched)

    def update_search(self, result: BuildResult | None = None) -> BuildResult:
        """Re-index the site for search if its pages changed (or the index is missing)."""
        if self._output is None:
            return result or BuildResult()
        try:
            with self._output.locked():
                return self._update_search(result)
        except OutputError as err:
            raise BuildError(str(err)) from None

    def _update_search(self, result: BuildResult | None = None) -> BuildResult:
        result = result or BuildResult()
        out = self._output
        if out is None or not self.config.search:
            return result
        # The index is current when it was made from exactly the conversation pages there are now.
        pages = out.digest_of(lambda path: path.startswith("c/") and path.endswith(".html"))
        if out.notes.get("search") == pages and out.has(SEARCH_FOLDER + "pagefind-entry.json"):
            return result
        started = time.perf_counter()
        out.begin(self._salt)
        out.carry_over(lambda path: not path.startswith(SEARCH_FOLDER))
        try:
            files = index_site(out.root)
        except SearchError as err:
            out.carry_over(lambda path: True)
            out.commit()
            result.diagnostics.append(Diagnostic("search", 0, "error", str(err)))
            return result
        for name, data in files.items():
            if not name.startswith(_UNUSED_BUNDLE_FILES):
                out.write(SEARCH_FOLDER + name, data)
        out.notes["search"] = pages
        result.removed += out.commit()
        result.written += out.changed
        result.search_seconds = time.perf_counter() - started
        result.timings["search"] = result.search_seconds
        return result

    def _current_theme(self) -> tuple[Theme, str]:
        """The theme, reloaded (templates recompiled, salt recomputed) only when one of its files changed."""
        try:
            if self._theme is None:
                self._theme = Theme(self.config.theme, self.config.root)
            files = _file_signatures(self._theme.watched_paths())
            if files != self._theme_files:
                self._theme = Theme(self.config.theme, self.config.root)
                self._theme_files = _file_signatures(self._theme.watched_paths())
                self._salt = _fingerprint(self.config, self._theme)
        except Exception as err:
            raise BuildError(str(err)) from None
        return self._theme, self._salt

    def _read(self, files: list[SourceFile]) -> list[Conversation]:
        """Every conversation in ``files`` (its outline), re-reading only files whose mtime or size changed."""
        current: dict[str, _Source] = {}
        remembered = self._remembered_sources() if not self._sources else {}
        for file in files:
            source = self._sources.get(file.path)
            if source is None or source.file != file:
                source = _restore(remembered.get(file.relative), file)
            if source is not None:
                current[file.path] = source
        fresh = [file for file in files if file.path not in current]
        for source in _read_sources(fresh, self._reading, outline=not self.keep_messages, jobs=self.jobs):
            current[source.file.path] = source
        self._sources = current
        return [c for file in files for c in current[file.path].conversations if self.include_drafts or not c.draft]

    def _remembered_sources(self) -> dict[str, cache.Remembered]:
        """What the last build (perhaps another process) noted of its sources, by relative path."""
        if self._output is None:
            return {}
        self._remembered = self._output.read_state(SOURCES_STATE)
        return cache.read_lines(self._remembered)

    def remember_sources(self, inputs: str | None = None) -> None:
        """Write down what was read and where the pages went, so that the next build (perhaps in a
        new process) need not read it again; ``inputs``: of the build being committed (else the last)."""
        if self._output is None or not self._sources or self._archive is None:
            return
        positions = {id(c): position for position, c in enumerate(self._archive.conversations)}
        lines = []
        for source in self._sources.values():
            if source.sketched:  # never completed (cannot happen: each gets a job), so not noted: read again
                continue
            frames = []
            for conversation in source.conversations:
                position = positions.get(id(conversation))
                frames.append(None if position is None else
                              cache.frame(conversation.slug, *self._archive.neighbours(position)))
            frames_text = json.dumps(frames, ensure_ascii=False, separators=(",", ":"))
            lines.append(cache.source_line(source.file.relative, source.file.signature, frames_text, source.record()))
        self._write_sources_file(cache.sources_text(self._inputs if inputs is None else inputs, lines))

    def _write_sources_file(self, text: str) -> None:
        if text != self._remembered:
            self._output.write_state(SOURCES_STATE, text)
            self._remembered = text

    def load(self, conversation: Conversation) -> Conversation:
        """The conversation with its messages (read again from its source when only the outline is held)."""
        if conversation.outline is None:
            return conversation
        content, position = conversation.fingerprint.rsplit(":", 1)
        # One file at a time: an export's conversations come in a row. By path too: two files with the
        # same bytes may read differently (a backrooms log's time is in its name).
        if self._loaded[0] != (content, conversation.source):
            self._loaded = ((content, conversation.source),
                            read_file(conversation.source, str(conversation.source), self._reading.identity).conversations)
        return _placed(self._loaded[1][int(position)], conversation)

    def complete(self, sketch: Conversation, relative: str) -> tuple[Conversation, str]:
        """A sketched conversation read whole, and its source's record (as a full read would note it).
        Raises SourceError when the transcript cannot be read whole."""
        result = read_file(sketch.source, _shown(self.config.content_path, relative), self._reading.identity)
        if result.format != native.NAME or len(result.conversations) != 1:  # changed to another kind of file
            raise BuildError(f"{sketch.source} changed during the build; build again")
        record = cache.record_text(result.format, result.diagnostics, result.conversations)
        return _placed(result.conversations[0], sketch), record

    def source_of(self, conversation: Conversation) -> _Source:
        return self._sources[str(conversation.source)]

    def _forget_stale_summaries(self, conversations: list[Conversation]) -> None:
        if len(self._summaries) > 4 * len(conversations) + 100:  # a summary and a card key each
            self._summaries.clear()


def build(config: Config, include_drafts: bool = False, jobs: int = 1) -> BuildResult:
    """One build (the ``antiphon build`` command)."""
    return Builder(config, include_drafts, jobs).build()


def _shown(content: Path, relative: str) -> str:
    """A source's path in diagnostics."""
    return f"{content.name}/{relative}"


def _placed(full: Conversation, placed: Conversation) -> Conversation:
    """``full`` (read again) where the build placed ``placed``, its outline or sketch."""
    if full.fingerprint != placed.fingerprint:
        raise BuildError(f"{placed.source} changed during the build; build again")
    return replace(full, slug=placed.slug)


def _read_one(file: SourceFile, reading: Reading, outline: bool) -> _Source:
    shown = _shown(reading.content, file.relative)
    try:
        result = read_file(Path(file.path), shown, reading.identity)
    except SourceError as err:
        return _Source(file, "", [], [err.diagnostic])
    # An export holds many conversations: reading it again for each of their pages would cost more
    # than keeping them, so only single-conversation files are reduced to outlines.
    if outline and len(result.conversations) == 1:
        return _Source(file, result.format, [result.conversations[0].outlined()], result.diagnostics)
    return _Source(file, result.format, result.conversations, result.diagnostics)


def _read_sources(files: list[SourceFile], reading: Reading, outline: bool, jobs: int) -> list[_Source]:
    """Read (and outline) sources, in worker processes when there are many and only outlines are kept."""
    if not outline or not can_fork(jobs, len(files)):
        return [_read_one(file, reading, outline) for file in files]
    return [source for sources in fork_map(_read_chunk, files, jobs, chunk=32, shared=reading) for source in sources]


def _read_edits(edited: list[SourceFile], reading: Reading, record_before) -> list[_Source] | None:
    """The edited sources read whole, if they are few and each reads to the outlines (and problems) it
    had before (``record_before(file)``: its record then); else None."""
    sources = [_read_one(file, reading, outline=False) for file in edited[:EDITS_RENDERED_ALONE]]
    if (len(edited) > EDITS_RENDERED_ALONE or sum(len(s.conversations) for s in sources) > EDITS_RENDERED_ALONE
            or not all(cache.same_outlines(record_before(s.file), s.record()) for s in sources)):
        return None
    return sources


def _read_chunk(files: list[SourceFile], reading: Reading) -> list[_Source]:
    """Headers only where that will do (see _Source.sketched), else outlines, with their records."""
    sources = []
    for file in files:
        source = _sketch_one(file, reading)
        if source is None:
            source = _read_one(file, reading, outline=True)
            source.record()  # made here, in parallel, for remember_sources()
        sources.append(source)
    return sources


def _sketch_one(file: SourceFile, reading: Reading) -> _Source | None:
    """A native transcript's header, if it has no problem and is no draft (a draft left out of the
    archive gets no page to complete it); None for anything else."""
    result = read_header_file(Path(file.path), _shown(reading.content, file.relative), reading.identity)
    if result is None or result.diagnostics or result.conversations[0].draft:
        return None
    return _Source(file, result.format, result.conversations, [], sketched=True)


def _restore(remembered: cache.Remembered | None, file: SourceFile) -> _Source | None:
    """A source as the last build noted it, if the file is unchanged since."""
    if remembered is None or remembered.signature != file.signature:
        return None
    return _from_record(remembered.record, file)


def _from_record(record: str, file: SourceFile) -> _Source | None:
    """A source (its conversations' outlines) from its record in the sources file; None if it is unreadable."""
    try:
        data = json.loads(record)
        source = Path(file.path)
        return _Source(file, data["format"], [cache.conversation_from(c, source) for c in data["conversations"]],
                       [cache.diagnostic_from(d) for d in data["diagnostics"]], remembered=record)
    except (KeyError, TypeError, ValueError):
        return None


def _render_placed(out: OutputFolder, theme: Theme, views: Views, source: _Source,
                   placed: list[tuple[Conversation, Conversation | None, Conversation | None]], result: BuildResult):
    """Render the pages and files of ``source``'s conversations, each between its older and newer neighbour."""
    for conversation, older, newer in placed:
        page = views.page_between(conversation, older, newer)
        outputs, problems = render_conversation(theme, page, conversation, source.file.relative,
                                                source.format == native.NAME)
        result.diagnostics += problems
        result.pages -= len(problems)
        for site_path, data, key in outputs:
            out.write(site_path, data, key)


def _result_of(last: dict) -> BuildResult:
    """The result the last build reported (its warnings stand as long as its sources do)."""
    warnings = [Diagnostic(*problem) for problem in last.get("problems", [])]
    return BuildResult(conversations=last["conversations"], pages=last["pages"], diagnostics=warnings)


def _note_build(out: OutputFolder, inputs: str, include_drafts: bool, result: BuildResult) -> None:
    """Note what the build was made from (``inputs``: "" after errors) and what it reported, for the next build."""
    out.notes["build"] = json.dumps({
        "inputs": inputs, "drafts": include_drafts, "conversations": result.conversations,
        "pages": result.pages, "problems": [[d.path, d.line, d.level, d.message] for d in result.diagnostics
                                            if d.level != "error"]})


def _fingerprint(config: Config, theme: Theme) -> str:
    """Changes whenever the code, the theme's files or the config change: then every page is stale."""
    settings = {option.name: getattr(config, option.name) for option in options()
                if option.name not in ("content_dir", "output_dir")}  # where, not what
    hasher = hashlib.sha1(f"{generator.__version__}\x00{settings!r}\x00{_code_digest()}".encode("utf-8"))
    for folder in theme.watched_paths():
        for path in _files(folder):
            hasher.update(path.relative_to(folder).as_posix().encode("utf-8"))
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


@functools.cache
def _code_digest() -> str:
    """Antiphon's own source: a new version of the code may render differently."""
    package = Path(generator.__file__).parent
    hasher = hashlib.sha1()
    for path in _files(package):
        hasher.update(path.relative_to(package).as_posix().encode("utf-8"))
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts)


def _file_signatures(folders: list[Path]) -> tuple:
    signatures = []
    for folder in folders:
        for path in _files(folder):
            stat = path.stat()
            signatures.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signatures)


def _pages(views: Views):
    yield from views.index_pages()
    yield from views.tag_pages()
    yield from views.speaker_pages()
    yield from views.pair_pages()
    yield from views.date_pages()
    if views.config.search:
        yield views.search_page()
    yield views.not_found_page()


def _write_publishing_files(out: OutputFolder, views: Views, config: Config, page_paths: list[str]) -> None:
    """Feeds, sitemap, robots.txt, and what GitHub Pages wants (.nojekyll, CNAME)."""
    base = config.base_url
    for feed_path, list_path, title, subtitle, conversations in views.feeds():
        newest = [c for c in conversations if c.started is not None][:feeds.FEED_ENTRIES]
        key = digest(feed_path, title, subtitle, *(views.card_key(c) for c in newest))
        if not out.up_to_date(feed_path, key):
            entries = [views.feed_entry(c) for c in newest]
            out.write(feed_path, feeds.atom(base, feed_path, list_path, title, subtitle, config.language, entries), key)
    if base:
        out.write("sitemap.xml", feeds.sitemap(base, [p for p in page_paths if p != "404.html"]))
    out.write("robots.txt", feeds.robots(base))
    out.write(".nojekyll", b"")  # GitHub Pages: publish the files as they are, no Jekyll
    if config.cname:
        out.write("CNAME", config.cname + "\n")


def _write_assets(out: OutputFolder, theme: Theme, config: Config) -> None:
    for site_path, path in theme.static_files():
        out.write(site_path, path.read_bytes())
    out.write("assets/highlight.css", stylesheet(config.code_style_light, config.code_style_dark))
