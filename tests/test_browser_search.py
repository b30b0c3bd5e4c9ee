"""Search over an archive split into many index shards, in a real browser: results from every shard,
filters across shards, several matching messages per conversation, paging, and no sideways scroll."""

from __future__ import annotations

import json

import pytest

from generator.search import shards
from tests.browser import browser_page, static_server

pytestmark = pytest.mark.browser

CONVERSATIONS = 130
HOSTILE_NAME = 'Ossian "the <b>keeper</b>" & co'
SMALL_SHARDS = 40  # so that the 130 make four shards of the search index, as a large archive's thousands do


def transcript(number: int) -> str:
    speakers = ("Wren", "Ossian") if number % 2 else ("Wren", "Tamsin")
    messages = [f"Turn {turn} of conversation {number}: the tide table says nothing useful today."
                for turn in range(1, 7)]
    messages[2] = f"The lighthouse keeper {number} counts ferries past the harbour wall."
    if number == 7:  # one conversation where the word comes up in many messages, one speaker's name markup
        messages = [f"Message {turn}: the cormorant dives again near the lighthouse pier." for turn in range(1, 7)]
        speakers = ("Wren", HOSTILE_NAME)
    if number == 12:  # a model that talked with itself: one speaker filter, two seats
        messages = [f"Message {turn}: the albatross circles the lighthouse." for turn in range(1, 5)]
        speakers = ("Wren (1)", "Wren (2)")
    if number == 9:  # a drawn frame wider than any phone
        messages[0] = "```\n" + "╔" + "═" * 400 + "╗\n```\n\nA frame ═" + "═" * 300 + " lighthouse"
    if number % 10 == 4:  # thirteen conversations someone broke off
        messages.append("^C^C")
    body = "".join(f"### {speakers[turn % 2]}\n\n{text}\n\n---\n\n" for turn, text in enumerate(messages))
    tags = "harbour" if number % 3 == 0 else "open-sea"
    return (f"# Watch {number:03d}\n\n**Started:** 2025-03-{1 + number % 28:02d}T10:00:00Z\n"
            f"**Tags:** {tags}\n\n---\n\n{body}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from generator.config import load_config
    from generator.site import build
    project = tmp_path_factory.mktemp("shards") / "project"
    (project / "content").mkdir(parents=True)
    for number in range(CONVERSATIONS):
        (project / "content" / f"watch-{number:03d}.md").write_text(transcript(number), "utf-8")
    config = load_config(None, project)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "PAGES_PER_SHARD", SMALL_SHARDS)
        result = build(config)
    assert not result.failed() and result.shards >= 3
    return config.output_path


def test_the_index_is_in_shards(site):
    shards = json.loads((site / "pagefind/shards.json").read_text("utf-8"))["shards"]
    assert len(shards) >= 3
    assert (site / shards[0] / "pagefind.js").is_file()  # the runtime is in the first shard only
    assert all(not (site / folder / "pagefind.js").exists() for folder in shards[1:])


@pytest.mark.parametrize("prefix", ["/", "/my-archive/"])
def test_results_come_from_every_shard_and_page_on(site, prefix):
    with static_server(site, prefix) as base, browser_page() as page:
        page.goto(base + "search/?q=lighthouse")
        results = page.locator(".search-results > li")
        results.first.wait_for(timeout=10_000)
        assert results.count() == 20
        assert page.locator(".search-status").text_content() == \
            f"{CONVERSATIONS} conversations found, showing the first 20."
        more = page.locator(".search-more")
        more.click()
        more.click()  # before the first page has come: the pages still come one after the other
        page.wait_for_function("() => document.querySelectorAll('.search-results > li').length === 60")
        # The first new result has the focus, so a keyboard user reads on from there.
        assert page.evaluate("document.activeElement.closest('.search-results > li')"
                             " === document.querySelectorAll('.search-results > li')[40]")
        titles = page.locator(".search-title").all_text_contents()
        assert len(set(titles)) == 60
        for shown in range(80, CONVERSATIONS + 20, 20):
            more.click()
            page.wait_for_function("() => document.querySelectorAll('.search-results > li').length === "
                                   f"{min(shown, CONVERSATIONS)}")
        assert more.is_hidden()
        titles = page.locator(".search-title").all_text_contents()
        assert sorted(titles) == [f"Watch {number:03d}" for number in range(CONVERSATIONS)]
        assert page.locator(".search-status").text_content() == f"{CONVERSATIONS} conversations found."


def test_filters_work_across_shards(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/?q=ferries&speaker=Ossian&tag=harbour")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        expected = {f"Watch {n:03d}" for n in range(CONVERSATIONS) if n % 2 and n % 3 == 0}
        assert len(expected) == 22
        page.locator(".search-more").click()
        page.wait_for_function(f"() => document.querySelectorAll('.search-results > li').length === {len(expected)}")
        assert set(page.locator(".search-title").all_text_contents()) == expected


def test_several_messages_of_one_conversation_each_lead_to_their_message(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/?q=cormorant")
        result = page.locator(".search-results > li").first
        result.wait_for(timeout=10_000)
        assert result.locator(".search-title").text_content() == "Watch 007"
        assert "6 messages match" in result.locator(".search-meta").text_content()
        hits = result.locator(".search-hits > li")
        assert hits.count() == 3
        result.locator(".search-more-hits").click()
        assert hits.count() == 6
        wheres = sorted(int(text.split()[-1]) for text in result.locator(".search-where").all_text_contents())
        assert wheres == [1, 2, 3, 4, 5, 6]
        # Each match names who wrote its message (the odd ones Wren's), the name as written, not as markup.
        assert _who_wrote_each(hits) == {number: "Wren" if number % 2 else HOSTILE_NAME for number in range(1, 7)}
        assert result.locator(".search-hits b").count() == 0
        for index in range(6):
            assert hits.nth(index).locator("mark").first.text_content().lower() == "cormorant"
        hits.nth(4).locator("a").click()
        target = page.evaluate("location.hash")
        assert target.startswith("#m-")
        assert "cormorant" in page.locator(target).text_content()


def test_the_matches_of_a_model_that_talked_with_itself_name_each_seat(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + "search/?q=albatross&speaker=Wren")
        result = page.locator(".search-results > li").first
        result.wait_for(timeout=10_000)
        assert result.locator(".search-title").text_content() == "Watch 012"
        result.locator(".search-more-hits").click()
        hits = result.locator(".search-hits > li")
        assert _who_wrote_each(hits) == {1: "Wren (1)", 2: "Wren (2)", 3: "Wren (1)", 4: "Wren (2)"}


def _who_wrote_each(hits) -> dict[int, str]:
    """The speaker each shown match names, by its message number."""
    named = {}
    for index in range(hits.count()):
        number = int(hits.nth(index).locator(".search-where").text_content().split()[-1])
        who = hits.nth(index).locator(".search-who").text_content()
        assert who.startswith(" · "), who
        named[number] = who[len(" · "):]
    return named


def test_typing_loads_the_index_before_the_search_runs(site):
    """Each shard's index starts loading as the words are typed, not once typing has paused."""
    events = []
    with static_server(site) as base, browser_page() as page:
        page.on("request", lambda request: ".pf_index" in request.url and events.append("index"))
        page.expose_function("statusSays", lambda text: events.append(text))
        page.goto(base + "search/")
        page.evaluate("""() => new MutationObserver(() => statusSays(document.querySelector('.search-status').textContent))
                           .observe(document.querySelector('.search-status'), {childList: true, characterData: true, subtree: true})""")
        page.wait_for_load_state("networkidle")  # the shards' entries are loaded; no index part yet
        assert events == []
        page.locator("input[name=q]").press_sequentially("cormorant", delay=20)
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        assert "index" in events and "Searching…" in events
        assert events.index("index") < events.index("Searching…")


@pytest.mark.parametrize("width", [390, 1280])
def test_long_symbol_lines_never_make_the_results_scroll_sideways(site, width):
    with static_server(site) as base, browser_page(width=width) as page:
        page.goto(base + "search/?q=frame")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_ending_filter_works_across_shards_and_stays_in_the_address(site):
    with static_server(site, "/") as base, browser_page() as page:
        page.goto(base + "search/?q=lighthouse")
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        page.select_option("select[name=ending]", "interrupted")
        page.wait_for_function("() => document.querySelector('.search-status').textContent"
                               ".startsWith('13 conversations found')")
        assert "ending=interrupted" in page.url
        page.goto(base + "search/?ending=interrupted")  # a filter alone searches too, and matches no words
        page.locator(".search-results > li").first.wait_for(timeout=10_000)
        assert page.locator(".search-where").count() == 0
        page.goto(base + "search/?ending=turn-limit")
        page.wait_for_function("() => document.querySelector('.search-status').textContent !== 'Searching…'"
                               " && document.querySelector('.search-status').textContent !== ''")
        assert page.locator(".search-status").text_content() == "No conversation matches."
        assert page.locator("select[name=ending]").input_value() == "turn-limit"


# Chinese and Japanese put no spaces between words: each character is indexed as a word of its own.
CJK_CONVERSATIONS = {
    "teahouse": ("Teahouse", ("Lan", "我们今天在老茶馆里讨论了潮汐表的计算方法。"),
                 ("Mei", "潮汐表很有用，但是港口的灯塔更重要。")),
    "lighthouse-keeper": ("Lighthouse keeper", ("Kaito", "灯台守は毎晩フェリーの数を数えています。"),
                          ("Yuki", "それは静かな仕事ですね。")),
    "pier": ("Pier", ("Wren", "The ferry schedule 時刻表 is posted at the pier."), ("Ossian", "Noted, thanks.")),
    "zeta-beacon": ("Zeta beacon", ("Lan", "灯塔。灯塔。"), ("Mei", "灯塔在港口。")),
    "diary": ("港口日记", ("Kaito", "今日は晴れ。"), ("Yuki", "Calm seas.")),
    "watch": ("Wren ↔ Ossian", ("Wren", "Two gulls today."), ("Ossian", "Noted.")),  # a title of names only
}


@pytest.fixture(scope="module")
def cjk_site(tmp_path_factory):
    from generator.config import load_config
    from generator.site import build
    project = tmp_path_factory.mktemp("cjk") / "project"
    (project / "content").mkdir(parents=True)
    for name, (title, *messages) in CJK_CONVERSATIONS.items():
        body = "".join(f"### {speaker}\n\n{text}\n\n---\n\n" for speaker, text in messages)
        (project / "content" / f"{name}.md").write_text(
            f"# {title}\n\n**Started:** 2025-04-01T09:00:00Z\n\n---\n\n{body}", "utf-8")
    config = load_config(None, project)
    assert not build(config).failed()
    return config.output_path


def _titles_found(page, base, query):
    page.goto(base + "search/?q=" + query)
    page.wait_for_function("() => !['', 'Searching…'].includes(document.querySelector('.search-status').textContent)")
    return sorted(page.locator(".search-title").all_text_contents())


def test_chinese_and_japanese_words_are_found_inside_a_sentence(cjk_site):
    with static_server(cjk_site) as base, browser_page() as page:
        assert _titles_found(page, base, "潮汐表") == ["Teahouse"]  # inside a run of characters, and at its start
        assert "2 messages match" in page.locator(".search-meta").text_content()
        excerpts = page.locator(".search-excerpt").all_text_contents()
        assert any("我们今天在老茶馆里讨论了潮汐表的计算方法。" in text for text in excerpts)  # as written, whole
        assert page.locator(".search-excerpt mark").first.text_content() == "潮"
        assert _titles_found(page, base, "计算") == ["Teahouse"]
        assert _titles_found(page, base, "フェリー") == ["Lighthouse keeper"]
        assert _titles_found(page, base, "時刻表") == ["Pier"]
        assert _titles_found(page, base, "ferry") == ["Pier"]


def test_characters_typed_together_are_found_together_and_ranked(cjk_site):
    with static_server(cjk_site) as base, browser_page() as page:
        assert _titles_found(page, base, "表潮汐") == []  # every character is there, not in this order
        assert _titles_found(page, base, "灯塔 计算") == ["Teahouse"]  # apart: anywhere in the conversation
        assert _titles_found(page, base, "schedule 時刻") == ["Pier"]
        page.goto(base + "search/?q=灯塔")
        page.wait_for_function("() => document.querySelectorAll('.search-results > li').length === 2")
        # The conversation that says it three times comes first (an exact search alone ranks all alike).
        assert page.locator(".search-title").all_text_contents() == ["Zeta beacon", "Teahouse"]
        assert "2 messages match" in page.locator(".search-meta").first.text_content()


def test_a_title_the_source_gives_is_searched_and_one_of_names_is_not(cjk_site):
    with static_server(cjk_site) as base, browser_page() as page:
        assert _titles_found(page, base, "日记") == ["港口日记"]  # in no message
        assert page.locator(".search-where").all_text_contents() == ["in the title"]
        assert page.locator(".search-title").get_attribute("href").endswith("/c/2025-04-01-gang-kou-ri-ji/")  # the title, spelled in Latin
        assert _titles_found(page, base, "gulls") == ["Wren ↔ Ossian"]
        # A title of names only is not part of the text, but Pagefind matches a title's words too (as
        # metadata, ranked higher): the title is shown as the match.
        assert _titles_found(page, base, "Ossian") == ["Wren ↔ Ossian"]
        assert page.locator(".search-where").all_text_contents() == ["in the title"]
        assert page.locator(".search-excerpt").all_text_contents() == ["Wren ↔ Ossian"]
        assert "messages match" not in page.locator(".search-meta").text_content()
