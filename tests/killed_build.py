"""Run ``antiphon build`` and kill it (exit at once, as SIGKILL would) part of the way through one part of its commit.

Usage, in the project folder: ``python tests/killed_build.py PART[:SHARE]``, PART being ``added`` (while new
files are moved in), ``replaced`` (while changed files are) or ``removed`` (while stale files go), and
SHARE how far through them (0.5 unless given; at least one file is done and one left). The commit's
journal says how many files each part moves, so the point does not depend on the archive. A build
whose commit has fewer than two such files runs to its end.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from generator import cli
from generator.output import JOURNAL

PART, _, SHARE = sys.argv.pop(1).partition(":")
ORDER = ("added", "replaced", "removed")
JOURNAL_FILE = Path("site") / JOURNAL
_commit = {"moves": 0, "at": None}


def _kill_point() -> int:
    """The file operation of the commit to die at: SHARE of the way through PART (-1: never)."""
    journal = json.loads(JOURNAL_FILE.read_text("utf-8"))
    sizes = [len(journal.get(part, [])) for part in ORDER]
    before, size = sum(sizes[:ORDER.index(PART)]), sizes[ORDER.index(PART)]
    return before + max(1, min(size - 1, round(size * float(SHARE or 0.5)))) if size >= 2 else -1


def _watching(real):
    def operation(source, *rest, **options):
        result = real(source, *rest, **options)
        target = Path(rest[0] if rest else source)
        if target.name == JOURNAL:  # the commit starts (recovering a killed build's commit is no part of it)
            _commit["at"] = _kill_point()
        elif _commit["at"] is not None and not target.name.startswith("."):  # a site file, not a state file
            _commit["moves"] += 1
            if _commit["moves"] == _commit["at"]:
                os._exit(137)
        return result
    return operation


os.replace, os.unlink = _watching(os.replace), _watching(os.unlink)
sys.exit(cli.main(["build", "-q", "-j", "2"]))
