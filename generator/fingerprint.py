"""The site's salt: a digest of Antiphon's own code, the theme's files and the config.

When it changes, every page is stale (a new version of the code, or an edited template, may render
anything differently). The reading key is the part of it that changes what is read (the code, and
the config's names and titles): outlines remembered under another key are read again.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import generator
from generator import identity
from generator.secrets import Redaction
from generator.config import Config, options
from generator.theme import Theme


def site_salt(config: Config, theme: Theme) -> str:
    """Changes whenever the code, the theme's files or the config change."""
    settings = {option.name: getattr(config, option.name) for option in options()
                if option.name not in ("content_dir", "output_dir")}  # where, not what
    hasher = hashlib.sha1(f"{generator.__version__}\x00{settings!r}\x00{code_digest()}".encode("utf-8"))
    for folder in theme.watched_paths():
        for path in files_in(folder):
            hasher.update(path.relative_to(folder).as_posix().encode("utf-8"))
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def reading_key(config: Config) -> str:
    """Changes whenever reading the same file could give another conversation."""
    redaction = Redaction.of(config.redact).digest()
    return hashlib.sha1(f"{code_digest()}\x00{identity.digest(config)}\x00{redaction}".encode("utf-8")).hexdigest()[:20]


@functools.cache
def code_digest() -> str:
    """Antiphon's own source: a new version of the code may read and render differently."""
    package = Path(generator.__file__).parent
    hasher = hashlib.sha1()
    for path in files_in(package):
        hasher.update(path.relative_to(package).as_posix().encode("utf-8"))
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts)


def file_signatures(folders: list[Path]) -> tuple:
    """(path, mtime, size) of every file in ``folders``: what tells that one of them changed."""
    signatures = []
    for folder in folders:
        for path in files_in(folder):
            stat = path.stat()
            signatures.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signatures)
