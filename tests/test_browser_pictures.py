"""The archive's pictures in a real browser: their links lead where they say, by mouse and keyboard,
at / and under a subpath, and nothing makes a phone scroll sideways."""

from __future__ import annotations

import pytest

from generator.config import load_config
from generator.insights import insights
from generator.readers import native
from generator.site import build
from tests.browser import browser_page, static_server
from tests.conftest import transcript
from tests.test_archive_pictures import _archive

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = tmp_path_factory.mktemp("pictures")
    (project / "content").mkdir()
    return _archive(project)


@pytest.mark.parametrize("prefix", ["/", "/my-archive/"])
def test_a_pair_matrix_cell_opens_the_pair(site, prefix):
    with static_server(site, prefix) as base, browser_page() as page:
        page.goto(base + "pairs/")
        cell = page.locator("svg.matrix a", has=page.locator("rect.cell")).filter(
            has=page.locator("title", has_text="Ada and Kim")).first
        cell.click()
        page.wait_for_url(f"**{prefix}pairs/ada--kim/")
        assert page.locator("h1").text_content().strip() == "Ada ↔ Kim"


def test_the_ending_filter_and_a_card_badge_open_the_list_of_that_ending(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base)
        page.get_by_role("navigation", name="Filter by ending").get_by_role("link", name="interrupted").click()
        page.wait_for_url("**/endings/interrupted/")
        assert page.locator(".rows li > a").all_text_contents() == ["Ada ↔ Kim"]
        page.goto(base)
        page.locator(".card .ending", has_text="[END] by").first.click()
        page.wait_for_url("**/endings/end-marker/")


def test_the_turn_map_opens_from_the_keyboard_and_leads_to_the_message(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base)
        page.locator(".card-title a").filter(has_text="Ada ↔ Echo").nth(0).click()
        if not page.locator("details.turn-map").count():  # the other Ada ↔ Echo is the short one
            page.go_back()
            page.locator(".card-title a").filter(has_text="Ada ↔ Echo").nth(1).click()
        summary = page.locator("details.turn-map summary")
        summary.wait_for(state="visible")  # the page's script shows the map once it has made its links
        summary.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('details.turn-map').open", timeout=5_000)
        link = page.locator("details.turn-map a", has_text="27")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**#m-27")
        assert page.eval_on_selector("#m-27", "e => e.matches(':target')")


def test_the_turn_map_the_page_makes_marks_each_message_as_the_conversations_insights_do(tmp_path):
    """Differential: the links the script makes from the messages against what the build found
    (closing tail first, then loops, then single repeats), message by message."""
    said = [f"Turn {n}: the lighthouse keeps count of the {n} boats tonight." for n in range(1, 31)]
    said += [said[6], "A new line, the first of its kind in here.", said[10], said[11], said[12],
             "Goodbye for now, old friend.", "Goodbye, and safe travels."]
    messages = [("Ada" if n % 2 == 0 else "Echo", text) for n, text in enumerate(said)]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "long.md").write_text(transcript("Ada ↔ Echo", "**Started:** 2025-01-05 10:00", messages),
                                                   "utf-8")
    assert build(load_config(None, tmp_path, search=False)).errors == []
    [conversation], _ = native.read(tmp_path / "long.md", transcript("Ada ↔ Echo", "", messages), "long.md")
    found = insights(conversation.messages)
    in_loop = {n for loop in found.loops for n in range(loop.first, loop.last + 1)}
    expected = [(f"#m-{n}", "tail" if found.tail and n >= found.tail else "loop" if n in in_loop else
                 "repeat" if n in found.repeats else "") for n in range(1, len(said) + 1)]
    assert {"tail", "loop", "repeat"} <= {mark for _, mark in expected}
    [page_path] = (tmp_path / "site" / "c").glob("*/index.html")
    with static_server(tmp_path / "site") as base, browser_page() as page:
        page.goto(base + page_path.parent.relative_to(tmp_path / "site").as_posix() + "/")
        assert page.locator("details.turn-map a").count() == 0  # made when first opened
        page.locator("details.turn-map summary").click()
        links = page.locator("details.turn-map a")
        links.first.wait_for()
        made = links.evaluate_all("links => links.map(a => [a.getAttribute('href'), a.className, a.textContent])")
        speakers = page.locator(".messages article.msg").evaluate_all(
            "articles => articles.map(a => [...a.classList].find(c => c.startsWith('sp-')))")
    assert [(href, classes.split()[1] if " " in classes else "") for href, classes, _ in made] == expected
    assert [classes.split()[0] for _, classes, _ in made] == speakers
    assert [text for _, _, text in made] == [str(n) for n in range(1, len(said) + 1)]


def test_a_click_on_a_bar_of_the_shape_leads_to_its_message(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base)
        page.locator(".card-title a").filter(has_text="Ada ↔ Echo").first.click()
        shape = page.locator("svg.shape").first
        slots, messages = (int(shape.get_attribute(name)) for name in ("data-slots", "data-messages"))
        box = shape.bounding_box()
        for message in (1, 3, messages):  # the middle of each bar's slot
            shape.click(position={"x": (message - 0.5) * box["width"] / slots, "y": box["height"] - 2})
            page.wait_for_url(f"**#m-{message}")
            assert page.eval_on_selector(f"#m-{message}", "e => e.matches(':target')")
        if messages < slots:  # past the last bar: nowhere
            shape.click(position={"x": box["width"] - 1, "y": box["height"] - 2})
            assert page.url.endswith(f"#m-{messages}")


def test_related_and_timeline_links_open_their_pages(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "archive/")
        page.locator("svg.timeline a").first.click()
        page.wait_for_url("**/archive/2025/01/")
        listing = next(path for path in sorted(site.glob("c/*/index.html")) if 'class="related"' in path.read_text("utf-8"))
        page.goto(base + f"c/{listing.parent.name}/")
        related = page.locator("section.related a").first
        title = related.text_content()
        related.click()
        page.wait_for_load_state()
        assert page.locator("h1").first.text_content() == title


def test_the_pictures_fit_a_phone(site):
    with static_server(site) as base, browser_page(width=390) as page:
        for path in ("", "pairs/", "speakers/", "speakers/ada/", "archive/", "endings/open/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
