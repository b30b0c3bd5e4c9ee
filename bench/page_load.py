"""How long a long conversation's page takes to open in Chromium: a session of thousands of messages.

    python bench/page_load.py [--messages 6000] [--runs 5] [--site SITE --page c/slug/]

Without ``--site`` it builds one generated session of ``--messages`` messages (speech, folded tool
calls and results, as an agent session holds them; search off) and opens its page. With ``--site``
it opens ``--page`` of a site you built (a real archive's longest session, say). Each run is a fresh
page in one browser, served over HTTP from this machine; the figures are medians:

- DOMContentLoaded and load (ms from the request), the page's own script time, and the time the
  browser spent laying out and styling the page (Chromium's Performance metrics);
- the time to jump to a message near the end (``#m-N``) and the distance of that message from the
  top of the window afterwards (it should be about its scroll margin).

Run it with another checkout on PYTHONPATH to measure that version's theme (the closing notes'
before and after). Chromium: ANTIPHON_CHROMIUM, else ``chromium`` on the PATH.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

# Appended: a checkout named on PYTHONPATH comes first, so its theme is the one measured.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from generator.config import load_config  # noqa: E402
from generator.site import build  # noqa: E402

SLUG = "c/2025-03-01-a-long-session/"


def session(messages: int) -> str:
    """A native transcript shaped like an agent session: requests, answers, tool calls and results."""
    parts = ["# A long session", "", "**Started:** 2025-03-01 09:00:00", ""]
    for n in range(1, messages + 1):
        turn = n % 4
        if turn == 1:
            speaker, text = "User", f"Request {n}: look at module {n % 37} and tell me what it does."
        elif turn == 2:
            speaker = "Claude"
            text = (f"Module {n % 37} reads the configuration, checks each field and reports what it found.\n\n"
                    "- it opens the file\n- it parses each line\n- it returns the settings\n\n"
                    f"The interesting part is `parse_line`, which handles case {n}.")
        elif turn == 3:
            speaker, text = "Claude (tool call)", f"Read(src/module_{n % 37}.py)"
        else:
            speaker = "Tool (tool result)"
            lines = (f"{line:>4}  def step_{line}(): return {line}" for line in range(1, 25))
            text = "```\n" + "\n".join(lines) + "\n```"
        parts += ["---", "", f"### {speaker}", "", text, ""]
    return "\n".join(parts + ["---", ""])


def measure(url: str, runs: int, jump: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("ANTIPHON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Chromium not found: install it (apt-get install chromium) or set ANTIPHON_CHROMIUM")
    figures: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(url, wait_until="load")
            timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            jumped = page.evaluate("""async (id) => {
                const started = performance.now();
                location.hash = id;
                await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                return [performance.now() - started, document.getElementById(id).getBoundingClientRect().top];
            }""", f"m-{jump}")
            for name, value in (("DOMContentLoaded ms", timing[0]), ("load ms", timing[1]),
                                ("script ms", metrics["ScriptDuration"] * 1000),
                                ("layout ms", metrics["LayoutDuration"] * 1000),
                                ("style ms", metrics["RecalcStyleDuration"] * 1000),
                                (f"jump to #m-{jump} ms", jumped[0]), (f"#m-{jump} from the top px", jumped[1])):
                figures.setdefault(name, []).append(value)
            page.close()
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="a built site, instead of a generated session")
    parser.add_argument("--page", default=SLUG, help="the page of --site to open")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site, page = args.site, args.page
        if site is None:
            project = Path(work)
            (project / "content").mkdir()
            (project / "content" / "long.md").write_text(session(args.messages), "utf-8")
            config = load_config(None, project, search=False)
            if build(config).failed():
                sys.exit("the generated session did not build")
            site, page = config.output_path, SLUG
        html = (site / page / "index.html").read_text("utf-8")
        count = html.count('<article class="msg')
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
            figures = measure(url, args.runs, jump=max(1, count - 10))
        finally:
            server.shutdown()
    print(f"{page}: {count} messages, {len(html.encode()) / 1e6:.1f} MB of HTML; medians of {args.runs}")
    for name, values in figures.items():
        print(f"  {name:<28} {statistics.median(values):>8.0f}   (runs: {', '.join(f'{v:.0f}' for v in values)})")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    main()
