"""Watching sources: file-system events in, "rebuild now" out.

The builder re-scans the content folder and re-reads only what changed, so the
watcher need not work out *what* changed from the event stream; it only decides
whether an event concerns a source (not editor litter, not the output folder)
and coalesces bursts: after the first relevant event it waits until the stream
has been quiet for a moment, then reports the whole batch once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from generator.sources import is_content_file, is_editor_litter

QUIET_SECONDS = 0.03
# Events that do not change a file's contents ("opened", "closed_no_write", attribute changes).
_RELEVANT_EVENTS = {"created", "modified", "deleted", "moved", "closed"}


class ChangeCollector(FileSystemEventHandler):
    """Collects relevant changed paths from watchdog's thread; :meth:`wait` hands them to the build loop."""

    def __init__(self, content: Path, extra_folders: list[Path], files: list[Path], ignored: list[Path]):
        self.content = content.resolve()
        self.extra_folders = [f.resolve() for f in extra_folders]  # theme folders: any file counts
        self.files = {f.resolve() for f in files}  # single files such as antiphon.toml
        self.ignored = [f.resolve() for f in ignored]  # the output folder: never a source
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._condition = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _RELEVANT_EVENTS:
            return
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" else [])
        relevant = {Path(_text(p)) for p in paths if self.is_relevant(Path(_text(p)), event.is_directory)}
        if event.event_type == "modified" and event.is_directory:
            relevant = set()  # a folder's mtime changes with its files; the file events say more
        if relevant:
            with self._condition:
                self._pending |= relevant
                self._last_event = time.monotonic()
                self._condition.notify_all()

    def is_relevant(self, path: Path, is_directory: bool = False) -> bool:
        path = Path(path).resolve()
        if any(path == folder or folder in path.parents for folder in self.ignored):
            return False
        if path in self.files:
            return True
        if is_editor_litter(path):
            return False
        if path == self.content or self.content in path.parents:
            relative = path.relative_to(self.content).parts if path != self.content else ()
            if any(part.startswith(".") for part in relative[:-1]):  # a hidden folder
                return False
            return is_directory or is_content_file(path)
        return any(folder in path.parents for folder in self.extra_folders)

    def wait(self, timeout: float | None = None, quiet: float = QUIET_SECONDS) -> set[Path]:
        """Block until relevant changes arrive and then stop for ``quiet`` seconds; return them (empty on timeout)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while not self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return set()
                self._condition.wait(remaining)
            while (idle := time.monotonic() - self._last_event) < quiet:
                self._condition.wait(quiet - idle)
            changes, self._pending = self._pending, set()
            return changes


def _text(path: str | bytes) -> str:
    return path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path


def start_observer(collector: ChangeCollector, poll: bool = False) -> Observer:
    """Watch the collector's folders (and the folders of its single files) with watchdog."""
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    folders = {collector.content: True}
    folders.update({folder: True for folder in collector.extra_folders})
    for file in collector.files:
        folders.setdefault(file.parent, False)
    for folder, recursive in sorted(folders.items()):
        if folder.is_dir():
            observer.schedule(collector, str(folder), recursive=recursive)
    observer.daemon = True
    observer.start()
    return observer
