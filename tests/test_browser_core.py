"""What the reader sees in a real browser: folded runs, anchors, colour schemes, phone width."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, built_fixture_site, static_server

pytestmark = pytest.mark.browser
CONVERSATION = "c/2025-01-01-alice-bob/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_fixture_site(tmp_path_factory, "browser")


def test_a_folded_run_expands_in_place_without_javascript(site):
    with static_server(site, "/my-archive/") as base, browser_page(javascript=False) as page:
        page.goto(base + CONVERSATION)
        run = page.locator("details.run")
        assert run.get_attribute("open") is None
        assert not page.locator("#m-4").is_visible()
        page.locator("details.run > summary").click()
        assert page.locator("#m-4").is_visible()
        assert run.get_attribute("open") is not None


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_permalink_into_a_folded_run_opens_it_and_highlights_the_message(site, javascript):
    with static_server(site, "/my-archive/") as base, browser_page(javascript=javascript) as page:
        page.goto(base + CONVERSATION + "#m-4")
        assert page.locator("#m-4").is_visible()
        target_bg = page.eval_on_selector("#m-4", "e => getComputedStyle(e).backgroundColor")
        other_bg = page.eval_on_selector("#m-2", "e => getComputedStyle(e).backgroundColor")
        assert target_bg != other_bg


def test_dark_scheme_changes_colours_and_keeps_speaker_identity(site):
    colours = {}
    for scheme in ("light", "dark"):
        with static_server(site) as base, browser_page(scheme) as page:
            page.goto(base + CONVERSATION)
            colours[scheme] = page.evaluate("""() => ({
                body: getComputedStyle(document.body).backgroundColor,
                alice: getComputedStyle(document.querySelector('#m-1 h2')).color,
                aliceAgain: getComputedStyle(document.querySelector('.chip[href$="alice/"]')).color,
            })""")
    assert colours["light"]["body"] != colours["dark"]["body"]
    for scheme in colours.values():
        assert scheme["alice"] == scheme["aliceAgain"]


def test_phone_width_has_no_sideways_scroll(site):
    with static_server(site) as base, browser_page(width=390) as page:
        for path in ("", CONVERSATION, "tags/", "speakers/", "pairs/", "archive/", "search/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            # A right-hand message with a long code line once grew past the left edge instead.
            outside = page.evaluate("""() => [...document.querySelectorAll('.msg')].filter(m => {
                const code = document.createElement('pre');
                code.className = 'code';
                code.textContent = 'a_rather_long_line_of_code(' + 'x, '.repeat(60) + ')';
                m.append(code);
                const box = m.getBoundingClientRect(); return box.left < 0 || box.right > window.innerWidth;
            }).map(m => m.id)""")
            assert outside == [], (path, outside)


def test_stage_directions_look_different_from_emphasis(site):
    with static_server(site) as base, browser_page() as page:
        page.goto(base + CONVERSATION)
        stage = page.eval_on_selector(".stage", "e => [getComputedStyle(e).fontStyle, getComputedStyle(e).color]")
        em = page.eval_on_selector("#m-2 em", "e => [getComputedStyle(e).fontStyle, getComputedStyle(e).color]")
        assert stage[0] == "italic" and em[0] == "italic"
        assert stage[1] != em[1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_written_without_the_spans_of_plain_tokens_looks_the_same(site, scheme):
    """The renderer leaves out Pygments' spans of the tokens both code styles show as plain text
    (render/highlight.py, plain_classes): in the browser, with the site's stylesheet, such a span looks
    exactly as the code around it does, in either scheme and with the theme chosen by hand."""
    from generator.config import load_config
    from generator.render.highlight import plain_classes
    config = load_config(None, site.parent)
    classes = sorted(plain_classes(config.code_style_light, config.code_style_dark))
    assert "p" in classes
    with static_server(site) as base, browser_page(scheme) as page:
        page.goto(base + CONVERSATION)
        for chosen in ("", "light", "dark"):
            differing = page.evaluate("""([classes, chosen]) => {
                if (chosen) document.documentElement.dataset.theme = chosen;
                const pre = document.createElement('pre'); pre.className = 'code';
                const code = document.createElement('code'); pre.append(code);
                document.querySelector('.msg').append(pre);
                const looks = (e) => { const s = getComputedStyle(e);
                    return [s.color, s.backgroundColor, s.fontWeight, s.fontStyle, s.textDecorationLine].join(); };
                const kinds = ['', ...classes, 'k'];  // 'k' (a keyword) is styled: the check can tell
                const spans = kinds.map((name) => { const span = document.createElement('span');
                    span.className = name; span.textContent = '(x)'; code.append(span); return looks(span); });
                pre.remove();
                return kinds.filter((name, i) => spans[i] !== spans[0]);
            }""", [classes, chosen])
            assert differing == ["k"], (chosen, differing)


def test_a_right_to_left_site_is_laid_out_as_a_mirror(tmp_path):
    """A site in Arabic: nothing hidden off the start edge makes the page scroll sideways (the skip
    link once did), the first speaker's messages stand on the right, and an English message in it
    reads left to right."""
    from generator.config import load_config
    from generator.site import build
    from tests.conftest import transcript
    (tmp_path / "content").mkdir()
    (tmp_path / "antiphon.toml").write_text('language = "ar"\n', "utf-8")
    messages = (("Ada", "When is the high tide, and how high?"), ("Salma", "المد العالي في الميناء اليوم عند الساعة السادسة."),
                ("Ada", "And tomorrow, when is it?"))
    (tmp_path / "content/harbour.md").write_text(transcript(title="الميناء", messages=messages), "utf-8")
    config = load_config(None, tmp_path)
    assert not build(config).failed()
    conversation = f"c/{next((config.output_path / 'c').iterdir()).name}/"
    with static_server(config.output_path) as base, browser_page(width=1000) as page:
        for path in ("", conversation):  # the conversation page last: its messages are measured below
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            if not path:  # the card's excerpt, in English, starts on the left, as English does
                gap = page.evaluate("""() => { const e = document.querySelector('.excerpt'), r = document.createRange();
                    r.selectNodeContents(e); return r.getBoundingClientRect().left - e.getBoundingClientRect().left; }""")
                assert abs(gap) < 1
        boxes = page.evaluate("""() => [...document.querySelectorAll('.msg')].map(m => {
            const box = m.getBoundingClientRect(), style = getComputedStyle(m);
            return [box.left, box.right, style.direction, style.borderRightWidth]; })""")
        (first_left, first_right, first_direction, first_accent), (second_left, second_right, second_direction,
                                                                   second_accent) = boxes[:2]
        assert first_right > second_right and first_left > second_left  # the first speaker starts on the right
        assert (first_direction, second_direction) == ("ltr", "rtl")  # English left to right, Arabic not
        # Each speaker's accent is on the page's side for them, whichever way their message is written.
        assert (first_accent, second_accent) == ("4px", "1px")


def test_the_theme_toggle_overrides_the_system_and_is_remembered(site):
    with static_server(site) as base, browser_page("dark") as page:
        page.goto(base + CONVERSATION)
        background = "getComputedStyle(document.body).backgroundColor"
        system_dark = page.evaluate(background)
        toggle = page.locator(".theme-toggle")
        assert toggle.is_visible() and toggle.text_content() == "Theme: system"
        toggle.click()  # light
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        light = page.evaluate(background)
        assert light != system_dark
        page.reload()  # remembered, applied before the page paints
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert page.evaluate(background) == light and toggle.text_content() == "Theme: light"
        toggle.click()  # dark
        assert page.evaluate(background) == system_dark
        code = page.eval_on_selector("pre.code .nb", "e => getComputedStyle(e).color")
        toggle.click()  # back to the system setting (dark here)
        assert page.evaluate("document.documentElement.dataset.theme") is None
        assert page.evaluate(background) == system_dark
        assert page.eval_on_selector("pre.code .nb", "e => getComputedStyle(e).color") == code


@pytest.fixture(scope="module")
def long_session(tmp_path_factory):
    """One conversation of 2,000 messages, as a long agent session is."""
    from generator.config import load_config
    from generator.site import build
    from tests.conftest import transcript
    project = tmp_path_factory.mktemp("long")
    (project / "content").mkdir()
    messages = [("User" if n % 2 else "Claude", f"Message number {n}, a line or two of work.\n\nAnd a second paragraph.")
                for n in range(1, 2001)]
    (project / "content" / "long.md").write_text(
        transcript("A long session", "**Started:** 2025-03-01 09:00:00", messages), "utf-8")
    config = load_config(None, project, search=False)
    assert not build(config).failed()
    return config.output_path


def test_a_long_session_lays_out_only_what_is_near_the_screen(long_session):
    """Off-screen messages are skipped until scrolled to (content-visibility), which must not cost a
    permalink its place, a shortcut its next message, a button its link, or a printout its messages."""
    with static_server(long_session) as base, browser_page() as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(base + "c/2025-03-01-a-long-session/")
        skipped = "id => !document.querySelector(`#${id} p`).checkVisibility({contentVisibilityAuto: true})"
        page.wait_for_function(f"({skipped})('m-1500')", timeout=5_000)  # far below: its text not laid out
        assert not page.evaluate(skipped, "m-1")
        assert page.locator(".copy-link").count() == 2000
        page.goto(base + "c/2025-03-01-a-long-session/#m-1900")
        top = page.eval_on_selector("#m-1900", "e => e.getBoundingClientRect().top")
        assert 0 <= top <= 40, top  # at the top of the window, below its scroll margin
        assert page.eval_on_selector("#m-1900", "e => e.matches(':target')")
        page.keyboard.press("j")
        assert page.url.endswith("#m-1901")
        assert 0 <= page.eval_on_selector("#m-1901", "e => e.getBoundingClientRect().top") <= 40
        page.locator("#m-1901 .copy-link").click()
        assert page.evaluate("navigator.clipboard.readText()") == base + "c/2025-03-01-a-long-session/#m-1901"
        assert page.locator("#m-1901 .copy-link").text_content() == "Copied"
        page.emulate_media(media="print")  # a printout has every message (once the next frame is laid out)
        page.wait_for_function(f"!({skipped})('m-10')", timeout=5_000)


def test_a_reload_or_a_return_keeps_the_reader_at_the_same_message(long_session):
    """The preview server reloads the page on each edit: the reader stays at the message they were
    reading, though the messages above it are laid out only as they near the screen."""
    # Each figure is read once the page has stopped moving: messages scrolled to take their real
    # heights over the next frames, later on a loaded machine.
    still = ("() => new Promise(done => { let last = NaN, same = 0; const look = () => {"
             " const now = scrollY; same = now === last ? same + 1 : 0; last = now;"
             " if (same > 5) done(now); else requestAnimationFrame(look); }; look(); })")
    where = "id => document.getElementById(id)?.getBoundingClientRect().top ?? NaN"  # NaN while it loads
    with static_server(long_session) as base, browser_page() as page:
        page.goto(base + "c/2025-03-01-a-long-session/")
        page.evaluate("document.getElementById('m-1500').scrollIntoView(); scrollBy(0, 37)")
        page.evaluate(still)
        before = page.evaluate(where, "m-1500")
        page.reload(wait_until="load")
        page.wait_for_function(f"Math.abs(({where})('m-1500') - {before}) < 2", timeout=10_000)
        page.evaluate(still)
        assert abs(page.evaluate(where, "m-1500") - before) < 2  # and it stays there
        page.goto(base + "tags/")
        page.go_back(wait_until="load")
        page.wait_for_function(f"Math.abs(({where})('m-1500') - {before}) < 2", timeout=10_000)
        page.evaluate(still)  # settled (a reader's wheel or key would end it at once)
        page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")  # past the last message
        page.evaluate(still)
        page.reload(wait_until="load")
        page.wait_for_function("scrollY + innerHeight >= document.documentElement.scrollHeight - 2", timeout=10_000)
        page.goto(base + "c/2025-03-01-a-long-session/")  # a new visit starts at the top
        assert page.evaluate("scrollY") == 0
        # Back after a link within the page ("repeats #N", the turn map) is the browser's, as ever.
        page.evaluate("document.getElementById('m-1200').scrollIntoView()")
        reading = page.evaluate(still)
        page.evaluate("location.hash = 'm-3'")
        page.wait_for_function("scrollY < 2000")
        page.go_back()
        page.wait_for_function(f"Math.abs(scrollY - {reading}) < 2", timeout=10_000)
