"""A push as the Pages workflow builds it: a fresh clone, the last run's site put back beside it.

The workflow (``antiphon new`` writes it) keeps each run's ``site/`` with ``actions/cache``. A fresh
clone gives every transcript a new time, so the build must tell by the bytes that a file is as the
last build read it. This script plays the runs on a generated archive in a git repository:

1. the first run, with nothing kept: a cold build;
2. a push that changes no transcript: a fresh clone at the same path (as a runner's workspace is),
   the kept site put back, ``antiphon build``;
3. a push that edits one transcript (a line added to its last message), the same way.

Each run is ``antiphon build -j JOBS`` with search on, as the workflow builds; the cache's own
download and upload are not counted (they depend on GitHub's network, and the site's size).

    python bench/ci_run.py [--size 5000] [--runs 3] [--jobs 2] [--work /tmp/antiphon-ci-run]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import _timed, edit_one  # noqa: E402
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def origin_of(work: Path, size: int) -> Path:
    """A repository holding a generated archive of ``size`` transcripts (made once)."""
    origin = work / "origin"
    if not (origin / ".git").is_dir():
        shutil.rmtree(origin, ignore_errors=True)
        generate(origin / "content", size)
        (origin / "antiphon.toml").write_text('title = "Benchmark"\nbase_url = "https://example.org/bench/"\n',
                                              "utf-8")
        (origin / ".gitignore").write_text("site/\n", "utf-8")
        git("init", "-q", cwd=origin)
        git("add", "-A", cwd=origin)
        git("commit", "-q", "-m", "The archive", cwd=origin)
    return origin


def run(origin: Path, checkout: Path, kept: Path, jobs: int) -> float:
    """One workflow run: a fresh clone at ``checkout``, the ``kept`` site put back, the build; the
    site is kept again after it. Returns the build's seconds."""
    shutil.rmtree(checkout, ignore_errors=True)
    git("clone", "-q", str(origin), str(checkout), cwd=origin.parent)
    if kept.is_dir():
        kept.rename(checkout / "site")
    seconds = _timed([sys.executable, "-m", "generator", "build", "-q", "--jobs", str(jobs)], checkout,
                     {"PYTHONPATH": str(ROOT)}).seconds
    (checkout / "site").rename(kept)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/antiphon-ci-run"))
    args = parser.parse_args()
    origin = origin_of(args.work, args.size)
    checkout, kept = args.work / "checkout", args.work / "kept-site"
    times: dict[str, list[float]] = {"cold (nothing kept)": [], "no transcript changed": [], "one transcript edited": []}
    for number in range(args.runs):
        shutil.rmtree(kept, ignore_errors=True)
        times["cold (nothing kept)"].append(run(origin, checkout, kept, args.jobs))
        times["no transcript changed"].append(run(origin, checkout, kept, args.jobs))
        edit_one(origin / "content", number)
        git("commit", "-q", "-am", f"An edit, number {number}", cwd=origin)
        times["one transcript edited"].append(run(origin, checkout, kept, args.jobs))
    print(f"{args.size} transcripts, search on, -j {args.jobs}; median of {args.runs} (each run's seconds)")
    for label, seconds in times.items():
        print(f"  {label:<24} {statistics.median(seconds):7.2f} s   ({', '.join(f'{s:.2f}' for s in seconds)})")


if __name__ == "__main__":
    main()
