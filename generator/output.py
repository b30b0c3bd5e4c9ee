"""The output folder: the only place a build writes.

Files are written atomically (temp file + rename) and only when their bytes
change, so watchers and browsers never see half-written pages and a no-change
build touches nothing. A manifest of written files marks the folder as ours:
only listed files are ever removed, and a non-empty folder without it is refused.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

MANIFEST = ".antiphon-manifest.json"


class OutputError(Exception):
    pass


def check_output_folder(output: Path, protected: dict[str, Path]) -> None:
    """Refuse an output folder that would overwrite sources or someone else's files.

    ``protected`` maps a description ('the content folder') to a folder that the
    output must neither be, nor contain, nor sit inside.
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


class OutputFolder:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[str] = set()
        self.changed: list[str] = []
        self._previous = self._read_manifest()
        if not (self.root / MANIFEST).is_file():
            # Claim the folder before the first page, so an interrupted first build is still ours.
            self.root.mkdir(parents=True, exist_ok=True)
            self._record_manifest()

    def _read_manifest(self) -> set[str]:
        try:
            return set(json.loads((self.root / MANIFEST).read_text("utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError):
            return set()

    def target(self, site_path: str) -> Path:
        path = (self.root / site_path).resolve()
        if self.root not in path.parents:
            raise OutputError(f"refusing to write outside the output folder: {site_path!r}")
        return path

    def write(self, site_path: str, data: bytes | str) -> bool:
        """Write one file; returns True when its bytes changed."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = self.target(site_path)
        self.written.add(site_path)
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.changed.append(site_path)
        return True

    def finish(self) -> list[str]:
        """Remove files an earlier build wrote that this one did not; record the manifest."""
        stale = sorted(self._previous - self.written)
        for site_path in stale:
            path = self.target(site_path)
            path.unlink(missing_ok=True)
            self._remove_empty_parents(path.parent)
        self._record_manifest()
        return stale

    def _record_manifest(self) -> None:
        manifest = json.dumps({"generator": "antiphon", "files": sorted(self.written - {MANIFEST})}, indent=0)
        self.write(MANIFEST, manifest + "\n")

    def _remove_empty_parents(self, folder: Path) -> None:
        while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
