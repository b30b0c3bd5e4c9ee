"""The output folder: the only place a build writes.

Writes are staged as temporary files beside their targets and renamed into
place on :meth:`OutputFolder.commit`, so watchers and browsers never see a
half-written page, and a failed preview build can be dropped whole
(:meth:`OutputFolder.rollback`). Files are written only when their bytes
change, so a no-change build touches nothing.

A manifest (``.antiphon-manifest.json``) lists every file the build wrote with
the key of the inputs it was made from. It marks the folder as ours (a
non-empty folder without it is refused), lets a later build skip a page whose
inputs have not changed, and limits removal of stale files to files we wrote.
"""

from __future__ import annotations

import fcntl
import filecmp
import hashlib
import itertools
import json
import os
import re
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

MANIFEST = ".antiphon-manifest.json"
LOCK = ".antiphon-lock"  # held while a build writes (flock)
BUILDING = ".antiphon-building"  # there while a build is under way: found by the next one, the build was killed
JOURNAL = ".antiphon-commit.json"  # what a commit moves, while it moves it
# The temporary files of a build: '.index.html.1234-5.tmp' (see _create_temporary).
_TEMPORARY = re.compile(r"^\.(.+)\.\d+-\d+\.tmp$")


class OutputError(Exception):
    pass


def check_output_folder(output: Path, protected: dict[str, Path]) -> None:
    """Refuse an output folder that would overwrite sources or someone else's files.

    ``protected`` maps a description ('the content folder') to a folder that the
    output must neither be nor contain; the content folder must not contain it either.
    """
    output = output.resolve()
    for what, folder in protected.items():
        folder = folder.resolve()
        if output == folder or output in folder.parents:
            raise OutputError(f"refusing to write into {output}: it is or contains {what} ({folder})")
        if folder in output.parents and what == "the content folder":
            raise OutputError(f"refusing to write into {output}: it is inside {what} ({folder})")
    if output.exists() and not output.is_dir():
        raise OutputError(f"refusing to write into {output}: it is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST).is_file():
        raise OutputError(
            f"refusing to write into {output}: it is not empty and was not made by Antiphon "
            f"(no {MANIFEST}); choose another folder or empty it yourself")


def stage(path: str, data: bytes, root: str) -> str | None:
    """Write ``data`` to a temporary file beside ``path``; None when ``path`` already holds exactly it.

    A plain function so that worker processes can stage files; the build adopts them.
    Few system calls: creating files is most of a cold build's system time. ``root``: the output
    folder, which the file's folder must really be in (not through a planted link).
    """
    try:
        if os.stat(path).st_size == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return None
    except OSError:
        pass
    folder, name = os.path.split(path)
    _check_inside(folder, root)
    descriptor, temporary = _create_temporary(folder, name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    except BaseException:  # a full disk, say: no temporary file is left behind
        os.close(descriptor)
        os.unlink(temporary)
        raise
    os.close(descriptor)
    return temporary


# The folders found inside the output folder during this build (forgotten when a build begins: the
# preview server's process builds again and again, and a folder may since have become a link).
_checked_folders: set[str] = set()


def _check_inside(folder: str, root: str) -> None:
    """Refuse a folder that is (through a symbolic link) outside the output folder (it need not exist yet)."""
    if folder in _checked_folders or folder == root:
        return
    if folder.startswith(root + os.sep):
        # Its own folder first: then one lstat says whether this one can lead elsewhere, where realpath
        # would look at every folder on the way, for each of thousands of pages' folders.
        _check_inside(os.path.dirname(folder), root)
        leads_elsewhere = os.path.islink(folder)
    else:
        leads_elsewhere = True
    if leads_elsewhere:
        real = os.path.realpath(folder)
        if real != root and not real.startswith(root + os.sep):
            raise OutputError(f"refusing to write outside the output folder: {folder} leads to {real}")
    _checked_folders.add(folder)


_temporary_names = itertools.count()


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new file beside ``name``, readable as the user's umask allows (as an ordinary file would be)."""
    while True:
        temporary = f"{folder}{os.sep}.{name}.{os.getpid()}-{next(_temporary_names)}.tmp"
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), temporary
        except FileExistsError:  # left by an interrupted build of a process with the same id
            continue
        except FileNotFoundError:  # the folder is new (made only now: most files go into folders that exist)
            os.makedirs(folder, exist_ok=True)


def _inside(site_path: str) -> bool:
    """Does the site path name a file inside the output folder (no '..', no absolute path)?"""
    wrapped = f"/{site_path}/"
    return not ("//" in wrapped or "/../" in wrapped or "/./" in wrapped or "\\" in site_path
                or "\x00" in site_path or site_path.endswith("/"))


def _a_file_entry(site_path, entry) -> bool:
    """Is this a manifest entry as a build writes it: a file inside the folder, [key, size]?"""
    return (isinstance(site_path, str) and _inside(site_path) and isinstance(entry, list) and len(entry) == 2
            and isinstance(entry[0], str) and type(entry[1]) is int)


def digest(*parts: str | bytes) -> str:
    """A hex digest of the parts (each ended by a NUL, so ('ab', 'c') and ('a', 'bc') differ)."""
    if parts and all(type(part) is str for part in parts):  # the common case, encoded in one go
        return hashlib.sha1(("\x00".join(parts) + "\x00").encode("utf-8", "surrogatepass")).hexdigest()
    data = b"".join((part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part) + b"\x00"
                    for part in parts)
    return hashlib.sha1(data).hexdigest()


class BuildState:
    """The build's own files in the output folder (never site files, never in the manifest): the sources
    file, the commit journal, and the notes kept in the manifest (what the last build was made from)."""

    def __init__(self, root: Path, notes: dict[str, str]):
        self.root = root
        self.notes = notes

    def read(self, name: str) -> str:
        try:
            return (self.root / name).read_text("utf-8")
        except OSError:
            return ""

    def signature(self, name: str) -> tuple[int, int] | None:
        """A state file's size and modification time (nanoseconds), or None when it is not there."""
        try:
            found = os.stat(self.root / name)
        except OSError:
            return None
        return found.st_size, found.st_mtime_ns

    def write(self, name: str, text: str) -> None:
        """Replace a state file whole, through a temporary file of its own (two builds never share one)."""
        self.write_parts(name, [text.encode("utf-8")])

    def write_lines(self, name: str, lines) -> int:
        """Replace a state file whole with ``lines`` (each ending in a newline), written as they come, so
        that a large file is never held whole; a file that already has these bytes is left as it was.
        Returns how many lines were written."""
        path = self.root / name
        temporary = path.with_name(f".{name}.{os.getpid()}-{next(_temporary_names)}.tmp")
        count = 0
        try:
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                for count, line in enumerate(lines, 1):
                    handle.write(line)
            if path.is_file() and filecmp.cmp(temporary, path, shallow=False):
                temporary.unlink()
            else:
                os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return count

    def read_bytes(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except OSError:
            return b""

    def write_parts(self, name: str, parts: Iterable[bytes]) -> None:
        """Replace a state file whole with ``parts``, written as they come, through a temporary file of its
        own; ``name`` may be in a folder (made if need be)."""
        path = self.root / name
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{next(_temporary_names)}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.writelines(parts)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def append(self, name: str, text: str) -> None:
        """Add to the end of a state file (whose reader must tolerate an append cut short)."""
        with open(self.root / name, "a", encoding="utf-8") as handle:
            handle.write(text)


class LaterAnswer:
    """A yes or no, known now or given later by a child process's exit status."""

    def __init__(self, answer: bool = False, child: int | None = None):
        self._answer, self._child = answer, child

    def __call__(self) -> bool:
        """The answer, waiting for the child if it has not given it yet."""
        return self._wait(0)

    def given(self) -> bool | None:
        """The answer if known by now (the child has ended), else None."""
        return self._wait(os.WNOHANG)

    def _wait(self, options: int) -> bool | None:
        if self._child is not None:
            pid, status = os.waitpid(self._child, options)
            if pid == 0:  # WNOHANG, and the child is still at work
                return None
            self._answer, self._child = os.waitstatus_to_exitcode(status) == 0, None
        return self._answer

    def abandon(self) -> None:
        """The answer is not needed after all: the child is stopped, not waited for."""
        if self._child is not None:
            try:
                os.kill(self._child, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._child, 0)
            self._child, self._answer = None, False


class OutputFolder:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self._root_text = str(self.root)
        self.committed_salt, self._previous, notes = self._read_manifest()
        self.state = BuildState(self.root, notes)
        self._written_notes = dict(notes)
        # Files this process wrote or checked: later builds trust these without a stat.
        self._verified: set[str] = set()
        self._pending_check: LaterAnswer | None = None  # see take_check
        if not (self.root / MANIFEST).is_file():
            # Claim the folder before the first page, so an interrupted first build is still ours.
            self.root.mkdir(parents=True, exist_ok=True)
            self.state.notes = {}
            self._write_manifest("", {})
        self._real_root = os.path.realpath(self.root)
        self.building_salt = ""
        self.changed: list[str] = []
        self._current: dict[str, list] = {}
        self._staged: list[tuple[str, str]] = []

    def begin(self, salt: str) -> None:
        """Start a build. ``salt`` digests the code, theme and config: when it changes, no page is current.

        A marker says a build is under way until it commits or rolls back: if it is there when the
        next build starts, that build was killed (see :meth:`_recover`)."""
        (self.root / BUILDING).touch()
        _checked_folders.clear()
        self._settle_check()
        self.building_salt = salt
        self.changed: list[str] = []
        self._current: dict[str, list] = {}
        self._staged: list[tuple[str, str]] = []  # (site path, temporary file)

    def _read_manifest(self) -> tuple[str, dict[str, list], dict[str, str]]:
        """The salt, files and notes the last commit wrote. A manifest edited by hand may name anything:
        only entries a build writes are taken (a file named otherwise is never removed or trusted)."""
        try:
            data = json.loads((self.root / MANIFEST).read_text("utf-8"))
            files, notes = data["files"], data.get("notes", {})
        except (OSError, ValueError, KeyError, TypeError):
            return "", {}, {}
        files = {path: entry for path, entry in files.items() if _a_file_entry(path, entry)} \
            if isinstance(files, dict) else {}
        notes = {name: text for name, text in notes.items() if isinstance(text, str)} if isinstance(notes, dict) else {}
        return str(data.get("salt", "")), files, notes

    def digest_of(self, select) -> str:
        """A digest of the committed files for which ``select(site_path)`` is true (what they were made from)."""
        chosen = sorted((path, entry) for path, entry in self._previous.items() if select(path))
        return digest(self.committed_salt, repr(chosen))

    def committed(self, select) -> dict[str, str]:
        """The committed files for which ``select(site_path)`` is true, each with what it was made from."""
        return {path: entry[0] for path, entry in self._previous.items() if select(path)}

    def target(self, site_path: str) -> Path:
        return Path(self._file(site_path))

    def building(self, select) -> dict[str, str]:
        """The files of the build under way, so far (written or kept), for which ``select(site_path)`` is
        true, each with what it was made from."""
        return {path: entry[0] for path, entry in self._current.items() if select(path)}

    def read_building(self, site_paths: list[str]) -> list[bytes]:
        """The bytes each file of the build under way will have once it commits."""
        staged = dict(self._staged)
        return [Path(staged.get(site_path) or self._file(site_path)).read_bytes() for site_path in site_paths]

    def _file(self, site_path: str) -> str:
        """The file for a site path; a path that could leave the output folder is refused."""
        if not _inside(site_path):
            raise OutputError(f"refusing to write outside the output folder: {site_path!r}")
        return self._root_text + os.sep + site_path

    def up_to_date(self, site_path: str, key: str) -> bool:
        """Was the file written from the same inputs (``key``, and the same salt), and is it still there?"""
        old = self._previous.get(site_path)
        if not old or old[0] != key or self.committed_salt != self.building_salt:
            return False
        if site_path not in self._verified:
            try:
                if os.stat(self._file(site_path)).st_size != old[1]:
                    return False
            except OSError:
                return False
            self._verified.add(site_path)
        return True

    def keep(self, site_path: str) -> None:
        """Keep a file of the last build, as it is, in this one."""
        self._current[site_path] = self._previous[site_path]

    def keep_if_current(self, site_path: str, key: str) -> bool:
        """Keep the file if it is :meth:`up_to_date`, and say whether it was."""
        if self.up_to_date(site_path, key):
            self.keep(site_path)
            return True
        return False

    def keep_all(self, select) -> None:
        """Keep every file of the last build for which ``select(site_path)`` is true, as it is.

        (:meth:`commit` removes every file of the last build that this one neither wrote nor kept.)"""
        for site_path, entry in self._previous.items():
            if select(site_path):
                self._current.setdefault(site_path, entry)

    def size(self) -> tuple[int, int]:
        """(bytes, files) of the last committed build, as its manifest records them."""
        return sum(entry[1] for entry in self._previous.values()), len(self._previous)

    def made_with(self, salt: str) -> bool:
        """Was the last committed build made with this salt (the same code, theme and config)?"""
        return self.committed_salt == salt

    def intact(self, salt: str) -> bool:
        """Was the last build made with this salt, and is every file it wrote still there, the same size?"""
        return self.committed_salt == salt and bool(self._previous) and self._all_there()

    def take_check(self, intact: LaterAnswer) -> None:
        """Trust ``intact`` (an :meth:`intact_later` answer not needed where it was asked for) in the next
        build: if by then it says every file of the last build is there, the same size, none is looked
        at again (one stat call each: about 40 ms of an edit's full build at 5,000 conversations)."""
        self._pending_check = intact

    def _settle_check(self) -> None:
        intact, self._pending_check = self._pending_check, None
        if intact is None:
            return
        if intact.given():
            self._verified.update(self._previous)
        else:  # not yet known (a slow disk): each file is looked at as it is needed, not waited for
            intact.abandon()

    def intact_later(self, salt: str) -> LaterAnswer:
        """:meth:`intact`, answered by a child process while the caller goes on. A stat call per file
        is a sixth of a small rebuild of a large archive, and on a second core it costs none of it."""
        if self.committed_salt != salt or not self._previous:
            return LaterAnswer(answer=False)
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return LaterAnswer(answer=self._all_there())
        pid = os.fork()
        if pid == 0:  # the child answers by its exit status and runs nothing else of the parent's
            status = 1
            try:
                status = 0 if self._all_there() else 1
            finally:
                os._exit(status)
        return LaterAnswer(child=pid)

    def _all_there(self) -> bool:
        return self.all_there(self._previous)

    def all_there(self, site_paths, trust_verified: bool = False) -> bool:
        """Is each of these files of the last committed build still there, the same size? With
        ``trust_verified``, as :meth:`up_to_date` sees it: a file this process wrote or checked is."""
        prefix = self._root_text + os.sep  # only sizes are read: no need to check the paths (as _file does)
        verified = self._verified if trust_verified else ()
        try:
            return all(site_path in verified or os.stat(prefix + site_path).st_size == self._previous[site_path][1]
                       for site_path in site_paths)
        except (OSError, KeyError):
            return False

    def has(self, site_path: str) -> bool:
        """Was this file written by the last committed build, and is it still there?"""
        return site_path in self._previous and os.path.isfile(self._file(site_path))

    def write(self, site_path: str, data: bytes | str, key: str | None = None) -> bool:
        """Stage one file; returns True when its bytes differ from what is there now."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        temporary = stage(self._file(site_path), data, self._real_root)
        self.adopt(site_path, temporary, key if key is not None else digest(data), len(data))
        return temporary is not None

    def adopt(self, site_path: str, temporary: str | None, key: str, size: int) -> None:
        """Record a file staged by :func:`stage` (perhaps in another process) as part of this build."""
        self._file(site_path)  # refuses paths outside the folder
        self._current[site_path] = [key, size]
        if temporary is not None:
            self._staged.append((site_path, temporary))

    def commit(self) -> list[str]:
        """Put the build in place: new files first, then changed ones, then stale files removed.

        In that order no link from the site breaks at any moment (every page reachable from the
        index links only to files that are there, whether it is the old page or the new), and a
        build killed half-way leaves a site that works. A journal names what the commit moves, so the next
        build undoes it (killed while new files moved in, none yet linked) or finishes it (see :meth:`_recover`).
        """
        # Stale list pages go before the conversation pages they link to: by then no current page
        # links to either, and the stale pages a visitor might still be on break as late as they can.
        stale = sorted(set(self._previous) - set(self._current), key=lambda path: (path.startswith("c/"), path))
        added = [(p, t) for p, t in self._staged if p not in self._previous]
        replaced = [(p, t) for p, t in self._staged if p in self._previous]
        if self._staged or stale:
            self._write_journal(added, replaced, stale)
        for site_path, temporary in added + replaced:  # plain strings: a cold build moves thousands
            os.replace(temporary, self._file(site_path))
            self.changed.append(site_path)
            self._verified.add(site_path)
        self._staged = []
        if (self._current != self._previous or self.committed_salt != self.building_salt
                or self.state.notes != self._written_notes):
            self._write_manifest(self.building_salt, self._current)
        for site_path in stale:
            self._verified.discard(site_path)
            self._remove(site_path)
        self.committed_salt, self._previous = self.building_salt, self._current
        self._current = {}
        self._end()
        return stale

    def rollback(self) -> None:
        """Drop everything staged; the folder stays as the last committed build left it."""
        self._drop_temporaries([temporary for _, temporary in self._staged])
        self._staged = []
        self._end()

    def _drop_temporaries(self, temporaries: list[str]) -> None:
        """Remove temporary files, and the folders made for them that are left empty (a new page's)."""
        for temporary in temporaries:
            try:
                os.unlink(temporary)
            except OSError:
                continue
            self._remove_empty_parents(Path(temporary).parent)

    # -- one build at a time, and what a killed one left ------------------------------------------

    @contextmanager
    def locked(self):
        """Hold the folder for one build; another build (or a second ``serve``) is refused, not raced."""
        handle = open(self.root / LOCK, "a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise OutputError(f"another Antiphon build is writing to {self.root}; "
                                  "run this one when it has finished") from None
            self._recover()
            yield self
        finally:
            handle.close()  # releases the lock

    def _recover(self) -> None:
        """Clean up after a build that was killed: its temporary files, and a commit it left half done."""
        if not (self.root / BUILDING).exists():
            return
        temporaries = self._temporaries()
        journal = self.state.read(JOURNAL)
        if journal:
            try:
                moves = json.loads(journal)
                added, replaced, removed = (list(moves.get(part, [])) for part in ("added", "replaced", "removed"))
                waiting = {site_path for site_path, _ in temporaries}
                if any(site_path in waiting for site_path in added):
                    self._undo_added(added, waiting)
                else:
                    self._note_moved(added + replaced, removed)
            except (ValueError, AttributeError, TypeError, OutputError):
                pass
        self._drop_temporaries([temporary for _, temporary in temporaries])
        self._remove_empty_folders()
        for name in (JOURNAL, BUILDING):
            (self.root / name).unlink(missing_ok=True)

    def _undo_added(self, added: list[str], waiting: set[str]) -> None:
        """A commit killed while it moved new files in: no page of the last build links to those moved, so
        they go, and the folder is the last build's again. (Kept instead, they would count as that
        build's files, be replaced late by the next, and meanwhile link to new files never moved in.)"""
        for site_path in added:
            if site_path not in waiting and site_path not in self._previous:
                self._remove(site_path)
        (self.root / JOURNAL).unlink(missing_ok=True)  # done: a build killed from here on has nothing to undo

    def _note_moved(self, moved: list[str], removed: list[str]) -> None:
        """A commit killed after its new files were in: what it moved in is ours now, but not to be trusted
        (written again or removed by this build), and the stale files it meant to remove go."""
        for site_path in moved:
            self._verified.discard(site_path)
            if os.path.isfile(self._file(site_path)):
                self._previous[site_path] = ["", -1]
            else:  # never moved in: it is new again (and goes in before what links to it)
                self._previous.pop(site_path, None)
        for site_path in removed:
            if site_path not in self._previous:
                self._remove(site_path)
        # What was learned is written down before the journal goes: a build killed in its turn before
        # its commit would otherwise leave the files moved in named nowhere, and never removed.
        self._write_manifest(self.committed_salt, self._previous)

    def _remove_empty_folders(self) -> None:
        """Folders the killed build left empty, which no temporary file names any more (it was killed
        between removing a file and its folder). Dot folders (a git checkout's) are not looked into."""
        for folder, folders, names in os.walk(self._root_text):
            folders[:] = [name for name in folders if not name.startswith(".")]
            if not folders and not names and folder != self._root_text:
                self._remove_empty_parents(Path(folder))

    def _temporaries(self) -> list[tuple[str, str]]:
        """The temporary files a killed build left, each with the site path it was to be moved to."""
        found = []
        for folder, _, names in os.walk(self._root_text):
            relative = os.path.relpath(folder, self._root_text).replace(os.sep, "/")
            for name in names:
                if match := _TEMPORARY.match(name):
                    target = match.group(1) if relative == "." else f"{relative}/{match.group(1)}"
                    found.append((target, os.path.join(folder, name)))
        return found

    def _write_journal(self, added, replaced, stale) -> None:
        self.state.write(JOURNAL, json.dumps({"added": [p for p, _ in added], "replaced": [p for p, _ in replaced],
                                              "removed": stale}, separators=(",", ":")))

    def _end(self) -> None:
        for name in (JOURNAL, BUILDING):
            try:
                os.unlink(self.root / name)
            except FileNotFoundError:
                pass

    def _remove(self, site_path: str) -> None:
        """Remove a file of an earlier build, never through a link out of the folder."""
        path = self.target(site_path)
        real = os.path.realpath(path.parent)
        if real != self._real_root and not real.startswith(self._real_root + os.sep):
            return  # a folder swapped for a link: what it leads to is not ours
        path.unlink(missing_ok=True)
        self._remove_empty_parents(path.parent)

    def _write_manifest(self, salt: str, files: dict[str, list]) -> None:
        text = json.dumps({"generator": "antiphon", "salt": salt, "notes": dict(sorted(self.state.notes.items())),
                           "files": dict(sorted(files.items()))}, separators=(",", ":"))
        self._written_notes = dict(self.state.notes)
        self.state.write(MANIFEST, text + "\n")

    def _remove_empty_parents(self, folder: Path) -> None:
        try:
            while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        except OSError:  # a folder that is a link, or was written into meanwhile: it stays
            pass
