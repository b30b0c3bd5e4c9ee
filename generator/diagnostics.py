"""Problems found while building, reported as ``path:line: level: message``.

Three levels, by who can act on them:

- ``error``: the file could not be read (or a page not made); it is left out and the build fails.
- ``warning``: something the archive's author can and should fix (a header that disagrees with
  the messages, a duplicate conversation); ``--strict`` fails on these too.
- ``note``: what the build did about the archive's own data (an empty run skipped, control
  characters replaced, files that are not transcripts); never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str  # "error", "warning" or "note" (see LEVELS)
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


class SourceError(Exception):
    """A file that cannot be read; carries where and why."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(message)
        self.diagnostic = Diagnostic(str(path), line, "error", message)


def warning(path: Path | str, line: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, "warning", message)


def note(path: Path | str, line: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, "note", message)


def plural(count: int, noun: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def duration(seconds: float) -> str:
    """A length of time in words: '7.2 s' under ten seconds, else whole units ('31 s', '1 min 20 s',
    '2 h 5 min')."""
    if seconds < 10:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    hours, rest = divmod(round(seconds), 3600)
    minutes, rest = divmod(rest, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "",
                                      f"{rest} s" if rest else "") if part)


def tally(diagnostics) -> str:
    """'1 error, 2 warnings, 0 notes'."""
    levels = [d.level for d in diagnostics]
    return ", ".join(plural(levels.count(level), level) for level in ("error", "warning", "note"))
