"""Themes: where templates and static files come from, and the Jinja environment.

Lookup order for a theme named N: ``themes/N`` beside the config file, then the
themes bundled with Antiphon. A ``templates/`` folder beside the config file
overrides single templates of any theme. Templates get two helpers: the ``link``
filter, that turns a site path into a link relative to the page being rendered,
and ``plural`` (``{{ n | plural('message') }}``).
"""

from __future__ import annotations

import base64
import json
import traceback
from pathlib import Path

import jinja2

from generator.diagnostics import Diagnostic
from generator.urls import relative

TEMPLATE_CACHE = ".antiphon-templates.json"  # a state file in the output folder (see CompiledTemplates)
BUNDLED = Path(__file__).parent / "themes"
if not BUNDLED.is_dir():  # running from a source checkout: themes/ sits beside generator/
    BUNDLED = Path(__file__).parent.parent / "themes"


class ThemeError(Exception):
    pass


class Theme:
    def __init__(self, name: str, root: Path):
        self.name = name
        self.path = self._find(name, root)
        # The project's own templates/ (overrides) is listed even before it exists, so creating it counts.
        self.template_dirs = [root / "templates", self.path / "templates"]
        self.static_dir = self.path / "static"
        self.env = self._environment()

    @staticmethod
    def _find(name: str, root: Path) -> Path:
        for candidate in (root / name, root / "themes" / name, BUNDLED / name):
            if (candidate / "templates").is_dir():
                return candidate.resolve()
        raise ThemeError(f"theme '{name}' not found (looked in {root / 'themes'} and {BUNDLED})")

    def _environment(self) -> jinja2.Environment:
        env = _Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        # A filter ({{ 'tags/' | link }}): Jinja calls filters directly, and a page has hundreds of links.
        # Also a function, link('tags/'), as themes written for earlier versions call it.
        env.filters["link"] = env.globals["link"] = _link
        env.filters["plural"] = plural
        return env

    def watched_paths(self) -> list[Path]:
        return [*self.template_dirs, self.static_dir]

    def static_files(self) -> list[tuple[str, Path]]:
        """(site path under assets/, file) for every static file of the theme, sorted."""
        if not self.static_dir.is_dir():
            return []
        files = sorted(p for p in self.static_dir.rglob("*") if p.is_file())
        return [("assets/" + p.relative_to(self.static_dir).as_posix(), p) for p in files]

    def render(self, template: str, context: dict) -> str:
        return self.env.get_template(template).render(context)

    def load_templates(self) -> None:
        """Load (compile, or take from the compiled templates kept) every template now, before worker
        processes are forked: they share them instead of each compiling its own, and the compiled
        templates kept for the next build then hold them all. Otherwise the first build after a full one
        compiles them again (0.17 s of an edit's build). A template that does not compile is left for
        the page that uses it to report."""
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                continue


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by earlier builds, kept in a state file of the output folder (see
    Builder._compiled_templates). Each ``antiphon build`` is a new process: compiling the default
    theme's templates took 0.19 s, loading them from here 0.07 s. Jinja checks each entry against its template's source
    and the Python version, so an entry gone stale is compiled again; a damaged file is ignored."""

    def __init__(self, text: str):
        try:
            saved = json.loads(text) if text else {}
            self.saved = {key: base64.b64decode(value) for key, value in saved.items()}
        except (ValueError, TypeError, AttributeError):
            self.saved = {}
        self.added: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.saved.get(bucket.key)
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # damaged: unpickling the checksum can raise nearly anything
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.added[bucket.key] = bucket.bytecode_to_string()

    def text_to_keep(self) -> str:
        """What the state file should say now, or "" if it says it already; then all is saved."""
        if not self.added:
            return ""
        self.saved.update(self.added)
        self.added = {}
        return json.dumps({key: base64.b64encode(data).decode("ascii") for key, data in sorted(self.saved.items())})


class _Environment(jinja2.Environment):
    def getattr(self, obj, attribute):
        """``m.speaker`` on a plain dict (what pages.py prepares): its item first.

        Jinja tries the attribute first and the item after, which for a dict means raising
        and catching an AttributeError on every lookup, a large part of a page's rendering time.
        """
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@jinja2.pass_context
def _link(context, target: str) -> str:
    """``{{ 'tags/' | link }}``: the site path as a link relative to the current page.

    Pages served from any depth (404.html) get absolute paths under the base path instead.
    """
    page = context["page"]
    if page["absolute"]:
        return page["base_path"] + target
    return relative(target, page["path"])


def plural(count: int, noun: str, plural_noun: str = "") -> str:
    """``{{ n | plural('conversation') }}``: '1 conversation', '3 conversations'."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def template_problem(err: Exception, template: str, output: str) -> Diagnostic:
    """Point at the template line: Jinja puts template frames into the traceback."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None) or 0
    if not filename:
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            if frame.filename.endswith((".html", ".xml", ".txt")):
                filename, line = frame.filename, frame.lineno or 0
                break
    return Diagnostic(filename or template, line, "error",
                      f"template error while rendering {output}: {type(err).__name__}: {err}")
