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


def test_an_edit_far_down_a_long_session_leaves_the_reader_where_they_were(tmp_path):
    """Each edit reloads the page: on a long session the reader stays at the message they edit."""
    from tests.conftest import transcript
    (tmp_path / "content").mkdir()
    messages = [("User" if n % 2 else "Claude", f"Message number {n}.\n\nA second paragraph of it.")
                for n in range(1, 801)]
    path = tmp_path / "content" / "long.md"
    path.write_text(transcript("A long session", "**Started:** 2025-03-01 09:00:00", messages), "utf-8")
    # Asked while the page reloads too, when the message may not be parsed yet.
    where = "() => document.getElementById('m-700')?.getBoundingClientRect().top ?? NaN"
    with serve(tmp_path, "--no-search") as server, browser_page() as page:
        page.goto(server.url + "c/2025-03-01-a-long-session/")
        page.evaluate("document.getElementById('m-700').scrollIntoView(); scrollBy(0, 25)")
        page.wait_for_timeout(200)
        before = page.evaluate(where)
        saved = path.with_name(".long.md.saving")
        saved.write_text(path.read_text("utf-8").replace("Message number 700.", "Message number 700, edited."),
                         "utf-8")
        os.replace(saved, path)
        page.wait_for_function("() => document.getElementById('m-700')?.textContent.includes('edited')",
                               timeout=10_000)
        page.wait_for_function(f"Math.abs(({where})() - {before}) < 2", timeout=5_000)
