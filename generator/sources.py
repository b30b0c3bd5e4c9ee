"""Which files in the content folder are transcripts, and which are editor litter."""

from __future__ import annotations

import re
from pathlib import Path

from generator.readers import SUFFIXES

# Swap, backup and temporary files that editors and tools write beside the real file.
_LITTER_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".part", ".crdownload",
                    ".kate-swp", "___jb_tmp___", "___jb_old___")
_VIM_PROBE = re.compile(r"^\d+$")  # vim writes '4913' (or the next free number) to test the folder


class ContentError(Exception):
    pass


def is_editor_litter(path: Path | str) -> bool:
    name = Path(path).name
    return (name.startswith((".", "#", "~")) or name.endswith(_LITTER_SUFFIXES)
            or bool(_VIM_PROBE.match(name)) or name == "__pycache__" or name.endswith(".pyc"))


def is_content_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not is_editor_litter(path)


def discover(content: Path) -> list[Path]:
    """Transcript files under ``content``, sorted; hidden folders and editor temp files are skipped."""
    if not content.is_dir():
        raise ContentError(f"content folder not found: {content}")
    found = []
    for path in content.rglob("*"):
        relative = path.relative_to(content)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if is_content_file(path) and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content).as_posix())
