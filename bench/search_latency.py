"""Search as a visitor meets it: the time from opening the search page with a query to the first
result, in the system Chromium, against a built site served locally.

Every query searches every shard of the index (Pagefind's ``mergeIndex``), and each shard costs the
browser requests and work; an edit indexes one shard again, so the fewer the shards, the larger the
edit. ``--shards`` measures both sides of that trade: it indexes the site's pages again into each
number of shards given (in a copy beside the site, by the build's own hash of the slug), reporting
Pagefind's time per shard, then times the queries on each.

    python bench/search_latency.py SITE [--queries ember "ember wave" lattice] [--runs 3] [--shards 1 32 64 128]

SITE is a built output folder (``antiphon build``); with no ``--shards`` its own index is measured.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.search import Shard, index_shard  # noqa: E402
from generator.search.records import search_entry  # noqa: E402
from generator.search.pagefind import PagefindService, entry as pagefind_entry  # noqa: E402
from generator.search.shards import FOLDER, shard_folder, shard_of  # noqa: E402


def reindexed(site: Path, count: int, work: Path) -> tuple[Path, float]:
    """A copy of ``site`` (linked, but for its index) whose pages are indexed into ``count`` shards;
    with Pagefind's mean seconds per shard."""
    copy = work / f"shards-{count}"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for entry in site.iterdir():
        if entry.name != FOLDER.rstrip("/"):
            (copy / entry.name).symlink_to(entry.resolve())
    groups: dict[int, list] = {}
    for page in sorted((site / "c").glob("*/index.html")):
        slug = page.parent.name
        groups.setdefault(shard_of(slug, count), []).append(pagefind_entry(f"/c/{slug}/", search_entry(page.read_bytes())))
    first = min(groups)
    local = threading.local()
    services: list[PagefindService] = []
    seconds: list[float] = []

    def index(number: int) -> None:
        if not hasattr(local, "service"):
            local.service = PagefindService()
            services.append(local.service)
        started = time.perf_counter()
        files = index_shard(local.service, Shard(number, primary=number == first), groups[number])
        seconds.append(time.perf_counter() - started)
        for name, data in files.items():
            path = copy / shard_folder(number) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(index, sorted(groups)))
    finally:
        for service in services:
            service.close()
    (copy / FOLDER / "shards.json").write_text(json.dumps({"shards": [shard_folder(n) for n in sorted(groups)]}))
    return copy, statistics.mean(seconds)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def query_times(site: Path, queries: list[str], runs: int) -> dict[str, list[tuple[float, int]]]:
    """For each query, ``runs`` times: (seconds to the first result shown, requests made)."""
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("ANTIPHON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/search/?q="
    times: dict[str, list[tuple[float, int]]] = {query: [] for query in queries}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            for _ in range(runs):
                for query in queries:
                    requests.clear()
                    started = time.perf_counter()
                    page.goto(base + quote(query))
                    page.wait_for_selector(".search-title", timeout=120_000)
                    times[query].append((time.perf_counter() - started, len(requests)))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return times


def report(label: str, times: dict[str, list[tuple[float, int]]]) -> None:
    for query, measured in times.items():
        seconds = sorted(s for s, _ in measured)
        print(f"{label:>14}  {query!r:>16}  median {statistics.median(seconds):5.2f} s"
              f"  (min {seconds[0]:.2f}, max {seconds[-1]:.2f})  {measured[-1][1]:>5} requests", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", nargs="+", default=["ember", "ember wave", "lattice"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", type=int, nargs="*", default=[])
    parser.add_argument("--work", type=Path, default=Path("/tmp/antiphon-search-latency"))
    args = parser.parse_args()
    pages = len(list((args.site / "c").glob("*/index.html")))
    print(f"{os.cpu_count()} cores; {pages} conversation pages; {args.runs} runs; the first result, page load included")
    if not args.shards:
        shards = json.loads((args.site / FOLDER / "shards.json").read_text("utf-8"))["shards"]
        report(f"{len(shards)} shards", query_times(args.site, args.queries, args.runs))
    for count in args.shards:
        copy, per_shard = reindexed(args.site, count, args.work)
        print(f"{count} shards of about {pages / count:.0f} pages: Pagefind {per_shard:.2f} s a shard")
        report(f"{count} shards", query_times(copy, args.queries, args.runs))
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
