"""``antiphon.toml``: typed, validated options. Every key is optional.

Errors name the key (``antiphon.toml: 'per_page' must be an integer, not str``).
Relative paths are resolved against the folder holding the config file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit


CONFIG_NAME = "antiphon.toml"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class ConfigError(Exception):
    """A config problem; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    title: str = field(default="Transcript archive", metadata={"doc": "Site title, shown on every page."})
    description: str = field(default="", metadata={"doc": "One-line description for the index page and meta tags (without one, the index describes the archive)."})
    base_url: str = field(default="", metadata={
        "doc": "Absolute URL the site is published at, e.g. https://user.github.io/my-archive/ "
               "(used for canonical links; pages link to each other relatively either way)."})
    cname: str = field(default="", metadata={
        "doc": "A custom domain for GitHub Pages (written to CNAME), e.g. archive.example.org."})
    content_dir: str = field(default="content", metadata={"doc": "Folder of transcripts to read."})
    output_dir: str = field(default="site", metadata={"doc": "Folder the site is written to."})
    theme: str = field(default="default", metadata={
        "doc": "A theme name (themes/<name> beside the config, then the bundled themes) or a path."})
    line_breaks: str = field(default="verse", metadata={
        "doc": "'verse': every newline in a message is a line break; 'markdown': CommonMark soft breaks."})
    per_page: int = field(default=50, metadata={"doc": "Conversations per index/tag/speaker page."})
    collapse_repeats: int = field(default=3, metadata={
        "doc": "Fold runs of at least this many identical consecutive messages (notes: identical but for their "
               "numbers) into one row (0: never)."})
    language: str = field(default="en", metadata={
        "doc": "The lang attribute of every page (a message mostly in Chinese, Japanese or Korean says its own)."})
    search: bool = field(default=True, metadata={
        "doc": "Build the full-text search index (Pagefind) and the search page."})
    code_style_light: str = field(default="xcode", metadata={"doc": "Pygments style for code in light mode."})
    code_style_dark: str = field(default="github-dark", metadata={"doc": "Pygments style for code in dark mode."})
    speaker_colors: dict[str, str] = field(default_factory=dict, metadata={
        "doc": "Speaker name -> '#rrggbb', overriding the colour picked from the palette."})
    speakers: dict[str, dict] = field(default_factory=dict, metadata={
        "doc": "One table per speaker, keyed by a model id or name: `name` (as shown), `colour`, `aliases` "
               "(other labels for the same speaker). Many labels, one speaker: one page, one colour."})
    title_template: str = field(default="", metadata={
        "doc": "How to title a conversation whose source names only its participants: fields {participants}, "
               "{template}, {variant}, {revision}, {seed}, {run}, {topic}, {date}, {time}, {file}, joined by ' · '; "
               "parts left empty are dropped. Empty: the built-in pattern."})
    auto_tags: bool = field(default=True, metadata={
        "doc": "Tag conversations with the template or scenario their source names (`tags/dreamsim3/`)."})
    exclude: list[str] = field(default_factory=list, metadata={
        "doc": "Gitignore-style patterns of content files to leave out (`**/*_meta.jsonl`); "
               "an `.antiphonignore` file in the content folder adds more."})
    follow_symlinks: bool = field(default=False, metadata={
        "doc": "Read transcripts that are symbolic links to files outside the content folder."})
    drawn_text: bool = field(default=True, metadata={
        "doc": "Set text drawn with characters (box frames, ASCII art, aligned columns) in a monospace block "
               "with its spacing kept."})
    related: int = field(default=5, metadata={
        "doc": "How many related conversations (most alike in their words) each conversation page lists; "
               "0: none."})
    downloads: list[str] = field(default_factory=list, metadata={
        "doc": "What each conversation page offers for download: \"source\" (the transcript, in its own format "
               "or as a native transcript) and \"json\" (conversation.json: messages and metadata). None by "
               "default: each adds about the transcripts' size to the site, which the pages already hold."})
    redact: dict = field(default_factory=dict, metadata={
        "doc": "A table: what the secrets scan looks for and what is replaced before publishing. "
               "`detectors` (default [\"secrets\"]; add \"personal\" or rule ids such as \"email\"), `off` "
               "(rule ids), `strings` (literal text to replace), `patterns` (regex = replacement), `replacement` "
               "(for strings; default \"[redacted]\"), `allow` and `allow_patterns` (never reported), "
               "`mask_found` (replace every finding too)."})
    # Where the config came from; relative paths resolve against it. Not a TOML key.
    root: Path = field(default=Path("."), metadata={"internal": True})

    @property
    def content_path(self) -> Path:
        return (self.root / self.content_dir).resolve()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/my-archive/'."""
        path = urlsplit(self.base_url).path if self.base_url else "/"
        return path if path.endswith("/") else path + "/"


def options() -> list:
    """The documented TOML keys, for the README and error messages."""
    return [f for f in fields(Config) if not f.metadata.get("internal")]


def load_config(path: Path | None = None, root: Path | None = None, **overrides) -> Config:
    """Read ``path`` (or ``antiphon.toml`` in ``root`` if present) and apply CLI ``overrides``."""
    root = (root or Path.cwd()).resolve()
    values: dict = {}
    if path is None and (root / CONFIG_NAME).is_file():
        path = root / CONFIG_NAME
    if path is not None:
        path = path.resolve()
        values = _read_toml(path)
        root = path.parent
    values.update({key: value for key, value in overrides.items() if value is not None})
    return _validate(values, root, path.name if path else CONFIG_NAME)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None


def _validate(values: dict, root: Path, shown: str) -> Config:
    known = {f.name: f for f in options()}
    errors = []
    for key, value in values.items():
        if key not in known:
            errors.append(f"{shown}: unknown key '{key}' (known keys: {', '.join(sorted(known))})")
            continue
        expected = dict if key in ("speaker_colors", "speakers", "redact") else list if key in ("exclude", "downloads") else \
            type(known[key].default)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(f"{shown}: '{key}' must be {expected.__name__}, not {type(value).__name__}")
    if not errors:
        errors += _check_values(values, shown)
    if errors:
        raise ConfigError("\n".join(errors))
    return Config(root=root, **values)


def _check_values(values: dict, shown: str) -> list[str]:
    errors = []
    if values.get("line_breaks", "verse") not in ("verse", "markdown"):
        errors.append(f"{shown}: 'line_breaks' must be 'verse' or 'markdown', not {values['line_breaks']!r}")
    if values.get("per_page", 50) < 1:
        errors.append(f"{shown}: 'per_page' must be at least 1")
    if values.get("related", 5) < 0:
        errors.append(f"{shown}: 'related' must be 0 (none) or more")
    if values.get("collapse_repeats", 3) < 0:
        errors.append(f"{shown}: 'collapse_repeats' must be 0 (off) or more")
    cname = values.get("cname", "")
    if cname and not re.fullmatch(r"[A-Za-z0-9.-]+", cname):
        errors.append(f"{shown}: 'cname' must be a bare domain such as archive.example.org, not {cname!r}")
    base_url = values.get("base_url", "")
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        errors.append(f"{shown}: 'base_url' must start with http:// or https://, not {base_url!r}")
    for name, colour in values.get("speaker_colors", {}).items():
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            errors.append(f"{shown}: 'speaker_colors.{name}' must be a colour like '#2a6f97', not {colour!r}")
    errors += _check_speakers(values.get("speakers", {}), shown)
    errors += _check_redact(values.get("redact", {}), shown)
    for kind in values.get("downloads", []):
        if kind not in ("source", "json"):
            errors.append(f"{shown}: 'downloads' may hold \"source\" and \"json\", not {kind!r}")
    for pattern in values.get("exclude", []):
        if not isinstance(pattern, str) or not pattern.strip():
            errors.append(f"{shown}: 'exclude' must be a list of patterns such as '**/*_meta.jsonl', not {pattern!r}")
    template = values.get("title_template", "")
    if template:
        unknown = sorted(set(re.findall(r"\{([^{}]*)\}", template)) - set(TITLE_FIELDS))
        if unknown:
            errors.append(f"{shown}: 'title_template' has unknown fields {', '.join(unknown)} "
                          f"(known: {', '.join(TITLE_FIELDS)})")
    for key in ("code_style_light", "code_style_dark"):
        if key in values and not _is_style(values[key]):
            from pygments.styles import get_all_styles
            errors.append(f"{shown}: '{key}' is not a Pygments style: {values[key]!r} "
                          f"(there are {', '.join(sorted(get_all_styles()))})")
    return errors


TITLE_FIELDS = ("participants", "template", "variant", "revision", "seed", "run", "topic", "date", "time", "file")
_SPEAKER_KEYS = {"name": str, "colour": str, "color": str, "aliases": list}


def _check_types(table: dict, types: dict[str, type], shown: str, name: str) -> list[str]:
    """A table's keys are known and its values of their type ('speakers.Opus.colour must be str')."""
    errors = []
    for key, value in table.items():
        expected = types.get(key)
        if expected is None:
            errors.append(f"{shown}: unknown key '{name}.{key}' (known: {', '.join(sorted(set(types)))})")
        elif not isinstance(value, expected):
            errors.append(f"{shown}: '{name}.{key}' must be {expected.__name__}, not {type(value).__name__}")
    return errors


def _check_speakers(speakers: dict, shown: str) -> list[str]:
    errors = []
    for key, entry in speakers.items():
        where = f"{shown}: 'speakers.{key}'"
        if not isinstance(entry, dict):
            errors.append(f"{where} must be a table such as {{ name = \"Claude 3 Opus\" }}")
            continue
        errors += _check_types(entry, _SPEAKER_KEYS, shown, f"speakers.{key}")
        colour = entry.get("colour", entry.get("color"))
        if isinstance(colour, str) and not _COLOUR.match(colour):
            errors.append(f"{where}.colour must be a colour like '#2a6f97', not {colour!r}")
        aliases = entry.get("aliases", [])
        if isinstance(aliases, list) and not all(isinstance(alias, str) and alias.strip() for alias in aliases):
            errors.append(f"{where}.aliases must be a list of names")
    return errors


_REDACT_KEYS = {"detectors": list, "off": list, "strings": list, "patterns": dict, "replacement": str,
                "allow": list, "allow_patterns": list, "mask_found": bool}


def _check_redact(table: dict, shown: str) -> list[str]:
    from generator.secrets import rule_ids  # where needed: most configs have no [redact] table
    errors = _check_types(table, _REDACT_KEYS, shown, "redact")
    if errors:
        return errors
    known = set(rule_ids()) | {"secrets", "personal"}
    for key in ("detectors", "off"):
        for name in table.get(key, []):
            if name not in known:
                errors.append(f"{shown}: 'redact.{key}' has {name!r}, which is no detector "
                              f"(known: secrets, personal, {', '.join(rule_ids())})")
    for key in ("strings", "allow", "allow_patterns"):
        if not all(isinstance(item, str) and item for item in table.get(key, [])):
            errors.append(f"{shown}: 'redact.{key}' must be a list of non-empty strings")
    patterns = [(pattern, "") for pattern in table.get("allow_patterns", []) if isinstance(pattern, str)]
    for pattern, replacement in [*table.get("patterns", {}).items(), *patterns]:
        if not isinstance(replacement, str):
            errors.append(f"{shown}: 'redact.patterns' replaces {pattern!r} with a {type(replacement).__name__}; "
                          "give a string")
            continue
        try:
            re.compile(pattern).sub(replacement, "")  # a bad group reference shows only when used
        except (re.error, IndexError) as err:
            errors.append(f"{shown}: 'redact' pattern {pattern!r} is not a valid regular expression: {err}")
    return errors


def _is_style(name: str) -> bool:
    """Looked up by name: listing every style scans the installed packages' plugins, slowly."""
    from pygments.styles import get_style_by_name  # where needed: most configs name no style
    from pygments.util import ClassNotFound
    try:
        get_style_by_name(name)
        return True
    except ClassNotFound:
        return False
