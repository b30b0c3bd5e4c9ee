"""Real-browser helpers: Playwright driving the system Chromium (skips when it is absent)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ANTIPHON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def require_chromium():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install -y chromium)")
        pytest.skip("system Chromium not installed")
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def static_server(site: Path, prefix: str = "/"):
    """Serve ``site`` at http://127.0.0.1:PORT{prefix}, the way GitHub Pages serves a project site."""
    root = site.parent / "_served"
    if root.exists():
        shutil.rmtree(root)
    mount = root / prefix.strip("/") if prefix.strip("/") else root
    mount.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site, mount)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def browser_page(color_scheme: str = "light", width: int = 1280, javascript: bool = True):
    sync_api = require_chromium()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(color_scheme=color_scheme, viewport={"width": width, "height": 900},
                                          java_script_enabled=javascript)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            # A reload aborts the page's open event stream: that is not a failure.
            page.on("requestfailed", lambda req: req.failure == "net::ERR_ABORTED"
                    or errors.append(f"request failed: {req.url} ({req.failure})"))
            yield page
            assert errors == [], errors
        finally:
            browser.close()


def built_fixture_site(tmp_path_factory, name: str) -> Path:
    """tests/fixtures/site built once into a fresh folder; returns the site folder."""
    from generator.config import load_config
    from generator.site import build
    from tests.conftest import FIXTURES
    project = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(FIXTURES / "site", project)
    config = load_config(None, project)
    assert not build(config).failed()
    return config.output_path
