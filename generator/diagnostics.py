"""Problems found while building, reported as ``path:line: level: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str  # "error" or "warning"
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
