"""Build orchestration: read every source, build the archive, render each page, write it.

    discover -> read (readers/) -> archive -> views (pages.py) -> theme -> output

A file that fails to read is reported and left out; the rest of the site is
still built. The result says what happened; the CLI decides the exit status.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from generator.archive import build_archive
from generator.config import Config
from generator.diagnostics import Diagnostic, SourceError
from generator.model import Conversation
from generator.output import OutputFolder, check_output_folder
from generator.pages import Page, Views, conversation_json, conversation_url, source_name
from generator.readers import SUFFIXES, read_file
from generator.render import MessageRenderer
from generator.render.highlight import stylesheet
from generator.theme import Theme

# Editor and OS litter that is never content.
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".bak", ".part")


@dataclass
class BuildResult:
    conversations: int = 0
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class BuildError(Exception):
    """The build cannot start (bad content folder, unsafe output folder, missing theme)."""


def is_content_file(path: Path) -> bool:
    name = path.name
    return (path.suffix.lower() in SUFFIXES and not name.startswith((".", "#", "~"))
            and not name.endswith(_IGNORED_SUFFIXES))


def discover(content: Path) -> list[Path]:
    """Transcript files under ``content``, sorted; hidden folders and editor temp files are skipped."""
    if not content.is_dir():
        raise BuildError(f"content folder not found: {content}")
    found = []
    for path in content.rglob("*"):
        relative = path.relative_to(content)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and is_content_file(path):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content).as_posix())


def read_sources(paths: list[Path], content: Path, include_drafts: bool = False):
    conversations: list[Conversation] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        shown = path.relative_to(content.parent).as_posix()
        try:
            found, problems = read_file(path, shown)
        except SourceError as err:
            diagnostics.append(err.diagnostic)
            continue
        diagnostics += problems
        conversations += [c for c in found if include_drafts or not c.draft]
    return conversations, diagnostics


def build(config: Config, include_drafts: bool = False) -> BuildResult:
    started = time.perf_counter()
    try:
        theme = Theme(config.theme, config.root)
    except Exception as err:
        raise BuildError(str(err)) from None
    content, output = config.content_path, config.output_path
    try:
        check_output_folder(output, {"the project folder": config.root, "the content folder": content,
                                     "the theme folder": theme.path})
    except Exception as err:
        raise BuildError(str(err)) from None

    conversations, diagnostics = read_sources(discover(content), content, include_drafts)
    archive = build_archive(conversations, content)
    views = Views(archive, config, MessageRenderer(verse=config.line_breaks == "verse"))
    out = OutputFolder(output)
    result = BuildResult(conversations=len(archive.conversations), diagnostics=diagnostics)

    for page in _pages(views):
        _write_page(out, theme, page, result)
    for position, conversation in enumerate(archive.conversations):
        _write_page(out, theme, views.conversation_page(position), result)
        _write_conversation_files(out, conversation, content)
    _write_assets(out, theme, config)

    result.removed = out.finish()
    result.written = out.changed
    result.diagnostics.sort()
    result.seconds = time.perf_counter() - started
    return result


def _pages(views: Views):
    yield from views.index_pages()
    yield from views.tag_pages()
    yield from views.speaker_pages()
    yield views.not_found_page()


def _write_page(out: OutputFolder, theme: Theme, page: Page, result: BuildResult) -> None:
    try:
        html = theme.render(page.template, page.context)
    except Exception as err:  # a theme bug must not stop the other pages
        result.diagnostics.append(_template_problem(err, page))
        return
    out.write(page.file, html)
    result.pages += 1


def _template_problem(err: Exception, page: Page) -> Diagnostic:
    """Point at the template line: Jinja puts template frames into the traceback."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None) or 0
    if not filename:
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            if frame.filename.endswith((".html", ".xml", ".txt")):
                filename, line = frame.filename, frame.lineno or 0
                break
    return Diagnostic(filename or page.template, line, "error",
                      f"template error while rendering {page.file}: {type(err).__name__}: {err}")


def _write_conversation_files(out: OutputFolder, conversation: Conversation, content: Path) -> None:
    url = conversation_url(conversation)
    source = conversation.source.relative_to(content).as_posix()
    out.write(url + "conversation.json", conversation_json(conversation, source))
    out.write(url + source_name(conversation), conversation.source.read_bytes())


def _write_assets(out: OutputFolder, theme: Theme, config: Config) -> None:
    for site_path, path in theme.static_files():
        out.write(site_path, path.read_bytes())
    out.write("assets/highlight.css", stylesheet(config.code_style_light, config.code_style_dark))
