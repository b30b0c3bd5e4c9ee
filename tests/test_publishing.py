"""Feeds, sitemap, robots.txt and the GitHub Pages files, parsed the way their readers parse them."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from generator.config import load_config
from generator.site import build
from tests.conftest import transcript

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.github.io/my-archive/"


@pytest.fixture
def site(sample_project):
    config = load_config(None, sample_project)
    assert not build(config).failed()
    return config.output_path


def parse_feed(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == ATOM + "feed"
    return root


def rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_main_feed_is_valid_atom_with_absolute_urls(site):
    feed = parse_feed(site / "feed.xml")
    for required in ("id", "title", "updated", "author"):
        assert feed.find(ATOM + required) is not None, required
    self_link = feed.find(ATOM + "link[@rel='self']")
    assert self_link.get("href") == BASE + "feed.xml"
    entries = feed.findall(ATOM + "entry")
    assert [e.find(ATOM + "title").text for e in entries] == \
        ["Alice ↔ Bob ↔ Carol", "Alice ↔ Bob · first", "Alice ↔ Bob · second"]
    for entry in entries:
        for required in ("id", "title", "updated", "published"):
            assert entry.find(ATOM + required) is not None, required
        assert entry.find(ATOM + "link").get("href").startswith(BASE + "c/")
        assert rfc3339(entry.find(ATOM + "updated").text).tzinfo is not None
    updated = [rfc3339(e.find(ATOM + "updated").text) for e in entries]
    assert rfc3339(feed.find(ATOM + "updated").text) == max(updated)
    first = entries[0]
    assert [a.find(ATOM + "name").text for a in first.findall(ATOM + "author")] == ["Alice", "Bob", "Carol"]
    assert first.find(ATOM + "summary").text == "Three speakers, one of them new."


def test_tag_and_speaker_feeds(site):
    tag_feed = parse_feed(site / "tags/test-tag/feed.xml")
    assert [e.find(ATOM + "link").get("href") for e in tag_feed.findall(ATOM + "entry")] == [
        BASE + "c/2025-01-01-alice-bob/"]
    carol = parse_feed(site / "speakers/carol/feed.xml")
    assert len(carol.findall(ATOM + "entry")) == 1
    html = (site / "tags/test-tag/index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="feed.xml"' in html


def test_feeds_keep_to_the_newest_twenty(project):
    header = "**Started:** 2025-01-{:02d} 10:00:00"
    for day in range(1, 26):
        (project / f"content/{day}.md").write_text(transcript(title=f"Day {day}", header=header.format(day)), "utf-8")
    (project / "antiphon.toml").write_text(f'base_url = "{BASE}"\n', "utf-8")
    config = load_config(None, project)
    build(config)
    entries = parse_feed(config.output_path / "feed.xml").findall(ATOM + "entry")
    assert [e.find(ATOM + "title").text for e in entries] == [f"Day {d}" for d in range(25, 5, -1)]


def test_sitemap_lists_every_page_once(site):
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    listed = [loc.text for loc in root.iter(SITEMAP + "loc")]
    folders = [p.relative_to(site).parent.as_posix() for p in site.rglob("index.html")]
    pages = {BASE if folder == "." else f"{BASE}{folder}/" for folder in folders}
    assert sorted(listed) == sorted(pages)
    assert not any("404" in url for url in listed)


def test_robots_and_github_pages_files(site, sample_project):
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    assert (site / ".nojekyll").read_bytes() == b""
    assert not (site / "CNAME").exists()
    config_file = sample_project / "antiphon.toml"
    config_file.write_text(config_file.read_text().replace('per_page', 'cname = "archive.example.org"\nper_page'))
    build(load_config(None, sample_project))
    assert (site / "CNAME").read_text() == "archive.example.org\n"


def test_without_base_url_there_are_no_feeds_or_sitemap(project):
    (project / "content/a.md").write_text(transcript(header="**Started:** 2025-01-01 00:00:00"), "utf-8")
    config = load_config(None, project)
    build(config)
    site = config.output_path
    assert not (site / "feed.xml").exists() and not (site / "sitemap.xml").exists()
    assert (site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert "application/atom+xml" not in (site / "index.html").read_text("utf-8")


def test_conversation_pages_carry_social_meta(site):
    html = (site / "c/2025-02-02-alice-bob-carol/index.html").read_text("utf-8")
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{BASE}c/2025-02-02-alice-bob-carol/">' in html
    assert '<meta property="og:description" content="Three speakers, one of them new.">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_pairs_group_both_orders_and_dates_group_by_month(project):
    for name, title, day in (("ab.md", "Ann ↔ Ben", "01"), ("ba.md", "Ben ↔ Ann", "02"), ("ac.md", "Ann ↔ Cy", "03")):
        header = f"**Started:** 2025-0{day[-1]}-{day} 10:00:00"
        speakers = title.split(" ↔ ")
        (project / "content" / name).write_text(
            transcript(title=title, header=header, messages=[(speakers[0], "hi"), (speakers[1], "hello")]), "utf-8")
    config = load_config(None, project)
    build(config)
    site = config.output_path
    both = (site / "pairs/ann--ben/index.html").read_text("utf-8")
    assert "c/2025-01-01-ann-ben/" in both and "c/2025-02-02-ben-ann/" in both
    assert "c/2025-03-03-ann-cy/" in (site / "pairs/ann--cy/index.html").read_text("utf-8")
    dates = (site / "archive/index.html").read_text("utf-8")
    assert dates.index("March 2025") < dates.index("February 2025") < dates.index("January 2025")
    assert "c/2025-02-02-ben-ann/" in (site / "archive/2025/02/index.html").read_text("utf-8")
    assert (site / "archive/2025/index.html").read_text("utf-8").count('<li><a href="../../c/') == 3


def test_feed_text_and_attributes_survive_markup_and_quotes(project):
    awkward = 'Q&A <b>"quoted"</b> it\'s'
    (project / "content/a.md").write_text(
        transcript(title=f"{awkward} ↔ Bob", header=f"**Started:** 2025-01-01 10:00:00\n**Tags:** {awkward}\x01"),
        "utf-8")
    (project / "antiphon.toml").write_text(f'base_url = "{BASE}"\n', "utf-8")
    config = load_config(None, project)
    assert not build(config).failed()
    entry = parse_feed(config.output_path / "feed.xml").find(ATOM + "entry")
    assert entry.find(ATOM + "title").text == f"{awkward} ↔ Bob"
    # The control character is replaced by its visible symbol when read (it can be in no XML file).
    assert [c.get("term") for c in entry.findall(ATOM + "category")] == [awkward + "\u2401"]
