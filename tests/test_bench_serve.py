"""bench/serve_latency.py: its two kinds of edit, and where it looks for each transcript's page (it
once looked for conversation.json beside each page, which a build no longer writes by default)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import generate  # noqa: E402
from serve_latency import _pages_of, add_line, replace_word  # noqa: E402

from generator.profile import plain_words  # noqa: E402


def test_a_replaced_word_keeps_the_length_and_the_count_of_words_a_line_adds_some(tmp_path):
    generate(tmp_path, 1)
    text = next(tmp_path.rglob("*.md")).read_text("utf-8")
    replaced, added = replace_word(text, 0), add_line(text, 0)
    assert replaced != text and len(replaced) == len(text) and len(plain_words(replaced)) == len(plain_words(text))
    assert replaced[:len(text) // 2] == text[:len(text) // 2]  # past the opening
    assert "edited 0 at" in added and added.endswith(text[text.rindex("\n---\n"):])


def test_every_transcript_is_found_at_the_page_the_build_made_for_it(tmp_path):
    generate(tmp_path / "content", 12)
    pages = _pages_of(tmp_path)
    assert len(pages) == 12
    for relative, slug in pages.items():
        page = (tmp_path / "site/c" / slug / "index.html").read_text("utf-8")
        title = (tmp_path / "content" / relative).read_text("utf-8").split("\n", 1)[0].removeprefix("# ")
        assert title in page
