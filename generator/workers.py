"""Work done in worker processes: rendering conversation and list pages (and reading sources) in parallel.

Workers are forked after the archive is built, so they share it instead of
receiving it; what they make they stage beside its target, and the build adopts
it. The output is the same whatever the number of jobs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import keys
from generator.diagnostics import Diagnostic, SourceError
from generator.output import OutputFolder, stage
from generator.model import Conversation
from generator.pages import Page, Views, conversation_json, conversation_url
from generator.progress import Counter, ignore
from generator.readers import native
from generator.secrets import NONE as NO_REDACTION, Redaction
from generator.theme import Theme, template_problem

if TYPE_CHECKING:  # library.py reads in workers (fork_map): it imports this module
    from generator.library import Library

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_MINIMUM = 64
_shared = None  # what fork_map's workers need, inherited by fork


def can_fork(jobs: int, items: int) -> bool:
    if jobs <= 1 or items < PARALLEL_MINIMUM:
        return False
    import multiprocessing  # here: an edit's build makes a page or two, and the import costs 8 ms
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(function, items: list, jobs: int, chunk: int, shared=None, progress: Counter = ignore):
    """``function(chunk_of_items, shared)`` for each chunk, in ``jobs`` forked workers; results in any order.
    ``progress(done, total)`` hears of each chunk done."""
    global _shared
    _shared = (function, shared)
    import multiprocessing
    try:
        chunks = [items[start:start + chunk] for start in range(0, len(items), chunk)]
        done = 0
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for size, result in pool.imap_unordered(_call, chunks):
                done += size
                progress(done, len(items))
                yield result
    finally:
        _shared = None


def _call(chunk: list):
    function, shared = _shared
    return len(chunk), function(chunk, shared)


@dataclass
class ConversationJob:
    position: int  # in the archive; worker processes have the archive, so this is all they need
    page: bool  # the page must be rendered again
    files: list[str]  # conversation.json and/or the transcript, when not current
    files_key: str
    source: str  # relative path of the source file
    is_native: bool
    sketched: bool = False  # only its header was read: read it whole, and send back its record


@dataclass
class ListingJob:
    position: int  # in the build's list of other pages (index, tags, speakers…), which workers inherit


def render_pages(views: Views, theme: Theme, out: OutputFolder, listings: list[Page],
                 work: list[ConversationJob | ListingJob], jobs: int, library: Library,
                 progress: Counter = ignore) -> tuple[list[Diagnostic], list]:
    """Render the pages (and conversation files) of ``work``, in worker processes when there are many.

    ``library`` reads conversations again (``load``) and sketched ones whole (``complete``: see
    site.py). Returns the problems, and for each sketched source (relative path, record, problem).
    """
    problems: list[Diagnostic] = []
    completions: list = []
    if not can_fork(jobs, len(work)):
        for done, job in enumerate(work, 1):
            progress(done, len(work))
            outputs, problem, completion = _produce(views, theme, listings, job, library)
            problems += problem
            completions += completion
            for site_path, data, key in outputs:
                out.write(site_path, data, key)
        return problems, completions
    shared = (views, theme, listings, out.root, library)
    for staged, problem, completion in fork_map(_work_in_child, work, jobs, chunk=16, shared=shared, progress=progress):
        problems += problem
        completions += completion
        for site_path, temporary, key, size in staged:
            out.adopt(site_path, temporary, key, size)
    return problems, completions


def _work_in_child(chunk: list, shared: tuple):
    views, theme, listings, root, library = shared
    real_root = os.path.realpath(root)
    staged, problems, completions = [], [], []
    for job in chunk:
        outputs, problem, completion = _produce(views, theme, listings, job, library)
        problems += problem
        completions += completion
        for site_path, data, key in outputs:
            staged.append((site_path, stage(os.path.join(str(root), site_path), data, real_root), key, len(data)))
    return staged, problems, completions


def _produce(views: Views, theme: Theme, listings: list[Page], job, library: Library) -> tuple[list, list, list]:
    """The bytes of the outputs of one job that must be made again, its problems, and its completion."""
    if isinstance(job, ListingJob):
        return *render_page(theme, listings[job.position]), []
    placed = views.archive.conversations[job.position]
    if job.sketched:
        try:
            conversation, record = library.complete(placed, job.source)
        except SourceError as err:
            return [], [], [(job.source, "", err.diagnostic)]
        completion = [(job.source, record, None)]
    else:
        conversation, completion = library.load(placed), []
    page = views.conversation_page(job.position, conversation) if job.page else None
    return *render_conversation(theme, page, conversation, job.source, job.is_native, job.files, job.files_key,
                                library.reading.redaction), completion


def render_conversation(theme: Theme, page: Page | None, conversation: Conversation, source: str, is_native: bool,
                        files: list[str], files_key: str = "",
                        redaction: Redaction = NO_REDACTION) -> tuple[list, list]:
    """A conversation's page (unless None) and the ``files`` beside it (conversation.json, the
    transcript redacted as its messages were), as ([(file, bytes, key)], [problems])."""
    outputs, problems = render_page(theme, page) if page is not None else ([], [])
    url = conversation_url(conversation)
    files_key = files_key or keys.conversation_files(conversation, source)
    for name in files:
        try:
            if name == "conversation.json":
                data = conversation_json(conversation, source).encode("utf-8")
            else:
                data = redaction.redacted_copy(conversation.source.read_bytes()) if is_native \
                    else native.write(_as_read(conversation)).encode("utf-8")
        except Exception as err:  # one conversation's problem, never the build's
            problems.append(Diagnostic(source, 0, "error", f"could not write {url + name}: {type(err).__name__}: {err}"))
            continue
        outputs.append((url + name, data, files_key))
    return outputs, problems


def _as_read(conversation: Conversation) -> Conversation:
    """The transcript's copy keeps the title it was read with, not the one the archive tells it apart by."""
    if not conversation.title_as_read:
        return conversation
    return conversation.moved(conversation.slug, conversation.terms, conversation.read_title)


def render_page(theme: Theme, page: Page) -> tuple[list, list]:
    """([(file, bytes, key)], []) for the page, or ([], [the problem]) when its template fails."""
    try:
        return [(page.file, theme.render(page.template, page.context).encode("utf-8"), page.key)], []
    except Exception as err:  # a theme bug must not stop the other pages
        return [], [template_problem(err, page.template, page.file)]
