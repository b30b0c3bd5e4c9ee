"""Which files in the content folder are transcripts: not editor litter, not excluded, not links out."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from generator.diagnostics import Diagnostic, note
from generator.readers import SUFFIXES
from generator.readers.aider import FILE_NAME as AIDER_HISTORY
from generator.readers.parts import is_part, later_part_names, might_be_later_part

# Swap, backup and temporary files that editors and tools write beside the real file.
_LITTER_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".part", ".crdownload",
                    ".kate-swp", "___jb_tmp___", "___jb_old___")
_VIM_PROBE = re.compile(r"^\d+$")  # vim writes '4913' (or the next free number) to test the folder


class ContentError(Exception):
    pass


def is_editor_litter(path: Path | str) -> bool:
    name = os.path.basename(path)
    if name == AIDER_HISTORY:  # a dot file, but a transcript: aider keeps its chats in it
        return False
    return (name.startswith((".", "#", "~")) or name.endswith(_LITTER_SUFFIXES)
            or bool(_VIM_PROBE.match(name)) or name == "__pycache__" or name.endswith(".pyc"))


def is_content_file(path: Path | str) -> bool:
    return os.path.splitext(path)[1].lower() in SUFFIXES and not is_editor_litter(path)


@dataclass(frozen=True)
class SourceFile:
    path: str
    relative: str  # '/'-separated, relative to the content folder
    signature: tuple[int, int]  # (mtime_ns, size): a changed file has a new signature


IGNORE_FILE = ".antiphonignore"


class Exclusions:
    """Which content files to leave out: gitignore-style patterns from the config's ``exclude`` and
    the content folder's ``.antiphonignore`` (matched by pathspec, which follows git's rules)."""

    def __init__(self, patterns: list[str], content: Path | None = None):
        lines = list(patterns)
        if content is not None:
            try:
                lines += (content / IGNORE_FILE).read_text("utf-8", errors="replace").splitlines()
            except OSError:
                pass
        self._spec = None
        if any(line.strip() for line in lines):
            import pathspec  # here: most archives have no patterns, and the import costs 11 ms
            self._spec = pathspec.GitIgnoreSpec.from_lines(lines)

    def excludes(self, relative: str, folder: bool = False) -> bool:
        if self._spec is None:
            return False
        return self._spec.match_file(relative + "/" if folder else relative)


@dataclass
class Discovery:
    files: list[SourceFile]  # sorted by relative path
    notes: list[Diagnostic]  # files left out that the user may want to know of (links out of the folder)


def discover(content: Path, exclusions: Exclusions | None = None, follow_symlinks: bool = False) -> Discovery:
    """Transcript files under ``content``, sorted; hidden folders, editor temp files and excluded
    files are skipped, and so (unless ``follow_symlinks``) are links to files outside the folder.

    Uses os.scandir and one stat per file: in watch mode a large archive is walked on every change.
    """
    if not content.is_dir():
        raise ContentError(f"content folder not found: {content}")
    root = content.resolve()
    exclusions = exclusions or Exclusions([])
    found: list[SourceFile] = []
    notes: list[Diagnostic] = []
    pending = [(str(content), "")]
    while pending:
        folder, prefix = pending.pop()
        in_folder, parts_here = len(found), False
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):  # no loops through linked folders
                    if not entry.name.startswith(".") and not exclusions.excludes(shown_name(relative), folder=True):
                        pending.append((entry.path, relative + "/"))
                elif is_content_file(entry.name) and not exclusions.excludes(shown := shown_name(relative)):
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue  # a dangling link, or removed meanwhile
                    if not S_ISREG(stat.st_mode):
                        continue
                    if entry.is_symlink() and not follow_symlinks and not _inside(entry.path, root):
                        notes.append(note(f"{content.name}/{shown}", 0,
                                          "a link to a file outside the content folder; left out "
                                          "(set follow_symlinks = true to read it)"))
                        continue
                    found.append(SourceFile(entry.path, shown, (stat.st_mtime_ns, stat.st_size)))
                    parts_here = parts_here or might_be_later_part(entry.name)
        if parts_here:
            found[in_folder:] = _parts_folded(found[in_folder:], folder)
    found.sort(key=lambda source: source.relative)
    notes.sort()
    return Discovery(found, notes)


def _parts_folded(files: list[SourceFile], folder: str) -> list[SourceFile]:
    """One folder's files with each export split over several (readers/parts.py) listed as its first
    part, whose signature is made from all of them: an edit to any part reads the export again."""
    names = {os.path.basename(file.path): file for file in files}
    folded, later = [], set()
    for name, file in names.items():
        parts = later_part_names(name, lambda part: part in names and is_part(Path(folder, part)))
        if parts:
            signatures = [file.signature] + [names[part].signature for part in parts]
            file = SourceFile(file.path, file.relative, (max(s[0] for s in signatures), sum(s[1] for s in signatures)))
            later.update(parts)
        folded.append(file)
    return [file for file in folded if os.path.basename(file.path) not in later]


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (decoded by Python as lone surrogates, which
    no page or JSON file can hold) are written as %XX."""
    if name.isascii():  # most names: looked at for every file of every build
        return name
    return _UNDECODABLE.sub(lambda match: f"%{ord(match.group()) - 0xDC00:02X}", name)


def _inside(path: str, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(root)
        return True
    except ValueError:
        return False
