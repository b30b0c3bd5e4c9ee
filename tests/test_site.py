"""Whole builds: golden output, links, determinism, incremental writes, errors and output safety."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import escape

from generator.config import load_config
from generator.output import MANIFEST
from generator.site import BuildError, build
from generator.pages import conversation_span
from generator.urls import MAX_SLUG, slugify
from tests.conftest import GOLDEN, UPDATE_GOLDEN, transcript
from tests.sitecheck import broken_links, parse


def build_project(project: Path, **overrides):
    config = load_config(None, project, **overrides)
    return config, build(config)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


# -- the sample fixture site ------------------------------------------------------------------

@pytest.fixture
def built(sample_project):
    config, result = build_project(sample_project)
    assert result.diagnostics == []
    return config.output_path, result


def test_site_matches_golden(built):
    site, _ = built
    # Assets are the theme's own files, the search bundle is Pagefind's (its determinism is tested
    # below), and the manifest holds keys that change with the code.
    files = {path: data for path, data in site_files(site).items()
             if not path.startswith(("assets/", "pagefind/", ".antiphon-"))}
    golden = GOLDEN / "site"
    if UPDATE_GOLDEN:
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in files.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)
    expected = site_files(golden)
    assert sorted(files) == sorted(expected)
    for path in files:
        assert files[path] == expected[path], f"{path} differs from tests/golden/site/{path}"


def test_without_a_description_the_index_describes_the_archive(sample_project):
    """Search engines and link previews show a page's description: with none in the config, the
    index says what the archive holds, on each of its pages."""
    toml = sample_project / "antiphon.toml"
    toml.write_text(toml.read_text("utf-8").replace('description = "A small archive used by the tests."\n', ""),
                    "utf-8")
    config, result = build_project(sample_project)
    assert result.diagnostics == []
    summary = ('<meta name="description" content="4 conversations, January 2025 to February 2025, '
               'with Alice, Bob, Carol and 1 more.">')
    for page in ("index.html", "page/2/index.html"):
        assert summary in (config.output_path / page).read_text("utf-8")
    assert '<meta name="description"' not in (config.output_path / "tags/index.html").read_text("utf-8")


def test_every_page_kind_is_written(built):
    site, result = built
    for path in ("index.html", "page/2/index.html", "tags/index.html", "tags/greetings/index.html",
                 "tags/test-tag/index.html", "speakers/index.html", "speakers/carol/index.html", "404.html",
                 "c/2025-01-01-alice-bob/index.html", "c/2025-01-01-alice-bob/conversation.json",
                 "assets/style.css", "assets/highlight.css"):
        assert (site / path).is_file(), path
    assert result.conversations == 4


def test_every_internal_link_and_fragment_resolves(built):
    site, _ = built
    assert broken_links(site, base_path="/my-archive/") == []


def test_404_links_are_absolute_under_the_base_path(built):
    site, _ = built
    links = [link for link in parse(site / "404.html").links if not link.startswith("#")]
    assert links and all(link.startswith("/my-archive/") for link in links)


def test_other_pages_link_relatively(built):
    site, _ = built
    for page in site.rglob("*.html"):
        if page.name != "404.html":
            assert not [link for link in parse(page).links if link.startswith("/")], page


def test_index_is_newest_first_and_undated_last(built):
    site, _ = built
    first_page = (site / "index.html").read_text("utf-8")
    second_page = (site / "page/2/index.html").read_text("utf-8")
    assert first_page.index("c/2025-02-02-alice-bob-carol/") < first_page.index("c/2025-01-01-alice-bob")
    assert "c/notes-without-a-date/" in second_page


def test_title_collisions_get_distinct_deterministic_slugs(built):
    site, _ = built
    first = json.loads((site / "c/2025-01-01-alice-bob/conversation.json").read_text("utf-8"))
    second = json.loads((site / "c/2025-01-01-alice-bob-2/conversation.json").read_text("utf-8"))
    assert (first["source"], second["source"]) == ("first.md", "second.md")


def test_conversation_page_messages_have_ids_speakers_and_permalinks(built):
    site, _ = built
    html = (site / "c/2025-01-01-alice-bob/index.html").read_text("utf-8")
    for n, speaker in enumerate(["Alice", "Bob", "Alice", "Bob", "Alice"], start=1):
        assert re.search(f'id="m-{n}"( style="[^"]*")?><header><h2>{speaker}</h2>'
                         f'<a href="#m-{n}">#{n}</a></header>', html)
    # The three [END] messages fold into one expandable row that still holds every message.
    details = html[html.index('<details class="run">'):html.index("</details>")]
    assert "× 3" in details and all(f'id="m-{n}"' in details for n in (3, 4, 5))
    assert 'class="msg sp-' in html and "side-a" in html and "side-b" in html


def test_a_tools_retries_of_one_error_fold_into_one_row_and_other_notes_do_not(project):
    """Notes that differ only in their numbers (Claude Code's retries: 'retrying in 1.2 s (attempt 2
    of 10)') fold as one run, every message still inside; notes that say different things do not."""
    retries = [("Claude Code (note)", f"API error; retrying in {0.6 * 2 ** n:.1f} s (attempt {n + 1} of 10)\n"
                f"- status: 529") for n in range(4)]
    others = [("Claude Code (note)", "Request timed out"), ("Claude Code (note)", "The turn took 1 min"),
              ("Claude Code (note)", "API error: overloaded")]
    messages = [("User", "Look at the harbour logs, please."), *retries, *others, ("Claude", "Done.")]
    (project / "content/retries.md").write_text(transcript("Retries", "", messages), "utf-8")
    config, result = build_project(project, search=False)
    assert not result.failed(), result.diagnostics
    html = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
    assert html.count('<details class="run">') == 1
    run = html[html.index('<details class="run">'):html.index('<article class="msg', html.index('id="m-5"') + 1)]
    assert '<span class="run-sample">API error; retrying in 0.6 s (attempt 1 of 10)</span>' in run
    assert '<span class="run-count">× 4</span> <span class="run-range">messages 2–5</span>' in run
    assert all(f'id="m-{n}"' in run for n in (2, 3, 4, 5)) and 'id="m-6"' not in run


def test_speaker_colour_is_stable_across_pages_and_overridable(built):
    site, _ = built
    pages = [site / "c/2025-01-01-alice-bob/index.html", site / "c/2025-02-02-alice-bob-carol/index.html",
             site / "speakers/index.html"]
    classes = set()
    for page in pages:
        html = page.read_text("utf-8")
        start = html.index("<h2>Alice</h2>") if "<h2>Alice</h2>" in html else html.index(">Alice<")
        line = html[:start].rsplit("<article", 1)[1] if "<h2>Alice" in html else html[:start].rsplit("<a", 1)[1]
        classes.add(line.split("sp-")[1].split()[0].strip('"'))
        assert 'style="--sp: #2a6f97"' in html  # Bob's colour from the config
    assert len(classes) == 1


def test_a_model_that_talked_with_itself_is_one_speaker_of_the_archive(project):
    """Runners seat a model twice ('Claude 3 Opus (1)', '(2)'): the conversation keeps both seats
    apart, and the archive lists the model once, with its self-talk as a pairing with itself."""
    content = project / "content"

    def write(name: str, title: str, day: int, messages) -> None:
        header = f"**Started:** 2025-03-0{day} 10:00:00"
        (content / name).write_text(transcript(title=title, header=header, messages=messages), "utf-8")

    write("self.md", "Opus with itself", 1, (("Claude 3 Opus (1)", "One two three."),
                                             ("Claude 3 Opus (2)", "Four five."), ("Claude 3 Opus (1)", "Six.")))
    write("mixed.md", "Opus and GPT", 2, (("Claude 3 Opus", "Seven eight."), ("GPT-5.2", "Nine.")))
    write("letters.md", "GPT with itself", 3, (("GPT-5.2 (A)", "Ten."), ("GPT-5.2 (B)", "Eleven.")))
    config, result = build_project(project)
    assert result.diagnostics == []
    site = config.output_path
    speakers = sorted(p.name for p in (site / "speakers").iterdir() if p.is_dir())
    assert speakers == ["claude-3-opus", "gpt-5-2"]

    page = (site / "c/2025-03-01-opus-with-itself/index.html").read_text("utf-8")
    chips = re.findall(r'<a class="chip (sp-\d+)" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert [(href, name) for _, href, name in chips] == [("../../speakers/claude-3-opus/", "Claude 3 Opus (1)"),
                                                         ("../../speakers/claude-3-opus/", "Claude 3 Opus (2)")]
    assert chips[0][0] != chips[1][0]  # the seats keep their own colours
    assert re.findall(r'data-pagefind-filter="speaker">([^<]+)<', page) == ["Claude 3 Opus"]
    assert 'href="../../pairs/claude-3-opus--claude-3-opus/">Claude 3 Opus ↔ Claude 3 Opus</a>' in page

    opus = (site / "speakers/claude-3-opus/index.html").read_text("utf-8")
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", opus))
    assert (facts["Conversations"], facts["Messages"], facts["Words"]) == ("2", "4", "8")  # both seats, and the mix
    assert "c/2025-03-01-opus-with-itself/" in opus and "c/2025-03-02-opus-and-gpt/" in opus
    partners = re.findall(r'<a class="chip [^"]*" href="([^"]+)"[^>]*>([^<]+)</a> <span class="group-count">(\d+)',
                          opus)
    assert sorted(partners) == [("../../pairs/claude-3-opus--claude-3-opus/", "itself", "1"),
                                ("../../pairs/claude-3-opus--gpt-5-2/", "GPT-5.2", "1")]

    pairs = (site / "pairs/index.html").read_text("utf-8")
    assert 'aria-label="Claude 3 Opus with itself: 1 conversation' in pairs
    assert 'aria-label="GPT-5.2 with itself: 1 conversation' in pairs
    assert (site / "pairs/gpt-5-2--gpt-5-2/index.html").exists()
    search = (site / "search/index.html").read_text("utf-8")
    assert "Claude 3 Opus (1)" not in search and "GPT-5.2 (A)" not in search
    assert not broken_links(site)


def test_three_party_conversations_do_not_alternate_sides(built):
    site, _ = built
    html = (site / "c/2025-02-02-alice-bob-carol/index.html").read_text("utf-8")
    assert "side-a" not in html and "side-b" not in html


def test_raw_html_and_unsafe_links_are_escaped(built):
    site, _ = built
    html = (site / "c/2025-02-02-alice-bob-carol/index.html").read_text("utf-8")
    assert "&lt;b&gt;Not bold&lt;/b&gt;" in html and "<b>" not in html
    assert "javascript:" not in html.split("[not a link](")[0] and 'href="javascript' not in html


def test_a_group_chat_names_its_first_speakers_counts_the_rest_and_is_no_pairing(project):
    """Fourteen people in a harbour group: the page names twelve (those who wrote most; in order of
    appearance where they wrote as much) and lists the other two under a summary, the card counts them;
    a pairing (and its page) is for a few speakers, not a group."""
    members = [f"Member {n:02d}" for n in range(1, 15)]
    said = [(name, f"Tide report {n}.") for n, name in enumerate(members)]
    said.append(("Member 14", "The last to join, and the one who says most: the north pier floods at the spring tide."))
    (project / "content/group.md").write_text(transcript("Harbour group", "", said), "utf-8")
    (project / "content/trio.md").write_text(
        transcript("Night watch", "", [("Ada", "Lights?"), ("Bo", "On."), ("Cy", "Logged.")]), "utf-8")
    config, result = build_project(project, search=False)
    assert not result.failed(), result.diagnostics
    site = config.output_path
    page = next(p for p in (site / "c").glob("*/index.html") if "Harbour group" in p.read_text("utf-8")).read_text("utf-8")
    shown = page[page.index('<p class="participants">'):page.index("</p>", page.index('<p class="participants">'))]
    assert re.findall(r"Member \d\d", shown) == ["Member 14", *members[:11]]
    more = page[page.index('<details class="more-participants">'):page.index("</details>", page.index("more-participants"))]
    assert "2 more taking part" in more and re.findall(r"Member \d\d", more) == ["Member 12", "Member 13"]
    assert "<dt>Pair</dt>" not in page
    index = (site / "index.html").read_text("utf-8")
    chips = index.index('<p class="participants">', index.index("Harbour group"))
    card = index[chips:index.index("+2 more", chips)]
    assert re.findall(r"Member \d\d", card) == ["Member 14", *members[:11]]
    assert sorted(p.name for p in (site / "pairs").iterdir() if p.is_dir()) == ["ada--bo--cy"]


def test_a_runs_row_shows_its_messages_words_not_their_markdown(project):
    messages = [("Ada", "Send the chart?"), *[("Echo", "*[sticker]*")] * 4, ("Ada", r"\*still\* here")]
    (project / "content/stickers.md").write_text(transcript("Stickers", "", messages), "utf-8")
    config, result = build_project(project, search=False)
    assert not result.failed(), result.diagnostics
    page = next(page for page in (config.output_path / "c").glob("*/index.html") if "Stickers" in page.read_text("utf-8"))
    assert '<span class="run-sample">[sticker]</span>' in page.read_text("utf-8")


@pytest.mark.parametrize("seconds, shown", [
    (5, "5 s"), (330, "5 min 30 s"), (3661, "1 h 1 min"), (86_399, "23 h 59 min"), (86_400, "1 day"),
    (3 * 86_400 + 4 * 3600 + 59, "3 days 4 h"), (404 * 86_400 + 5000, "404 days"),
])
def test_how_long_a_conversation_went_on_is_said_to_the_unit_that_matters(seconds, shown):
    assert conversation_span(seconds) == shown


def test_transcript_text_in_names_previews_runs_and_cards_stays_text(project):
    """Messages and cards are written with autoescape off (for speed), and the names, titles, tags,
    excerpts, previews and samples in them escaped one by one: none of them may open a tag or leave
    its attribute."""
    from html.parser import HTMLParser
    name = 'Al"ice <b onclick=x> & \'co\''
    hostile = '<img src=x onerror="alert(1)"> "quoted" & <script>bad()</script>'
    messages = [(name, hostile), ("Tool (tool call)", hostile), ("Bob", "ho")] + [(name, hostile)] * 3
    header = '**Started:** 2025-01-01 10:00:00\n**Tags:** <b onclick=x>bold</b>, "q"&x'
    (project / "content/evil.md").write_text(transcript(title=f"{name} ↔ Bob", header=header, messages=messages),
                                             "utf-8")
    config, result = build_project(project)
    assert not result.failed()

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.speakers, self.in_name = [], [], False

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            attrs = dict(attrs)
            assert not any(key.startswith("on") for key in attrs), (tag, attrs)
            # A message's speaker: its header's heading, up to a kind label.
            self.in_name = tag == "h2" and self.tags[-3:-1] == ["article", "header"]
            if self.in_name:
                self.speakers.append("")

        def handle_endtag(self, tag):
            self.in_name = False

        def handle_data(self, data):
            if self.in_name:
                self.speakers[-1] += data

    def parsed(path):
        tags = Tags()
        tags.feed(path.read_text("utf-8"))
        assert "img" not in tags.tags and "b" not in tags.tags
        assert tags.tags.count("script") == 2  # the theme's own: the colour scheme and site.js
        return tags
    site = config.output_path
    page = next((site / "c").glob("*/index.html"))
    assert {speaker.strip() for speaker in parsed(page).speakers} == {name, "Bob", "Tool"}
    html = page.read_text("utf-8")
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html  # a tool call's preview, escaped
    run = html[html.index('<span class="run-sample">'):]
    assert run.startswith('<span class="run-sample">&lt;img src=x onerror=&#34;alert(1)&#34;&gt;') and "× 3" in run
    for listing in ("index.html", "tags/b-onclick-x-bold-b/index.html", "archive/2025/01/index.html"):
        parsed(site / listing)
        listed = (site / listing).read_text("utf-8")
        assert "Al&#34;ice &lt;b onclick=x&gt; &amp; &#39;co&#39;" in listed  # the title (and the card's chip)
    card = (site / "index.html").read_text("utf-8")
    assert "&lt;b onclick=x&gt;bold&lt;/b&gt;" in card and "&#34;q&#34;&amp;x" in card  # the card's tags


def test_a_careless_theme_cannot_let_transcript_text_run(project):
    """Transcript text reaches templates already escaped: a theme that prints every value raw, with
    autoescape off, still shows markup as text."""
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    (project / "content/evil.md").write_text(transcript(
        title=f"{hostile} ↔ Bob", header=f"**Started:** 2025-01-01 10:00:00\n**Tags:** {hostile}\n**Note:** {hostile}",
        messages=((hostile, hostile), ("Tool (tool call)", hostile), ("Bob", "ho"))), "utf-8")
    (project / "templates").mkdir()
    raw = ("{% autoescape false %}<!DOCTYPE html><title>{{ page.title }}</title>{{ site.title }}{% block main %}"
           "{% endblock %}{% endautoescape %}")
    (project / "templates/base.html").write_text(raw, "utf-8")
    (project / "templates/conversation.html").write_text(
        '{% extends "base.html" %}{% block main %}{% autoescape false %}{% set c = conversation %}{{ c.title }}'
        "{% for s in c.participants %}{{ s.name }}{% endfor %}{% for k, v in c.extra_metadata %}{{ k }}{{ v }}"
        "{% endfor %}{% for t in c.tags %}{{ t.name }}{% endfor %}{{ c.excerpt }}{% for m in c.messages %}"
        "{{ m.speaker.name }}{{ m.preview }}{{ m.html }}{% endfor %}{% endautoescape %}{% endblock %}", "utf-8")
    (project / "templates/index.html").write_text(
        '{% extends "base.html" %}{% block main %}{% autoescape false %}{% for c in conversations %}{{ c.title }}'
        "{{ c.excerpt }}{% for t in c.tags %}{{ t.name }}{% endfor %}{% for s in c.participants %}{{ s.name }}"
        "{% endfor %}{% endfor %}{% endautoescape %}{% endblock %}", "utf-8")
    (project / "antiphon.toml").write_text("search = false\n", "utf-8")  # the careless theme marks nothing to index
    config, result = build_project(project)
    assert not result.failed(), result.diagnostics
    for page in (config.output_path / "index.html", *(config.output_path / "c").glob("*/index.html")):
        html = page.read_text("utf-8")
        assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html, page


def test_json_and_source_copy_sit_beside_the_page(built, sample_project):
    site, _ = built
    data = json.loads((site / "c/2025-02-02-alice-bob-carol/conversation.json").read_text("utf-8"))
    assert data["participants"] == ["Alice", "Bob", "Carol"]
    assert data["metadata"]["Mood"] == "curious"
    assert [m["speaker"] for m in data["messages"]] == ["Carol", "Alice", "Bob"]
    assert data["messages"][1]["text"] == "Line one\nline two"
    copy = site / "c/2025-02-02-alice-bob-carol/2025-02-02-alice-bob-carol.md"
    assert copy.read_bytes() == (sample_project / "content/nested/trio.md").read_bytes()
    html = (site / "c/2025-02-02-alice-bob-carol/index.html").read_text("utf-8")
    assert 'href="conversation.json"' in html and 'href="2025-02-02-alice-bob-carol.md"' in html


def test_drafts_are_left_out_unless_asked_for(sample_project, built):
    site, _ = built
    assert "Not published" not in "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    config = load_config(None, sample_project, output_dir="with-drafts")
    assert build(config, include_drafts=True).conversations == 5


# -- determinism and incremental writes ---------------------------------------------------------

def test_same_input_gives_byte_identical_output(sample_project):
    _, first = build_project(sample_project, output_dir="one")
    _, second = build_project(sample_project, output_dir="two")
    assert site_files(sample_project / "one") == site_files(sample_project / "two")


def test_a_rebuild_with_no_change_writes_nothing(sample_project):
    config, _ = build_project(sample_project)
    stamps = {p: p.stat().st_mtime_ns for p in config.output_path.rglob("*")}
    result = build(config)
    assert result.written == [] and result.removed == []
    assert stamps == {p: p.stat().st_mtime_ns for p in config.output_path.rglob("*")}


def test_removed_transcripts_lose_their_pages_but_foreign_files_stay(sample_project):
    config, _ = build_project(sample_project)
    site = config.output_path
    (site / "CNAME").write_text("archive.example.org\n")
    (sample_project / "content/nested/trio.md").unlink()
    result = build(config)
    assert not (site / "c/2025-02-02-alice-bob-carol").exists()
    assert not (site / "speakers/carol").exists()
    assert "c/2025-02-02-alice-bob-carol/index.html" in result.removed
    assert (site / "CNAME").read_text() == "archive.example.org\n"


# -- bad input --------------------------------------------------------------------------------

def test_a_broken_file_is_reported_and_the_rest_still_builds(project):
    (project / "content/good.md").write_text(transcript(), "utf-8")
    (project / "content/bad.md").write_text("Notes\n\n---\n\n### Alice\n\nHi.\n", "utf-8")
    (project / "content/latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (project / "content/shopping.txt").write_text("eggs, milk\nbread\n", "utf-8")
    config, result = build_project(project)
    assert [str(d) for d in result.errors] == [
        "content/bad.md:1: error: expected a title line such as '# Alice ↔ Bob' first",
        "content/latin1.md:1: error: not valid UTF-8 (byte 0xe9 at column 6); save the file as UTF-8",
    ]
    [unclaimed] = result.notes
    assert str(unclaimed).startswith("content/shopping.txt: note: not a transcript: no reader recognises this file")
    assert result.failed() and result.conversations == 1
    assert (config.output_path / "c/alice-bob/index.html").is_file()


def test_template_errors_name_the_template_and_line(project):
    (project / "content/good.md").write_text(transcript(), "utf-8")
    (project / "templates").mkdir()
    (project / "templates/tags.html").write_text("line one\n{{ no_such_variable.attribute }}\n", "utf-8")
    _, result = build_project(project)
    [error] = result.errors
    assert error.path.endswith("templates/tags.html") and error.line == 2
    assert "no_such_variable" in error.message


def test_slugs_from_transcript_text_cannot_escape_the_site(project):
    (project / "content/evil.md").write_text(transcript(title="../../../etc/passwd", header="**Slug:** ../../x"), "utf-8")
    config, result = build_project(project)
    assert not result.errors
    assert (config.output_path / "c/x/index.html").is_file()
    assert not (project.parent / "x").exists()


@pytest.mark.parametrize("title, slug", [
    ("Разговор о море", "razgovor-o-more"), ("潮汐表", "chao-xi-biao"), ("こんにちは", "konnichiha"),
    ("한국어 대화", "hangugeo-daehwa"), ("Ελληνικά", "ellinika"), ("हिन्दी", "hindi"), ("Claude ↔ 潮汐", "claude-chao-xi"),
    ("Café ↔ Straße 🌊", "cafe-strasse"), ("Zalgo z̷̳a̸l̶g̵o", "zalgo-zalgo"),
])
def test_a_title_in_another_script_is_spelled_in_latin_in_its_slug(title, slug):
    """A Russian, Chinese or Japanese title had a hash for a slug ('x-3f9a2b1c'), and a title that
    mixed scripts lost its other half ('Claude ↔ 潮汐' was 'claude'): their letters are spelled in
    Latin now, Chinese characters a syllable each. Accents and symbols go as before."""
    assert slugify(title) == slug


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_a_slug_is_always_a_plain_name(text):
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= MAX_SLUG, (text, slug)


# -- output safety ----------------------------------------------------------------------------

@pytest.mark.parametrize("output, reason", [
    (".", "the project folder"),
    ("..", "the project folder"),
    ("content", "the content folder"),
    ("content/site", "inside the content folder"),
])
def test_unsafe_output_folders_are_refused(project, output, reason):
    (project / "content/good.md").write_text(transcript(), "utf-8")
    before = sorted(project.rglob("*"))
    with pytest.raises(BuildError, match=reason):
        build_project(project, output_dir=output)
    assert sorted(project.rglob("*")) == before


def test_a_non_empty_folder_antiphon_did_not_make_is_refused(project):
    (project / "content/good.md").write_text(transcript(), "utf-8")
    (project / "site").mkdir()
    (project / "site/notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="not empty and was not made by Antiphon"):
        build_project(project)
    assert sorted(p.name for p in (project / "site").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("planted", ["c/alice-bob", "c"])
def test_a_link_planted_in_the_output_folder_is_never_written_through(project, tmp_path_factory, jobs, planted):
    """A folder of the site swapped for a link to a folder elsewhere (by hand, or by another program)
    between two builds of one process (the preview server's) is refused: the build writes nothing
    through it, and says which folder it is."""
    (project / "content/good.md").write_text(transcript(), "utf-8")
    build_project(project)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "mine.txt").write_text("mine")
    folder = project / "site" / planted
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    (project / "content/good.md").write_text(transcript(messages=(("Alice", "Hello again."), ("Bob", "Hi."))), "utf-8")
    with pytest.raises(BuildError, match=f"refusing to write outside the output folder: .*{planted}"):
        build(load_config(None, project), jobs=jobs)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["mine.txt"]


def test_an_output_folder_from_an_earlier_build_is_reused(project):
    (project / "content/good.md").write_text(transcript(), "utf-8")
    build_project(project)
    assert (project / "site" / MANIFEST).is_file()
    _, result = build_project(project)
    assert not result.failed()


def test_relative_links_agree_with_posixpath():
    """Every link goes through urls.relative, which splits strings (fast) instead of calling relpath."""
    import posixpath
    from hypothesis import given, settings, strategies as st

    from generator.urls import relative
    segments = st.lists(st.sampled_from(["c", "tags", "x", "y", "page", "2", "assets", "a.css"]), max_size=4)

    def path(parts, folder):
        return "/".join(parts) + ("/" if folder and parts else "")

    @settings(max_examples=3000, deadline=None)
    @given(segments, st.booleans(), segments, st.booleans())
    def check(target_parts, target_folder, page_parts, page_folder):
        target, page = path(target_parts, target_folder), path(page_parts, page_folder)
        link = relative(target, page)
        here = posixpath.dirname("/" + (page if not page.endswith("/") else page + "index.html"))
        resolved = posixpath.normpath(posixpath.join(here, link))
        assert resolved == posixpath.normpath("/" + target), (target, page, link)
        assert link.endswith("/") == (target.endswith("/") or target == "")
    check()


def test_turning_search_off_removes_the_index(sample_project):
    config, result = build_project(sample_project)
    site = config.output_path
    assert (site / "pagefind/000/pagefind-entry.json").is_file() and (site / "search/index.html").is_file()
    config_file = sample_project / "antiphon.toml"
    config_file.write_text("search = false\n" + config_file.read_text("utf-8"), "utf-8")
    config, result = build_project(sample_project)
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert "search/index.html" in result.removed and "pagefind/000/pagefind-entry.json" in result.removed


@pytest.mark.parametrize("downloads, files, links", [
    (None, [], []),  # the page holds the transcript; a copy beside it is a setting
    ('["source"]', ["alice-bob.md"], ["source transcript"]),
    ('["source", "json"]', ["alice-bob.md", "conversation.json"], ["source transcript", "conversation.json"]),
    ("[]", [], []),
])
def test_downloads_say_what_each_page_offers(project, downloads, files, links):
    (project / "content/a.md").write_text(transcript(), "utf-8")
    if downloads is not None:
        (project / "antiphon.toml").write_text(f"downloads = {downloads}\nsearch = false\n", "utf-8")
    else:
        (project / "antiphon.toml").write_text("search = false\n", "utf-8")
    assert not build(load_config(None, project)).failed()
    folder = project / "site/c/alice-bob"
    assert sorted(p.name for p in folder.iterdir() if p.name != "index.html") == sorted(files)
    html = (folder / "index.html").read_text("utf-8")
    assert [name for name in ("source transcript", "conversation.json") if f">{name}</a>" in html] == links
    assert ("Download:" in html) == bool(links)


def test_times_with_microseconds_are_valid_html_datetimes(project):
    (project / "content" / "t.md").write_text(
        transcript(header="**Started:** 2025-09-10T10:21:30.833153+00:00"), "utf-8")
    config, result = build_project(project)
    assert not result.failed()
    page = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
    assert 'datetime="2025-09-10T10:21:30.833+00:00"' in page and "833153" not in page
    index = (config.output_path / "index.html").read_text("utf-8")
    assert "<time>2025-09-10</time>" in index and "833153" not in index  # lists show the date alone, its value


def test_a_web_address_in_the_metadata_is_a_link_and_nothing_else_is(project):
    header = ("**Started:** 2025-01-01 10:00:00\n**Link:** https://chat.example/c/12?a=1&b=2\n"
              "**Script:** javascript:alert(1)\n**Quoted:** https://chat.example/\"onmouseover=\"x")
    (project / "content/linked.md").write_text(transcript(header=header), "utf-8")
    config, result = build_project(project)
    assert not result.failed(), result.diagnostics
    html = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
    assert ('<dt>Link</dt><dd><a href="https://chat.example/c/12?a=1&amp;b=2" rel="nofollow noopener">'
            "https://chat.example/c/12?a=1&amp;b=2</a></dd>") in html
    assert "<dt>Script</dt><dd>javascript:alert(1)</dd>" in html
    assert "<dt>Quoted</dt><dd>https://chat.example/&#34;onmouseover=&#34;x</dd>" in html


def test_right_to_left_messages_and_pages_say_their_direction(project):
    """An Arabic message on an English page is written right to left, and an English message on an
    Arabic page (the site's language) left to right; the Arabic page itself says it is right to left."""
    messages = (("Ada", "When is the high tide at the harbour today?"),
                ("Salma", "المد العالي في الميناء اليوم عند الساعة السادسة."))
    (project / "content/harbour.md").write_text(transcript(title="Harbour", messages=messages), "utf-8")
    found = r'<article class="msg[^>]*id="(m-\d+)"(?: lang="([a-z]+)")?(?: dir="([a-z]+)")?'
    for language, html_tag, expected in (("en", '<html lang="en">', [("m-1", "", ""), ("m-2", "ar", "rtl")]),
                                         ("ar", '<html lang="ar" dir="rtl">', [("m-1", "", "ltr"), ("m-2", "", "")])):
        (project / "antiphon.toml").write_text(f'language = "{language}"\n', "utf-8")
        config, result = build_project(project)
        assert not result.failed(), result.diagnostics
        html = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
        assert html_tag in html and html_tag in (config.output_path / "index.html").read_text("utf-8")
        assert re.findall(found, html) == expected


def test_a_message_mostly_in_another_languages_script_says_its_language(project):
    messages = (("Lan", "我们今天讨论了潮汐表的计算方法，以及 `tide.py` 的用法。"),  # Chinese, with a little code
                ("Kaito", "灯台守は毎晩フェリーの数を数えています。"),  # kanji and kana: Japanese
                ("Min", "오늘은 바다가 조용합니다."),
                ("Wren", "The sign by the pier says 潮汐表, which means tide table."),  # English with a word
                ("Ossian", "Plain ASCII, as most are."),
                ("Vera", "Мы считаем приливы по таблице из порта."))  # Cyrillic, with ы: Russian
    (project / "content/tides.md").write_text(transcript(title="Tides", messages=messages), "utf-8")
    config, result = build_project(project)
    assert not result.failed(), result.diagnostics
    html = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
    langs = re.findall(r'<article class="msg[^>]*id="(m-\d+)"(?: lang="([a-z]+)")?', html)
    assert langs == [("m-1", "zh"), ("m-2", "ja"), ("m-3", "ko"), ("m-4", ""), ("m-5", ""), ("m-6", "ru")]
    (project / "antiphon.toml").write_text('language = "zh-Hans"\n', "utf-8")  # the site's own: not repeated
    config, result = build_project(project)
    html = next((config.output_path / "c").glob("*/index.html")).read_text("utf-8")
    assert re.findall(r'<article class="msg[^>]*id="(m-\d+)"(?: lang="([a-z]+)")?', html)[:3] == [
        ("m-1", ""), ("m-2", "ja"), ("m-3", "ko")]


def test_a_card_shows_the_words_of_a_message_written_all_in_a_code_block(project):
    """Runs' models answer in code blocks: the card and the page's description then show the block's
    words (a quarter of UniversalBackrooms' cards were empty). Prose beside code still comes first, and
    emoji art, which has no words, is never an excerpt."""
    cases = {
        "block": ([("Claude 1", '```bash\nsimulator@dream:~/$ ./dreamsim.exe "a train of lanterns over the bay"\n```'),
                   ("Claude 2", "```\n[ booting ]\nYou stand on the platform.\n```")],
                  'simulator@dream:~/$ ./dreamsim.exe "a train of lanterns over the bay"'),
        "art": ([("Claude 1", "```\n   🌊🌊🌊\n  ⛵⛵⛵⛵\n```"), ("Claude 2", "The sea is calm.")], "The sea is calm."),
        "prose": ([("Claude 1", "Here is the plan:\n```\nstep one\n```"), ("Claude 2", "Go.")], "Here is the plan:"),
        # emoji art longer than an opening keeps, its caption under it
        "caption": ([("Claude 1", "```\n" + "  🌊🌊🌊🌊🌊\n" * 60 + "   THE TIDE COMES IN\n```"), ("Claude 2", "Later.")],
                    "THE TIDE COMES IN"),
    }
    for day, (name, (messages, _)) in enumerate(cases.items(), 1):
        (project / "content" / f"{name}.md").write_text(
            transcript(f"Run {name}", f"**Started:** 2025-01-0{day} 10:00:00", messages), "utf-8")
    config, result = build_project(project, search=False)
    assert not result.failed(), result.diagnostics
    index = (config.output_path / "index.html").read_text("utf-8")
    for day, (name, (_, expected)) in enumerate(cases.items(), 1):
        card = index.split(f'href="c/2025-01-0{day}-run-{name}/"', 1)[1]
        shown = str(escape(expected))
        assert re.search(r'<p class="excerpt">(.*?)</p>', card, re.S).group(1) == shown
        page = (config.output_path / f"c/2025-01-0{day}-run-{name}/index.html").read_text("utf-8")
        assert f'<meta name="description" content="{shown}">' in page


def test_a_card_does_not_repeat_the_title_its_first_message_gives(project):
    """A session titled by its request would show the request twice on its card: the excerpt shows
    the answer when the title is all the request says, and the rest of the request when it says more."""
    cases = {
        "hi": ("hi", [("User", "hi"), ("Claude", "Hello! What shall we work on?")],
               "Hello! What shall we work on?"),
        "lines": ("Explore this repository to understand:",
                  [("User", "Explore this repository to understand:\n1. its layout\n2. its scripts"),
                   ("Claude", "I'll start with the layout.")],
                  "1. its layout 2. its scripts"),
        "cut": ("Execute the plan in plans/tile.md using…",
                [("User", "Execute the plan in plans/tile.md using parallel mode, then report."),
                 ("Claude", "Starting.")],
                "…parallel mode, then report."),
        "word": ("hi", [("User", "hippos are the subject"), ("Claude", "They are.")], "hippos are the subject"),
        "pair": ("Alice ↔ Bob", [("Alice", "Hello."), ("Bob", "Hi.")], "Hello."),
        # Titled by a later request (a 'hi' names nothing): the card starts where the title was taken.
        "later": ("Compare the pier four offset with the survey",
                  [("User", "hi"), ("Claude", "Hello! What shall we work on?"),
                   ("User", "Compare the pier four offset with the survey"), ("Claude", "It is 3.1 cm high.")],
                  "It is 3.1 cm high."),
        "later-more": ("Check the tide table", [("User", "ok"), ("Claude", "Ready when you are."),
                                                ("User", "Check the tide table for Thursday"), ("Claude", "Done.")],
                       "for Thursday"),
    }
    for day, (name, (title, messages, _)) in enumerate(cases.items(), 1):
        (project / "content" / f"{name}.md").write_text(
            transcript(title, f"**Started:** 2025-01-0{day} 10:00:00", messages), "utf-8")

    def excerpts() -> dict[str, str]:
        shown = {}
        for slug in (config.output_path / "c").iterdir():
            card = (config.output_path / "index.html").read_text("utf-8").split(f'href="c/{slug.name}/"', 1)[1]
            page = (slug / "index.html").read_text("utf-8")
            description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
            shown[slug.name] = (re.search(r'<p class="excerpt">(.*?)</p>', card, re.S).group(1), description)
        return shown

    config, result = build_project(project, search=False)
    assert not result.failed(), result.diagnostics
    first = excerpts()
    expected = sorted(excerpt for _, _, excerpt in cases.values())
    assert sorted(excerpt for excerpt, _ in first.values()) == [
        e.replace("'", "&#39;") for e in expected]
    assert all(excerpt == description for excerpt, description in first.values())  # the page says the same
    # Built again from the outlines the sources file keeps (a new process), the cards are the same.
    (config.output_path / "index.html").unlink()
    config, result = build_project(project, search=False)
    assert excerpts() == first


def test_a_day_given_without_its_time_is_shown_as_the_day(project):
    """'**Started:** 2025-10-26' names a day: its page says the day, not '2025-10-26 00:00' (a time no
    one wrote); a time that is given is shown, midnight too when a time zone says it is one."""
    (project / "content/day.md").write_text(transcript(title="Day only", header="**Started:** 2025-10-26"), "utf-8")
    (project / "content/time.md").write_text(transcript(title="With a time", header="**Started:** 2025-10-27 09:30:00"),
                                             "utf-8")
    config = load_config(None, project)
    build(config)
    day = (config.output_path / "c/2025-10-26-day-only/index.html").read_text("utf-8")
    assert '<time datetime="2025-10-26">2025-10-26</time>' in day and "00:00" not in day
    timed = (config.output_path / "c/2025-10-27-with-a-time/index.html").read_text("utf-8")
    assert '<time datetime="2025-10-27T09:30:00">2025-10-27 09:30</time>' in timed
