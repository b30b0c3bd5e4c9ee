"""Live reload in a real browser: edit a transcript on disk, watch the open page follow."""

from __future__ import annotations

import os

import pytest

from tests.browser import browser_page
from tests.servecheck import serve

pytestmark = pytest.mark.browser
PAGE = "c/2025-01-01-alice-bob/"


def edit(project, old, new):
    """Saved whole, as editors save: the watcher never sees the file emptied halfway (an empty
    transcript is no error, so a build could commit the archive without it)."""
    path = project / "content/first.md"
    saved = path.with_name(".first.md.saving")
    saved.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    os.replace(saved, path)


def test_the_open_page_follows_edits_and_shows_then_clears_errors(sample_project):
    with serve(sample_project) as server, browser_page() as page:
        page.goto(server.url + PAGE)
        page.wait_for_function("() => document.querySelector('#m-1').textContent.includes('Hello, Bob.')")

        edit(sample_project, "Hello, Bob.", "Hello, Bob, from the disk.")
        page.wait_for_function("() => document.querySelector('#m-1').textContent.includes('from the disk')",
                               timeout=10_000)

        edit(sample_project, "# Alice ↔ Bob", "Alice and Bob without a title")
        overlay = page.locator("#antiphon-error")
        overlay.wait_for(state="visible", timeout=10_000)
        assert "content/first.md:1: error: expected a title line" in overlay.text_content()
        assert "from the disk" in page.locator("#m-1").text_content()  # the last good build stays

        edit(sample_project, "Alice and Bob without a title", "# Alice ↔ Bob")
        overlay.wait_for(state="detached", timeout=10_000)
        edit(sample_project, "from the disk", "fixed and edited again")
        page.wait_for_function("() => document.querySelector('#m-1').textContent.includes('edited again')",
                               timeout=10_000)
