"""What a build reports: :class:`BuildResult`, and :class:`BuildError` for a build that cannot start."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic

# The ways a build can go (see generator/rebuild.py); a result says which one ran.
FULL, UNCHANGED, EDITS, HELD = "full", "unchanged", "edits in place", "held archive"


@dataclass
class BuildResult:
    conversations: int = 0
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    search_seconds: float = 0.0
    shards: int = 0  # search index shards there are
    shards_indexed: int = 0  # of which this build indexed again
    committed: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # seconds by phase: reading, rendering, writing, search
    path: str = FULL  # which way the build went
    inputs: str = ""  # the digest of what the committed build was made from ("" after errors)
    site_size: tuple[int, int] = (0, 0)  # (bytes, files) of the site as committed

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "note"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class BuildError(Exception):
    """The build cannot start (bad content folder, unsafe output folder, missing theme), or cannot write."""
