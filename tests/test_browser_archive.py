"""Archive features in a real browser: search (at / and under a subpath), shortcuts, copy-link."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, built_fixture_site, static_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_fixture_site(tmp_path_factory, "archive")


@pytest.mark.parametrize("prefix", ["/", "/my-archive/"])
def test_search_finds_the_conversation_and_leads_to_the_message(site, prefix):
    with static_server(site, prefix) as base, browser_page() as page:
        page.goto(base + "search/")
        page.keyboard.press("/")  # focuses the search box without a mouse
        page.keyboard.type("Line two")
        first = page.locator(".search-results > li").first
        first.wait_for(timeout=10_000)
        assert first.locator(".search-title").text_content() == "Alice ↔ Bob ↔ Carol"
        link = first.locator("a.search-title")
        assert link.get_attribute("href") == prefix + "c/2025-02-02-alice-bob-carol/#m-2"
        assert "2025-02-02" in first.locator(".search-meta").text_content()
        assert "Alice ↔ Bob ↔ Carol" in first.locator(".search-meta").text_content()
        hit = first.locator(".search-hits > li").first
        assert hit.locator(".search-where").text_content() == "message 2"
        assert hit.locator("a").get_attribute("href") == prefix + "c/2025-02-02-alice-bob-carol/#m-2"
        assert first.locator("mark").count() >= 1
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{prefix}c/2025-02-02-alice-bob-carol/#m-2")
        assert page.eval_on_selector("#m-2", "e => e.matches(':target')")


def test_search_filters_by_speaker_and_tag_and_keeps_state_in_the_url(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/?q=hello")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        titles = page.locator(".search-title").all_text_contents()
        assert "Alice ↔ Bob · first" in titles  # its twin started the same minute: its file's name tells it apart
        page.select_option("select[name=speaker]", "Carol")
        page.wait_for_function("() => document.querySelector('.search-status').textContent.includes('No conversation')"
                               " || [...document.querySelectorAll('.search-title')].every(a => a.textContent.includes('Carol'))")
        assert "speaker=Carol" in page.url
        page.goto(base + "search/?tag=Test+Tag")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        assert page.locator(".search-title").all_text_contents() == ["Alice ↔ Bob · first"]


def test_search_results_are_text_not_markup(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/?q=bold")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        assert page.locator(".search-results b").count() == 0
        assert "<b>" in page.locator(".search-excerpt").first.text_content()


def test_keyboard_moves_between_messages_and_conversations(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "c/2025-01-01-alice-bob/")
        page.keyboard.press("j")
        assert page.evaluate("location.hash") == "#m-1"
        page.keyboard.press("j")
        assert page.evaluate("location.hash") == "#m-2"
        # The focus follows, to the message's permalink (so Enter or a screen reader lands on it).
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#m-2"
        page.keyboard.press("k")
        assert page.evaluate("location.hash") == "#m-1"
        page.keyboard.press("n")  # newer conversation
        page.wait_for_url("**/c/2025-02-02-alice-bob-carol/")
        page.keyboard.press("p")
        page.wait_for_url("**/c/2025-01-01-alice-bob/")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_footer_lists_the_shortcuts_only_where_they_work(site, javascript):
    """The shortcuts are the page script's: without it, the footer does not promise them."""
    with static_server(site) as base, browser_page(javascript=javascript) as page:
        page.goto(base + "c/2025-01-01-alice-bob/")
        help = page.locator(".site-footer details.keys")
        if not javascript:
            assert help.count() == 0
            return
        help.locator("summary").click()
        assert help.locator("dt").all_text_contents() == ["j / k", "n / p", "/"]
        assert "off while you type" in help.text_content()


def test_shortcuts_are_off_while_typing(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/")
        page.locator("#search-query").focus()
        page.keyboard.type("jn/")
        assert page.locator("#search-query").input_value() == "jn/"
        assert page.url.endswith("/search/?q=jn%2F") or "/search/" in page.url


def test_copy_link_puts_the_message_url_on_the_clipboard(site):
    with static_server(site) as base, browser_page() as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(base + "c/2025-01-01-alice-bob/")
        page.locator("#m-2 .copy-link").click()
        assert page.evaluate("navigator.clipboard.readText()") == base + "c/2025-01-01-alice-bob/#m-2"
        assert page.locator("#m-2 .copy-link").text_content() == "Copied"
        # One button a message, just after its permalink (not after a "repeats #N" link).
        assert page.locator(".copy-link").count() == page.locator(".msg").count()
        assert page.evaluate("document.querySelector('#m-2 .copy-link').previousElementSibling.getAttribute('href')") == "#m-2"
