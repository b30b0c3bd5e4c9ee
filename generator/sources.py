"""Which files in the content folder are transcripts, and which are editor litter."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from generator.readers import SUFFIXES

# Swap, backup and temporary files that editors and tools write beside the real file.
_LITTER_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".part", ".crdownload",
                    ".kate-swp", "___jb_tmp___", "___jb_old___")
_VIM_PROBE = re.compile(r"^\d+$")  # vim writes '4913' (or the next free number) to test the folder


class ContentError(Exception):
    pass


def is_editor_litter(path: Path | str) -> bool:
    name = os.path.basename(path)
    return (name.startswith((".", "#", "~")) or name.endswith(_LITTER_SUFFIXES)
            or bool(_VIM_PROBE.match(name)) or name == "__pycache__" or name.endswith(".pyc"))


def is_content_file(path: Path | str) -> bool:
    return os.path.splitext(path)[1].lower() in SUFFIXES and not is_editor_litter(path)


@dataclass(frozen=True)
class SourceFile:
    path: str
    relative: str  # '/'-separated, relative to the content folder
    signature: tuple[int, int]  # (mtime_ns, size): a changed file has a new signature


def discover(content: Path) -> list[SourceFile]:
    """Transcript files under ``content``, sorted; hidden folders and editor temp files are skipped.

    Uses os.scandir and one stat per file: in watch mode a large archive is walked on every change.
    """
    if not content.is_dir():
        raise ContentError(f"content folder not found: {content}")
    found: list[SourceFile] = []
    pending = [(str(content), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):  # no loops through linked folders
                    if not entry.name.startswith("."):
                        pending.append((entry.path, prefix + entry.name + "/"))
                elif is_content_file(entry.name):
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue  # a dangling link, or removed meanwhile
                    if S_ISREG(stat.st_mode):
                        found.append(SourceFile(entry.path, prefix + entry.name,
                                                (stat.st_mtime_ns, stat.st_size)))
    found.sort(key=lambda source: source.relative)
    return found
