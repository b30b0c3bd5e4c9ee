"""The build: discover → read → archive → pages → write, as :meth:`Builder.build` shows it.

A :class:`Builder` builds one config's site as often as asked (the preview server keeps one
alive). What it read is held in its :class:`~generator.library.Library`, so a rebuild reads
again only files whose size or mtime changed and renders only pages whose keys changed; the
shorter ways a build can go are in generator/rebuild.py. A file that fails to read is reported
and left out; the rest of the site is still built. The result says what happened; callers
decide the exit status.
"""

from __future__ import annotations

import gc
import time
from dataclasses import replace

from generator import feeds, keys, rebuild, totals
from generator.archive import Archive, build_archive, counted, drop_duplicates
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.fingerprint import file_signatures, reading_key, site_salt
from generator.identity import Identity
from generator.secrets import Redaction
from generator.library import Library, Reading
from generator.output import OutputError, OutputFolder, check_output_folder, digest
from generator.pages import Views, conversation_files, conversation_url
from generator.progress import Progress
from generator.readers import native
from generator.render import MessageRenderer
from generator.render.highlight import stylesheet
from generator.result import FULL, UNCHANGED, BuildError, BuildResult
from generator.search import FOLDER as SEARCH_FOLDER, EarlyIndex, SearchError, index_intact, update_index
from generator.sources import ContentError, Exclusions, SourceFile, discover
from generator.theme import TEMPLATE_CACHE, CompiledTemplates, Theme
from generator.totals import KeptIndex, KeptSpeakers, first_pages, index_pages
from generator.workers import ConversationJob, ListingJob, render_pages

__all__ = ["Builder", "BuildError", "BuildResult", "build"]



def build(config: Config, include_drafts: bool = False, jobs: int = 1, search: bool = True,
          progress: Progress | None = None) -> BuildResult:
    """One build (the ``antiphon build`` command)."""
    return Builder(config, include_drafts, jobs, progress=progress).build(search=search)


class Builder:
    """Builds one config's site, as often as asked, reusing what has not changed."""

    def __init__(self, config: Config, include_drafts: bool = False, jobs: int = 1, keep_messages: bool = False,
                 progress: Progress | None = None):
        """``keep_messages``: hold every conversation's messages between builds (the preview server,
        for fast rebuilds); otherwise only outlines are held and messages are read when a page needs them.
        ``progress`` is told how far each long phase has got."""
        self.config = config
        self.progress = progress or Progress()
        self.include_drafts = include_drafts
        self.keep_messages = keep_messages
        self.jobs = jobs
        self.library = Library(Reading(config.content_path, Identity.of(config), Redaction.of(config.redact)),
                               reading_key(config),
                               outlines=not keep_messages, jobs=jobs)
        self._renderer = MessageRenderer(verse=config.line_breaks == "verse", drawn=config.drawn_text,
                                         code_styles=(config.code_style_light, config.code_style_dark))
        self._summaries: dict = {}  # cards and their keys, kept across builds of the same config
        self._output: OutputFolder | None = None  # kept: it remembers what the last build wrote
        self._archive: Archive | None = None  # the last committed build's
        # Its speakers' totals and the lists they are shown on: a held-archive edit adds its change to them
        self._lists: KeptSpeakers | None = None
        self._committed = BuildResult(inputs="")  # the last committed build's result
        self._theme: Theme | None = None
        self._theme_files: tuple = ()
        self._salt = ""
        self._remembered_related: tuple[str, dict] | None = None  # (key, lists) the last build noted
        self._remembered_list_keys: dict = {}  # what the last build noted of the cards and rows it made, if still current
        self._early_index: EarlyIndex | None = None  # shards indexed while this build goes on
        self._index_early = False  # this build updates the search index when it commits

    # -- the pipeline ----------------------------------------------------------------------------

    def build(self, keep_on_error: bool = False, search: bool = True) -> BuildResult:
        """Build; with ``keep_on_error`` a build that brings new errors writes nothing (the preview
        keeps the last good site). ``search=False`` leaves the search index for a later
        :meth:`update_search` (the preview server reloads pages first, and re-indexes when the user pauses).
        """
        started = time.perf_counter()
        out = self._output_folder()
        self._index_early = search and self.config.search and self.jobs > 1  # another core to index on
        try:
            with out.locked():
                result = self._build(out, keep_on_error)
                if search and result.committed:
                    self._update_search(result)
                result.site_size = out.size()
        except OutputError as err:
            raise BuildError(str(err)) from None
        except OSError as err:  # a full disk, a folder that cannot be written: what was staged is gone
            raise BuildError(f"cannot write the site to {self.config.output_path}: {err.strerror or err} "
                             f"({err.filename or ''}); the last site built is as it was") from None
        finally:
            self._close_early_index()
        result.seconds = time.perf_counter() - started
        return result

    def _build(self, out: OutputFolder, keep_on_error: bool) -> BuildResult:
        theme, salt = self._current_theme()
        self._compiled_templates(theme, out)
        files, notes = self._discover()
        inputs = self._inputs(salt, files)
        last = rebuild.last_build(out, self.include_drafts)
        # Something changed, or only the files' times. A process that holds the sources (the preview)
        # knows them without the sources file, and parsing it would cost each edit tens of milliseconds.
        if last is not None and inputs != last["inputs"] and not self.library.sources:
            files = self.library.as_noted(files, out.state)
            inputs = self._inputs(salt, files)
        plan = rebuild.Build(out, theme, salt, self.library, files, inputs, self.include_drafts, keep_on_error,
                             set(self._committed.errors), self._views,
                             lambda pages=None: self._start_early_index(out, salt, pages),
                             lambda slugs: self._prepare_early_index(out, salt, slugs))
        # Until this build commits, what is held may be ahead of the site (a build that failed read it):
        # the held archive is not trusted (its errors still count, for keep_on_error).
        trusted, self._committed = bool(self._committed.inputs), replace(self._committed, inputs="")
        # Reading and placing make many lasting objects and little garbage: the cyclic collector would
        # only scan them again and again. It resumes for rendering (see _build_all).
        gc.disable()
        try:
            result = self._shortcut(plan, trusted, last)
            if result is None:
                result = self._build_all(plan, notes)
        finally:
            gc.enable()
        if result.committed:
            self._committed = result
            self._keep_compiled_templates(theme, out)
        return result

    def _inputs(self, salt: str, files: list[SourceFile]) -> str:
        return digest(salt, repr(self.include_drafts), repr([(f.relative, f.signature) for f in files]))

    @staticmethod
    def _compiled_templates(theme: Theme, out: OutputFolder) -> None:
        """Let the theme's templates load as the last build compiled them (see CompiledTemplates)."""
        if theme.env.bytecode_cache is None:
            theme.env.bytecode_cache = CompiledTemplates(out.state.read(TEMPLATE_CACHE))

    @staticmethod
    def _keep_compiled_templates(theme: Theme, out: OutputFolder) -> None:
        """After a commit only: a killed build leaves no file of its own."""
        text = theme.env.bytecode_cache.text_to_keep()
        if text:
            out.state.write(TEMPLATE_CACHE, text)

    def _shortcut(self, plan: rebuild.Build, trusted: bool, last: dict | None) -> BuildResult | None:
        """The result of a build that need not read and place everything again (see rebuild.py), or None.
        ``trusted``: the last build held was committed without errors, so the archive held is the site's;
        ``last``: what the last build noted of itself (rebuild.last_build)."""
        out = plan.out
        if last is not None and not self.library.sources and not self.keep_messages:  # a new process
            return rebuild.unchanged(plan, last) or rebuild.edits_in_place(plan, last)
        if self.library.sources and trusted and out.made_with(plan.salt) and last is not None:
            held = rebuild.held_archive(plan, self._archive, last, self._lists)
            if held is not None:
                result, archive, lists = held
                if result.committed:
                    self._archive, self._lists = archive, lists
                return result
        return None

    def _build_all(self, plan: rebuild.Build, notes: list[Diagnostic]) -> BuildResult:
        """The full build: every source held (read again if changed), placed, and every stale page made."""
        started = time.perf_counter()
        conversations, duplicates = self._read(plan)
        archive = build_archive(conversations, self.config.content_path)
        views = self._views(archive)
        if self._remembered_related is not None:  # a new process: the last build's lists, if still current
            views.remember_related(*self._remembered_related)
            self._remembered_related = None
        views.remember_list_keys(self._remembered_list_keys)
        self._remembered_list_keys = {}
        # What is read stays for the whole build: keep the cyclic collector from scanning it again
        # and again (hundreds of ms at 5,000 transcripts), while it frees the templates' garbage.
        gc.freeze()
        gc.enable()
        timings = {"reading": time.perf_counter() - started}
        result = BuildResult(conversations=len(archive.conversations), timings=timings, path=FULL)
        with rebuild.staged(plan):
            started = time.perf_counter()
            plan.theme.load_templates()
            # Conversation pages first: making them completes the sketched conversations (see library.py),
            # whose speakers, counts and openings the lists and the archive's groups are made from.
            problems, completions = self._conversation_pages(plan, views)
            self.progress.end("rendering")
            if not self.library.take_completions(completions):
                plan.out.rollback()  # a sketched transcript could not be read whole: place the rest without it
                return self._build_all(plan, notes)
            listings = list(_listings(views))
            work = [ListingJob(position) for position, page in enumerate(listings)
                    if not plan.out.keep_if_current(page.file, page.key)]
            problems += render_pages(views, plan.theme, plan.out, listings, work, self.jobs, self.library)[0]
            page_paths = [page.path for page in listings] + [conversation_url(c) for c in archive.conversations]
            result.pages = len(page_paths) - len(problems)
            result.diagnostics = notes + self.library.diagnostics(plan.files) + duplicates + problems
            _write_assets(plan.out, plan.theme, self.config)
            _write_publishing_files(plan.out, views, self.config, page_paths)
            timings["rendering"] = time.perf_counter() - started
            started = time.perf_counter()

            lists: KeptSpeakers | None = None

            def note_sources(inputs: str) -> None:
                nonlocal lists
                lists = self._lists_of(views, inputs)
                if not self.keep_messages:  # the preview server notes them when the user pauses
                    self.library.write_remembered(plan.out.state, archive, inputs, views.related_to,
                                                  views.list_keys)
                    plan.out.state.notes["related"] = views.related_key
                    self._keep_speakers(plan.out.state, lists)
            # The search index is updated on its own (and goes, with the search page, when search is off).
            result = rebuild.finish(plan, result, note_sources,
                                    keep=lambda path: self.config.search and path.startswith(SEARCH_FOLDER))
            timings["writing"] = time.perf_counter() - started
        if result.committed:
            self._archive, self._lists = archive, lists
        self._forget_stale_summaries(archive.conversations)
        return result

    # -- the steps -------------------------------------------------------------------------------

    def _discover(self) -> tuple[list[SourceFile], list[Diagnostic]]:
        try:
            found = discover(self.config.content_path, Exclusions(self.config.exclude, self.config.content_path),
                             self.config.follow_symlinks)
        except ContentError as err:
            raise BuildError(str(err)) from None
        return found.files, found.notes

    def _read(self, plan: rebuild.Build):
        """Every conversation of the build (outlines, or sketches), each once (duplicates: warnings)."""
        remembered = self.library.remembered(plan.out.state) if not self.library.sources else {}
        if remembered:
            plan.edits_found(rebuild.edited_slugs(plan.files, remembered))
        self.library.read(plan.files, remembered, self.progress.counter("reading"))
        if remembered:
            related, self._remembered_list_keys = self.library.places_noted(remembered)
            if plan.out.state.notes.get("related"):
                self._remembered_related = (plan.out.state.notes["related"], related)
        self.progress.end("reading")
        return drop_duplicates(self.library.conversations(plan.files, self.include_drafts), self.config.content_path)

    def _views(self, archive: Archive) -> Views:
        return Views(archive, self.config, self._renderer, self._summaries)

    def _conversation_pages(self, plan: rebuild.Build, views: Views) -> tuple[list[Diagnostic], list]:
        """Make the conversations' pages and files that changed (see render_pages), and tell the plan
        when they are made. The pages of the search shards an edit changed come first: the search
        index starts on them while the rest are made."""
        conversations = views.archive.conversations
        first = self._early_index.made_first([c.slug for c in conversations]) if self._early_index else []
        problems, completions = [], []
        if first:
            problems, completions = render_pages(views, plan.theme, plan.out, [],
                                                 self._conversation_work(plan.out, views, first), self.jobs,
                                                 self.library)
            plan.pages_made([conversation_url(c) + "index.html" for c in conversations])
        chosen = set(first)
        rest = [position for position in range(len(conversations)) if position not in chosen]
        more_problems, more_completions = render_pages(views, plan.theme, plan.out, [],
                                                       self._conversation_work(plan.out, views, rest), self.jobs,
                                                       self.library, self.progress.counter("rendering"))
        if not first:
            plan.pages_made()
        return problems + more_problems, completions + more_completions

    def _conversation_work(self, out: OutputFolder, views: Views, positions: list[int]) -> list[ConversationJob]:
        """What must be made of the conversations at ``positions`` (an export's conversations together)."""
        work = []
        for position in positions:
            conversation = views.archive.conversations[position]
            source = self.library.source_of(conversation)
            page = views.conversation_page(position)
            files = conversation_files(conversation, self.config.downloads)  # none by default
            files_key = keys.conversation_files(conversation, source.file.relative) if files else ""
            url = conversation_url(conversation)
            files = [name for name in files if not out.keep_if_current(url + name, files_key)]
            make_page = not out.keep_if_current(page.file, page.key)
            if make_page or files or source.sketched:
                work.append(ConversationJob(position, make_page, files, files_key, source.file.relative,
                                            source.format == native.NAME, source.sketched))
        work.sort(key=lambda job: (job.source, job.position))
        return work

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

    def _current_theme(self) -> tuple[Theme, str]:
        """The theme, reloaded (templates recompiled, salt recomputed) only when one of its files changed."""
        try:
            if self._theme is None:
                self._theme = Theme(self.config.theme, self.config.root)
            files = file_signatures(self._theme.watched_paths())
            if files != self._theme_files:
                self._theme = Theme(self.config.theme, self.config.root)
                self._theme_files = file_signatures(self._theme.watched_paths())
                self._salt = site_salt(self.config, self._theme)
        except Exception as err:
            raise BuildError(str(err)) from None
        return self._theme, self._salt

    def _forget_stale_summaries(self, conversations) -> None:
        if len(self._summaries) > 6 * len(conversations) + 100:  # a summary, a card and a card key each
            self._summaries.clear()

    # -- what the preview server asks for when the user pauses -------------------------------------

    def remember_sources(self) -> None:
        """Note what was read and where each conversation went, so that the next build (perhaps in a new
        process) need not read it again."""
        if self._output is not None and self.library.sources and self._archive is not None:
            views = self._views(self._archive)
            self.library.write_remembered(self._output.state, self._archive, self._committed.inputs,
                                          views.related_to, views.list_keys)
            self._keep_speakers(self._output.state, self._lists_of(views, self._committed.inputs))

    @staticmethod
    def _keep_speakers(state, lists: KeptSpeakers | None) -> None:
        """Keep the speakers' totals and the index's lists for the next build (see totals.py)."""
        if lists is not None:
            totals.keep(state, lists)

    def _lists_of(self, views: Views, inputs: str) -> KeptSpeakers | None:
        """The speakers' totals and which conversations their first pages and the index's pages list, of
        the build of ``inputs``; None when it is not to be trusted (it had errors)."""
        if not inputs:
            return None
        speakers, places, per_page = views.archive.speakers, self.library.places_read(), self.config.per_page
        listed = first_pages(speakers, per_page, places)
        index = index_pages(views.archive.conversations, per_page, places)
        if listed is None or index is None:
            return None
        return KeptSpeakers(inputs, views.speaker_totals, counted(speakers), listed,
                            KeptIndex(index, views.index_description, views.index_filter))

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
        # A build that found nothing changed has just checked every file of the last one, the index's too.
        if out.state.notes.get("search") == pages and (result.path == UNCHANGED or index_intact(out)):
            return result
        started = time.perf_counter()
        made_from = out.state.notes.get("search")
        out.state.notes["search"] = pages  # committed with the index
        try:
            update = update_index(out, self._salt, self.jobs, progress=self.progress.counter("search"),
                                  early=self._early_index)
        except SearchError as err:
            out.state.notes["search"] = made_from
            result.diagnostics.append(Diagnostic("search", 0, "error", str(err)))
            return result
        finally:
            self.progress.end("search")
            self._close_early_index()
        result.removed += update.removed
        result.written += update.written
        result.shards, result.shards_indexed = update.shards, update.indexed
        result.search_seconds = time.perf_counter() - started
        result.timings["search"] = result.search_seconds
        return result

    def _prepare_early_index(self, out: OutputFolder, salt: str, slugs: list[str]) -> None:
        if not (self._index_early and out.made_with(salt)):  # else every page is made again
            return
        early = self._early_index
        if early is not None and not early.started and early.slugs == slugs:
            return  # prepared by an attempt at edits in place that gave way to a full build
        self._close_early_index()
        self._early_index = EarlyIndex(out, salt)
        self._early_index.prepare(slugs)

    def _start_early_index(self, out: OutputFolder, salt: str, pages: list[str] | None = None) -> None:
        if self._index_early:
            if self._early_index is None or self._early_index.started:
                self._close_early_index()  # an attempt that gave way to a full build may have started one
                self._early_index = EarlyIndex(out, salt)
                pages = None  # it made no choice of pages to make first
            self._early_index.start(pages)

    def _close_early_index(self) -> None:
        if self._early_index is not None:
            self._early_index.close()
            self._early_index = None


def _listings(views: Views):
    """Every page but the conversations': lists, indexes, search and 404."""
    yield from views.index_pages()
    yield from views.ending_pages()
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
        key = keys.feed(feed_path, title, subtitle, (views.row_key(c) for c in newest))
        if not out.keep_if_current(feed_path, key):
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
