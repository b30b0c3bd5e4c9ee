"""The archive's pictures in a real browser: their links lead where they say, by mouse and keyboard,
at / and under a subpath, and nothing makes a phone scroll sideways."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, static_server
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
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator("details.turn-map").get_attribute("open") is not None
        link = page.locator("details.turn-map a", has_text="27")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**#m-27")
        assert page.eval_on_selector("#m-27", "e => e.matches(':target')")


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
