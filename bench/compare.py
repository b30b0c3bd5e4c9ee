"""Two versions of Antiphon on the same archive, taking turns: is a change faster, or is it the machine?

On a shared virtual machine the same build's time moves by a tenth or more within minutes (one edit
at 5,000 took anywhere from 1.2 s to 2.1 s in an hour), so one run before a change and one after say
little. This runs both versions on copies of one generated archive, round after round, each round in
the other order, and compares them round by round: the median of each, the median of the rounds'
differences, and how often the candidate was the faster (with a sign test's p-value: how likely so
lopsided a count would be if the two were equally fast). Wall time, and processor time (user and
system, the build's own processes and Pagefind's), which the machine's load moves less.

    python bench/compare.py BASE [CANDIDATE] [--size 5000] [--edits 20] [--edit line|case] [--cold 0] [--jobs 2]

BASE and CANDIDATE are git revisions of this repository (CANDIDATE defaults to the working tree, as
it is, uncommitted changes included). Each version runs from its own checkout (a detached worktree
under the work folder, for a revision), through PYTHONPATH, in this interpreter. ``--edits N``: N
rounds of one edited transcript and a build: ``--edit line`` (the default) adds a line to its last
message, as bench/build.py does, which changes what lists show (its words, its shape); ``--edit
case`` changes the case of one word in its middle, which no list shows. ``--cold N``: N rounds of a
build with no output (moved aside, as bench/build.py does). Before the rounds each version builds
its copy once, so that every edit round finds its own last build.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import edit_one, empty_trash, move_aside, timed  # noqa: E402
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class Version:
    """One version of the code and its own copy of the archive."""

    def __init__(self, name: str, code: Path, project: Path, jobs: int):
        self.name, self.code, self.project, self.jobs = name, code, project, jobs
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def build(self) -> tuple[float, float]:
        """(wall seconds, processor seconds: its workers' and Pagefind's too) of one ``antiphon build``."""
        command = [sys.executable, "-m", "generator", "build", "-q", "--jobs", str(self.jobs)]
        one = timed([command], self.project, {"PYTHONPATH": str(self.code)})
        return one.seconds, one.cpu

    def measure(self) -> None:
        wall, cpu = self.build()
        self.wall.append(wall)
        self.cpu.append(cpu)


def checkout(revision: str, work: Path) -> Path:
    """The code of ``revision`` in a detached worktree (removed at the end by :func:`remove_checkouts`)."""
    folder = work / f"code-{len(list(work.glob('code-*')))}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), revision], check=True)
    return folder


def remove_checkouts(work: Path) -> None:
    for folder in work.glob("code-*"):
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False)


def edit_case(content: Path, number: int) -> None:
    """Change one word's case in the middle of a transcript: its page changes, and nothing a list shows
    (its words are counted in lower case, and its length stays)."""
    sources = sorted(p for p in content.rglob("*") if p.suffix in (".md", ".txt"))
    path = sources[(len(sources) // 2 + number) % len(sources)]
    text = path.read_text("utf-8")
    middle = text.find(" the ", len(text) // 2)
    if middle == -1:
        middle = text.find(" The ", len(text) // 2)
    if middle != -1:
        word = text[middle + 1:middle + 4]
        path.write_text(text[:middle + 1] + word.swapcase()[0] + word[1:] + text[middle + 4:], "utf-8")


def sign_test(wins: int, rounds: int) -> float:
    """Two-sided p-value of ``wins`` out of ``rounds`` if either version were as likely to win each round."""
    if rounds == 0:
        return 1.0
    tail = sum(math.comb(rounds, k) for k in range(min(wins, rounds - wins) + 1)) / 2 ** rounds
    return min(1.0, 2 * tail)


def report(label: str, base: list[float], candidate: list[float]) -> str:
    """One line comparing paired measurements (base[i] and candidate[i] are one round)."""
    differences = [c - b for b, c in zip(base, candidate)]
    wins = sum(1 for d in differences if d < 0)
    ties = sum(1 for d in differences if d == 0)
    rounds = len(differences) - ties
    return (f"{label:>14}  base {statistics.median(base):7.3f}  candidate {statistics.median(candidate):7.3f}  "
            f"difference {statistics.median(differences):+7.3f} s "
            f"({statistics.median(differences) / statistics.median(base):+.1%})  "
            f"candidate faster in {wins} of {rounds} rounds, p = {sign_test(wins, rounds):.3f}")


def alternate(versions: list[Version], rounds: int, before_each) -> None:
    for number in range(rounds):
        for version in versions if number % 2 == 0 else versions[::-1]:
            before_each(version, number)
            version.measure()
        print(f"  round {number + 1}: " + "  ".join(f"{v.name} {v.wall[-1]:.2f} s ({v.cpu[-1]:.2f} s cpu)"
                                                    for v in versions), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="a git revision (the version to compare against)")
    parser.add_argument("candidate", nargs="?", help="a git revision (default: the working tree)")
    parser.add_argument("--size", type=int, default=5000, help="generated transcripts (default 5000)")
    parser.add_argument("--edits", type=int, default=20, help="rounds of one edit and a build (default 20)")
    parser.add_argument("--edit", choices=["line", "case"], default="line",
                        help="what each edit round changes (see above)")
    parser.add_argument("--cold", type=int, default=0, help="rounds of a build from nothing (default 0)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="where the checkouts and archives go (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="antiphon-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        content = work / f"content-{args.size}"  # kept in a --work folder for the next comparison
        if not content.is_dir():
            generate(content, args.size)
        versions = [Version("base", checkout(args.base, work), work / "base", args.jobs),
                    Version("candidate", checkout(args.candidate, work) if args.candidate else ROOT,
                            work / "candidate", args.jobs)]
        for version in versions:
            shutil.rmtree(version.project, ignore_errors=True)
            shutil.copytree(content, version.project / "content")
            (version.project / "antiphon.toml").write_text(
                'title = "Benchmark"\nsearch = true\nbase_url = "https://example.org/bench/"\n', "utf-8")
            version.build()  # its first build, from nothing: the edits' rounds start from it
        print(f"{args.size} transcripts · --jobs {args.jobs} · base {args.base} · candidate {args.candidate or 'working tree'}")
        if args.cold:
            alternate(versions, args.cold, lambda version, number: move_aside(version.project / "site"))
            print(report("cold, wall", versions[0].wall, versions[1].wall))
            print(report("cold, cpu", versions[0].cpu, versions[1].cpu))
            empty_trash()
            for version in versions:
                version.wall, version.cpu = [], []
        if args.edits:
            edit = edit_one if args.edit == "line" else edit_case
            alternate(versions, args.edits, lambda version, number: edit(version.project / "content", number))
            print(report("one edit, wall", versions[0].wall, versions[1].wall))
            print(report("one edit, cpu", versions[0].cpu, versions[1].cpu))
    finally:
        empty_trash()
        remove_checkouts(work)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
