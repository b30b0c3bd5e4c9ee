"""Watch-mode latency: edit a transcript on disk -> its page rewritten -> reload event sent.

Generates an archive of N transcripts (bench/corpus.py), builds it once (which notes where each
transcript's page is), starts ``antiphon serve`` on it, then edits transcripts one at a time and
measures, for each edit, the time until the conversation page on disk changes and until the
browser reload event arrives on the event stream. Two kinds of edit, each on its own transcripts:

- ``line``: a line added to a message past the opening, as a user writes; it changes the speakers'
  word counts, which their pages and the speakers' list show, so the lists are worked out again;
- ``word``: a word replaced by another of the same length past the opening, which no list shows.

    python bench/serve_latency.py --sizes 1000 5000 [--edits 7] [--kinds line word] [--work /tmp/antiphon-bench]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def start_server(project: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    for line in process.stdout:
        found = re.search(r"Serving (http://\S+)", line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, found.group(1)
    raise RuntimeError("server did not start")


class ReloadListener:
    def __init__(self, url: str):
        host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()
        self.connection = http.client.HTTPConnection(host, int(port), timeout=600)
        self.connection.request("GET", "/__antiphon/events?generation=0")
        self.response = self.connection.getresponse()
        self.reloads: list[float] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.response:
            if raw.startswith(b"event: reload"):
                self.reloads.append(time.perf_counter())


def add_line(text: str, number: int) -> str:
    head, last_rule, tail = text.rpartition("\n---\n")  # inside the last message's body
    return f"{head}\n\nedited {number} at {time.time_ns()}\n{last_rule}{tail}"


def replace_word(text: str, number: int) -> str:
    """The last message's last word of four letters or more, its letters turned round (so its length,
    and the message's word count, stay the same)."""
    found = list(re.finditer(r"\b[a-z]{4,}\b", text))[-1]
    return text[:found.start()] + found.group()[::-1] + text[found.end():]


EDITS = {"line": add_line, "word": replace_word}


def measure(project: Path, edits: int, kind: str, offset: int) -> dict:
    pages = _pages_of(project)
    process, url = start_server(project)
    try:
        listener = ReloadListener(url)
        time.sleep(0.5)
        files = sorted((project / "content").rglob("*.md"))
        rewrite, reload = [], []
        for number in range(edits):
            source = files[(offset + number * 997) % len(files)]
            page = project / "site" / "c" / pages[source.relative_to(project / "content").as_posix()] / "index.html"
            before = page.stat().st_mtime_ns
            seen = len(listener.reloads)
            text = EDITS[kind](source.read_text("utf-8"), number)
            started = time.perf_counter()
            source.write_text(text, "utf-8")
            while page.stat().st_mtime_ns == before:
                time.sleep(0.001)
            rewrite.append(time.perf_counter() - started)
            while len(listener.reloads) == seen:
                time.sleep(0.001)
            reload.append(listener.reloads[-1] - started)
            time.sleep(0.3)
        return {"rewrite": rewrite, "reload": reload}
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def _pages_of(project: Path) -> dict[str, str]:
    """Each transcript's page (its slug), by its path in the content folder, as a build notes them."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--no-search"], cwd=project, env=env, check=True)
    sys.path.insert(0, str(ROOT))
    from generator.library import SOURCES_STATE, read_lines
    remembered = read_lines((project / "site" / SOURCES_STATE).read_text("utf-8"))
    return {relative: entry.places[0][0] for relative, entry in remembered.items() if entry.places and entry.places[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--kinds", nargs="+", choices=sorted(EDITS), default=["line", "word"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/antiphon-bench"))
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; {args.edits} edits per size; quiet period included")
    print(f"{'N':>6} {'edit':>5} {'page rewritten (median / max)':>32} {'reload sent (median / max)':>30}")
    for size in args.sizes:
        project = args.work / f"serve-{size}"
        if not (project / "content").is_dir():
            generate(project / "content", size)
        for offset, kind in enumerate(args.kinds):
            result = measure(project, args.edits, kind, offset * 499)
            ms = {k: [v * 1000 for v in values] for k, values in result.items()}
            print(f"{size:>6} {kind:>5} {statistics.median(ms['rewrite']):>22.0f} / {max(ms['rewrite']):.0f} ms"
                  f"{statistics.median(ms['reload']):>21.0f} / {max(ms['reload']):.0f} ms", flush=True)


if __name__ == "__main__":
    main()
