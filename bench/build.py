"""Build benchmark: Antiphon (and Hugo, when installed) on generated archives of N transcripts.

For each N it measures, median of --runs, Antiphon and Hugo alternately:
cold build (no output, no cache), no-change rebuild, rebuild after editing one
transcript, peak RSS, output size; and the cold build's processor time (user and system,
every process's), which the machine's drift moves less than the wall clock, with each run's
figures as they come. Search is on, as users build: Antiphon indexes
its own shards, and Hugo is followed by a Pagefind run over its output (the same
Pagefind release). ``--no-search`` measures both without a search index.

Before a cold build the previous output is moved aside, not deleted, and the moved
trees are deleted when the benchmark ends. Right after a large tree is deleted, ext4
allocates new inodes slowly: it skips each recently freed one, reading its inode table
block (``recently_deleted`` in ``find_inode_bit``, seen with ``perf record -a -g``).
Deleting first made each cold build pay for the deletion before it, in proportion to
the number of files it creates (Antiphon writes three per conversation, Hugo one).

    python bench/build.py --sizes 1000 5000 [--runs 3] [--jobs N] [--no-search] [--content DIR] [--shape real]

``--content DIR`` measures a folder of transcripts you have (a real archive) instead of a generated one
(Antiphon only: converting an arbitrary archive for Hugo is not attempted). ``--shape real`` generates
transcripts shaped like real AI-to-AI logs (headings, lists, drawings, tables, terminal sessions: see
corpus.py) instead of plain verse.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class Timing(NamedTuple):
    seconds: float  # wall clock
    cpu: float  # processor time (user and system) of the processes and the children they waited for
    rss: float  # peak RSS in MB of any one of them
    output: str


def timed(commands: list[list[str]], cwd: Path, env: dict | None = None) -> Timing:
    """Running the commands one after the other."""
    seconds, cpu, rss, output = 0.0, 0.0, 0.0, ""
    for command in commands:
        one = _timed(command, cwd, env)
        seconds, cpu, rss, output = seconds + one.seconds, cpu + one.cpu, max(rss, one.rss), output + one.output
    return Timing(seconds, cpu, rss, output)


def _timed(command: list[str], cwd: Path, env: dict | None = None) -> Timing:
    environment = {**os.environ, **(env or {})}
    # As installed: pip compiles modules at install and Python keeps them compiled. With this set
    # (some containers do), every run would compile Antiphon's modules again.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment)
    output = process.stdout.read().decode("utf-8", "replace")
    # The rusage of a child waited for holds the children it waited for too: workers and Pagefind.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-2000:]}")
    return Timing(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


TRASH: list[Path] = []  # outputs moved aside, deleted at the end (see the module's docstring)


def move_aside(folder: Path) -> None:
    if folder.exists():
        trash = folder.with_name(f".trash-{folder.name}-{len(TRASH)}")
        folder.rename(trash)
        TRASH.append(trash)


def empty_trash() -> None:
    for folder in TRASH:
        shutil.rmtree(folder, ignore_errors=True)
    TRASH.clear()


def folder_size(folder: Path) -> float:
    """MB published: hidden files (Antiphon's state files) are left out, as GitHub Pages' upload leaves them."""
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)) / 1e6


def edit_one(content: Path, number: int) -> None:
    """Add a line to the last message of the transcript in the middle of the archive."""
    sources = sorted(p for p in content.rglob("*") if p.suffix in (".md", ".txt"))
    path = sources[len(sources) // 2]
    text = path.read_text("utf-8")
    if "\n---\n" in text:
        head, rule, tail = text.rpartition("\n---\n")
        path.write_text(f"{head}\n\nAn edit, number {number}.\n{rule}{tail}", "utf-8")
    else:
        path.write_text(f"{text.rstrip()}\n\nAn edit, number {number}.\n", "utf-8")


class Antiphon:
    name = "Antiphon"

    def __init__(self, project: Path, jobs: int, search: bool):
        self.project, self.jobs = project, jobs
        (project / "antiphon.toml").write_text(f'title = "Benchmark"\nsearch = {str(search).lower()}\n'
                                               'base_url = "https://example.org/bench/"\n', "utf-8")

    def commands(self) -> list[list[str]]:
        return [[sys.executable, "-m", "generator", "build", "-q", "--jobs", str(self.jobs)]]

    def env(self) -> dict:
        return {"PYTHONPATH": str(ROOT)}

    def clean(self) -> None:
        move_aside(self.project / "site")

    def output(self) -> Path:
        return self.project / "site"


class Hugo:
    name = "Hugo"

    def __init__(self, project: Path, content: Path, search: bool):
        self.project, self.search = project, search
        if search:
            self.name = "Hugo+PF"
        if not (project / "content").is_dir():
            convert_for_hugo(content, project)

    def commands(self) -> list[list[str]]:
        hugo = ["hugo", "--quiet", "--ignoreCache", "--cleanDestinationDir", "-d", "public"]
        # Pagefind as its documentation says to run it after Hugo: over the whole output, every time.
        pagefind = [sys.executable, "-m", "pagefind", "--site", "public", "--silent"]
        return [hugo, pagefind] if self.search else [hugo]

    def env(self) -> dict:
        return {}

    def clean(self) -> None:
        move_aside(self.project / "public")
        move_aside(self.project / "resources")

    def output(self) -> Path:
        return self.project / "public"


_HEADER = re.compile(r"^\*\*(Started|Tags):\*\*\s*(.*)$", re.M)


def convert_for_hugo(content: Path, project: Path) -> None:
    """The same transcripts as Hugo pages: front matter (title, date, tags) and the messages as Markdown."""
    (project / "content" / "c").mkdir(parents=True, exist_ok=True)
    for path in sorted(content.rglob("*.md")):
        text = path.read_text("utf-8")
        title = text.split("\n", 1)[0][2:]
        fields = dict(_HEADER.findall(text.split("\n---\n", 1)[0]))
        body = text.split("\n---\n", 1)[1]
        tags = ", ".join(f'"{t.strip()}"' for t in fields.get("Tags", "").split(",") if t.strip())
        date = fields.get("Started", "2024-01-01 00:00:00").replace(" ", "T")
        (project / "content" / "c" / path.name).write_text(
            f'---\ntitle: "{title}"\ndate: {date}\ntags: [{tags}]\n---\n\n{body}', "utf-8")
    (project / "hugo.toml").write_text(
        'baseURL = "https://example.org/bench/"\ntitle = "Benchmark"\ndisableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
        '[taxonomies]\ntag = "tags"\n[markup.goldmark.renderer]\nhardWraps = true\n', "utf-8")
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} {{ range .Params.tags }}{{ . }} {{ end }}</p>'
        '{{ .Content }}</body></html>\n', "utf-8")
    (layouts / "list.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}'
        '</ul></body></html>\n', "utf-8")


def measure(tools: list, runs: int, content: Path) -> dict:
    """Each figure for each tool, the tools taking turns run by run so that load affects them alike."""
    figures = {tool.name: {"cold": [], "cold_cpu": [], "rss": [], "nochange": [], "edit": []} for tool in tools}
    for run in range(runs):
        for tool in tools:
            mine = figures[tool.name]
            tool.clean()
            cold = timed(tool.commands(), tool.project, tool.env())
            mine["cold"].append(cold.seconds)
            mine["cold_cpu"].append(cold.cpu)
            mine["rss"].append(cold.rss)
            mine["nochange"].append(timed(tool.commands(), tool.project, tool.env()).seconds)
            # Each run's figures as they come: the machine's speed drifts, and a median hides by how much.
            print(f"  run {run + 1}: {tool.name} cold {cold.seconds:.2f} s ({cold.cpu:.1f} s of processor time)",
                  flush=True)
        edit_one(content, run)
        for tool in tools:
            if isinstance(tool, Hugo):
                shutil.rmtree(tool.project / "content", ignore_errors=True)
                convert_for_hugo(content, tool.project)
            edit = timed(tool.commands(), tool.project, tool.env()).seconds
            figures[tool.name]["edit"].append(edit)
            print(f"  run {run + 1}: {tool.name} one edit {edit:.2f} s", flush=True)
    results = {}
    for tool in tools:
        results[tool.name] = {key: statistics.median(values) for key, values in figures[tool.name].items()}
        results[tool.name]["size"] = folder_size(tool.output())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/antiphon-build-bench"))
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--content", type=Path, help="a folder of transcripts to measure instead of a generated one")
    parser.add_argument("--shape", choices=["plain", "real"], default="plain",
                        help="the generated transcripts: plain verse, or shaped like real logs")
    args = parser.parse_args()
    hugo = shutil.which("hugo") and not args.no_hugo and not args.content
    search = not args.no_search
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1] if hugo else ""
    print(f"{datetime.date.today()} · {os.cpu_count()} cores · median of {args.runs} · Antiphon --jobs {args.jobs}"
          + f" · search {'on' if search else 'off'}" + (f" · Hugo {version}" if hugo else " · Hugo not run"))
    if args.content:
        args.sizes = [len([p for p in args.content.rglob("*") if p.is_file()])]
    for size in args.sizes:
        base = args.work / (str(size) if args.shape == "plain" else f"{size}-{args.shape}")
        antiphon_project = base / "antiphon"
        content = antiphon_project / "content"
        if args.content:
            shutil.rmtree(base, ignore_errors=True)
            shutil.copytree(args.content, content)
        elif not content.is_dir():
            generate(content, size, shape=args.shape)
        tools = [Antiphon(antiphon_project, args.jobs, search)]
        if hugo:
            tools.append(Hugo(base / "hugo", content, search))
        results = measure(tools, args.runs, content)
        print(f"{'N':>6} {'tool':<9} {'cold s':>8} {'cold cpu s':>11} {'no-change s':>12} {'one edit s':>11} "
              f"{'peak RSS MB':>12} {'output MB':>10}")
        for name, r in results.items():
            print(f"{size:>6} {name:<9} {r['cold']:>8.2f} {r['cold_cpu']:>11.1f} {r['nochange']:>12.2f} "
                  f"{r['edit']:>11.2f} {r['rss']:>12.0f} {r['size']:>10.0f}")
        if hugo:
            a, h = results["Antiphon"], results[tools[1].name]
            print(f"{size:>6} {'ratio':<9} {a['cold'] / h['cold']:>8.2f} {a['cold_cpu'] / h['cold_cpu']:>11.2f} "
                  f"{a['nochange'] / h['nochange']:>12.2f} {a['edit'] / h['edit']:>11.2f} {a['rss'] / h['rss']:>12.2f} "
                  f"{a['size'] / h['size']:>10.2f}")
        text = sum(p.stat().st_size for p in content.rglob("*") if p.is_file()) / 1e6
        print(f"{size:>6} transcripts {text:.0f} MB; Antiphon's output is {results['Antiphon']['size'] / text:.1f}x "
              "their size", flush=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        empty_trash()
