"""Exports split over several files (Telegram's messages2.html…, DiscordChatExporter's partitions)
read, listed and rebuilt as the one conversation they are (generator/readers/parts.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.diagnostics import SourceError
from generator.readers import file_content_key, read_file
from generator.readers.common import Turn, conversation, in_reply_to
from generator.readers.parts import _reply_renumbered, first_part, later_part_names, later_parts
from generator.site import Builder
from generator.sources import discover
from tests.conftest import FIXTURES

TELEGRAM = (FIXTURES / "formats" / "telegram.html").read_text("utf-8")
DISCORD = json.loads((FIXTURES / "formats" / "discord.json").read_text("utf-8"))
_MESSAGE = "\n     <div class=\"message "


def telegram_pages(cuts: list[int]) -> list[str]:
    """The fixture's chat as Telegram writes a longer one: a page for each run of messages, each page
    starting with a message that names its sender (Telegram starts every file afresh), and a reply to
    a message on an earlier page linking to that page ('messages.html#go_to_message2')."""
    starts = [match.start() for match in re.finditer(re.escape(_MESSAGE), TELEGRAM)]
    end = TELEGRAM.rindex("\n    </div>\n\n   </div>")
    head, tail = TELEGRAM[:starts[0]], TELEGRAM[end:]
    messages = [TELEGRAM[a:b] for a, b in zip(starts, starts[1:] + [end])]
    bounds = [0, *cuts, len(messages)]
    pages = ["".join(messages[a:b]) for a, b in zip(bounds, bounds[1:])]
    for number, page in enumerate(pages):
        earlier = {found: telegram_page_name(other) for other in range(number)
                   for found in re.findall(r'id="message(\d+)"', pages[other])}
        pages[number] = re.sub(r'href="#go_to_message(\d+)"', lambda link: (
            f'href="{earlier[link[1]]}#go_to_message{link[1]}"' if link[1] in earlier else link[0]), page)
    return [head + page + tail for page in pages]


def telegram_page_name(number: int) -> str:
    """The name Telegram gives the page of this number (from 0)."""
    return "messages.html" if number == 0 else f"messages{number + 1}.html"


def _page_starts() -> list[int]:
    """Where a page may start: at a message that names its sender (its day's heading, if it has
    one, goes with it)."""
    starts = [match.start() for match in re.finditer(re.escape(_MESSAGE), TELEGRAM)]
    ends = starts[1:] + [len(TELEGRAM)]
    elements = [TELEGRAM[at:end] for at, end in zip(starts, ends)]
    return [i for i, element in enumerate(elements) if i and "joined" not in element[:80] and "from_name" in element
            and 'id="message-' not in elements[i - 1]]


def said(conversation):
    return [(m.index, m.speaker, m.kind, m.time, m.text) for m in conversation.messages]


def write_parts(folder: Path, names: list[str], pages: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, page in zip(names, pages):
        (folder / name).write_text(page, "utf-8")


def test_the_fixture_can_be_cut_into_pages():
    assert len(_page_starts()) >= 2


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_telegram_chat_written_over_several_pages_reads_as_the_whole_chat(tmp_path_factory, data):
    """Differential: the chat cut into pages anywhere Telegram could cut it reads as it does whole,
    a reply to a message on an earlier page included."""
    cuts = sorted(data.draw(st.sets(st.sampled_from(_page_starts()), min_size=1)))
    folder = tmp_path_factory.mktemp("export")
    pages = telegram_pages(cuts)
    write_parts(folder, [telegram_page_name(number) for number in range(len(pages))], pages)
    (folder / "whole.html").write_text(TELEGRAM, "utf-8")
    [joined] = read_file(folder / "messages.html", "export/messages.html").conversations
    [whole] = read_file(folder / "whole.html").conversations
    assert said(joined) == said(whole)
    assert (joined.title, joined.started, joined.ended, joined.speakers) == (whole.title, whole.started, whole.ended,
                                                                             whole.speakers)
    assert joined.metadata == whole.metadata


def test_a_reply_to_a_message_on_an_earlier_page_names_it(tmp_path):
    """Telegram links such a reply to the other page ('messages.html#go_to_message2'); it names the
    message it answers as a reply on the same page does."""
    crossing = [cut for cut in _page_starts() if "messages.html#go_to_message" in telegram_pages([cut])[1]]
    assert crossing, "no cut of the fixture puts a reply on a later page than the message it answers"
    write_parts(tmp_path, ["messages.html", "messages2.html"], telegram_pages(crossing[:1]))
    [joined] = read_file(tmp_path / "messages.html").conversations
    replies = [m.text.split("\n")[0] for m in joined.messages if m.text.startswith("↩ In reply to")]
    answered = joined.messages[int(replies[0].rpartition("#")[2].rstrip(")")) - 1]
    assert replies == [f"↩ In reply to {answered.speaker} (#{answered.index})"] and answered.text == "/tides north"


def test_a_partitioned_discord_channel_reads_as_one_channel(tmp_path):
    messages = DISCORD["messages"]
    names = ["Harbour Office - tide-desk [2].json", "Harbour Office - tide-desk [2] [part 2].json",
             "Harbour Office - tide-desk [2] [part 3].json"]
    bounds = [0, 1, 3, len(messages)]
    for name, (a, b) in zip(names, zip(bounds, bounds[1:])):
        (tmp_path / name).write_text(json.dumps(dict(DISCORD, messages=messages[a:b], messageCount=b - a)), "utf-8")
    (tmp_path / "whole.json").write_text(json.dumps(DISCORD), "utf-8")
    [joined] = read_file(tmp_path / names[0]).conversations
    [whole] = read_file(tmp_path / "whole.json").conversations
    assert said(joined) == said(whole) and joined.title == whole.title and joined.metadata == whole.metadata


@settings(max_examples=15, deadline=None)
@given(st.sets(st.integers(1, len(DISCORD["messages"]) - 1), min_size=1))
def test_a_discord_channel_partitioned_as_json_reads_as_the_whole_channel(tmp_path_factory, cuts):
    """Differential: partitions cut anywhere read as the channel, a reply to a message of an earlier
    partition naming it as a reply within one does (cut between them, it named nothing)."""
    folder = tmp_path_factory.mktemp("channel")
    bounds = [0, *sorted(cuts), len(DISCORD["messages"])]
    parts = [json.dumps(dict(DISCORD, messages=DISCORD["messages"][a:b], messageCount=b - a)) for a, b in zip(bounds, bounds[1:])]
    names = ["Harbour Office - tide-desk [2].json"] + [f"Harbour Office - tide-desk [2] [part {n}].json"
                                                       for n in range(2, len(parts) + 1)]
    write_parts(folder, names, parts)
    (folder / "whole.json").write_text(json.dumps(DISCORD), "utf-8")
    [joined] = read_file(folder / names[0]).conversations
    [whole] = read_file(folder / "whole.json").conversations
    assert said(joined) == said(whole) and any("↩ In reply to" in m.text for m in joined.messages)
    assert (joined.title, joined.metadata) == (whole.title, whole.metadata)


def test_json_partitions_read_together_say_where_a_part_holds_control_characters(tmp_path):
    messages = DISCORD["messages"]
    second = json.dumps(dict(DISCORD, messages=messages[2:])).replace("on the thirteenth", "on the\\u0007 thirteenth")
    write_parts(tmp_path, ["desk.json", "desk [part 2].json"], [json.dumps(dict(DISCORD, messages=messages[:2])), second])
    result = read_file(tmp_path / "desk.json", "desk.json")
    [joined] = result.conversations
    assert [(d.path, d.message[:18]) for d in result.diagnostics] == [("desk [part 2].json", "control characters")]
    assert any(m.text.startswith("↩ In reply to") for m in joined.messages)


DISCORD_PAGE = (FIXTURES / "formats" / "discord.html").read_text("utf-8")
_GROUP = '<div class="chatlog__message-group">'


def discord_partitions(cuts: list[int]) -> list[str]:
    """The fixture's channel as DiscordChatExporter partitions a longer one: each part the page whole
    (its preamble, its end) around a run of message groups."""
    starts = [found.start() for found in re.finditer(re.escape(_GROUP), DISCORD_PAGE)]
    end = DISCORD_PAGE.index("\n<!--wmm:ignore-->\n</div>")  # where the last group ends
    head, tail = DISCORD_PAGE[:starts[0]], DISCORD_PAGE[end:]
    groups = [DISCORD_PAGE[a:b] for a, b in zip(starts, starts[1:] + [end])]
    bounds = [0, *cuts, len(groups)]
    return [head + "".join(groups[a:b]) + tail for a, b in zip(bounds, bounds[1:])]


@settings(max_examples=10, deadline=None)
@given(st.sets(st.integers(1, DISCORD_PAGE.count(_GROUP) - 1), min_size=1))
def test_a_discord_channel_partitioned_as_pages_reads_as_the_whole_channel(tmp_path_factory, cuts):
    """Differential, as for Telegram: a reply to a message of an earlier partition names it too."""
    folder = tmp_path_factory.mktemp("channel")
    pages = discord_partitions(sorted(cuts))
    names = ["Harbour Office - tide-desk [2].html"] + [f"Harbour Office - tide-desk [2] [part {n}].html"
                                                       for n in range(2, len(pages) + 1)]
    write_parts(folder, names, pages)
    (folder / "whole.html").write_text(DISCORD_PAGE, "utf-8")
    [joined] = read_file(folder / names[0]).conversations
    [whole] = read_file(folder / "whole.html").conversations
    assert said(joined) == said(whole) and any("↩ In reply to" in m.text for m in joined.messages)
    assert (joined.title, joined.metadata) == (whole.title, whole.metadata)


_PIECES = st.one_of(st.sampled_from([TELEGRAM, DISCORD_PAGE, "", "<html>", '<a href="#go_to_message2">x</a>',
                                     '<a href="messages2.html#go_to_message-1">', "\udcff"]),
                    st.text(max_size=200))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=4), min_size=2, max_size=4), st.data())
def test_pages_of_any_text_read_together_or_fail_as_files(tmp_path_factory, pages, data):
    """Fuzzing reading pages together: pages made of slices of the fixtures and of any text are read,
    or are an error of the file, never a crash; a page of garbage among them never loses the others."""
    folder = tmp_path_factory.mktemp("pages")
    texts = []
    for pieces in pages:
        text = "".join(pieces)
        cut = data.draw(st.integers(0, len(text)))
        texts.append(text[:cut] if data.draw(st.booleans()) else text)
    for number, text in enumerate(texts):
        (folder / telegram_page_name(number)).write_bytes(text.encode("utf-8", "surrogateescape"))
    try:
        result = read_file(folder / "messages.html", "messages.html")
    except SourceError:
        return
    assert all(d.path.endswith(".html") for d in result.diagnostics)


_DISCORD_JSON = json.dumps(DISCORD)
_JSON_PIECES = st.one_of(st.sampled_from([_DISCORD_JSON, json.dumps(dict(DISCORD, messages=DISCORD["messages"][2:])),
                                          '{"guild": {}, "channel": {}, "messages": []}', "[", "]", "{", "}", ",",
                                          '"reference": {"messageId": "11"}', "\\u0000", "\udcff"]),
                         st.text(max_size=120))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_JSON_PIECES, max_size=4), min_size=2, max_size=4), st.data())
def test_json_partitions_of_any_text_read_together_or_fail_as_files(tmp_path_factory, parts, data):
    """Fuzzing JSON partitions read together: parts made of slices of the fixture and of any text are
    read, or are an error of the file, never a crash; what is said is about the parts."""
    folder = tmp_path_factory.mktemp("parts")
    names = ["desk.json"] + [f"desk [part {n}].json" for n in range(2, len(parts) + 1)]
    for name, pieces in zip(names, parts):
        text = "".join(pieces)
        cut = data.draw(st.integers(0, len(text)))
        (folder / name).write_bytes((text[:cut] if data.draw(st.booleans()) else text).encode("utf-8", "surrogateescape"))
    try:
        result = read_file(folder / "desk.json", "desk.json")
    except SourceError:
        return
    assert all(d.path in names for d in result.diagnostics)


def test_discovery_lists_an_export_once_its_signature_made_of_every_part(tmp_path):
    pages = telegram_pages(_page_starts()[:2])
    write_parts(tmp_path / "chat", ["messages.html", "messages2.html", "messages3.html"], pages)
    (tmp_path / "chat" / "messages5.html").write_text(pages[0], "utf-8")  # no part 4: a file of its own
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "messages2.html").write_text(pages[1], "utf-8")  # no first part: a file of its own
    os.utime(tmp_path / "chat" / "messages2.html", ns=(4 * 10**18, 4 * 10**18))  # the newest part
    files = {file.relative: file for file in discover(tmp_path).files}
    assert sorted(files) == ["chat/messages.html", "chat/messages5.html", "loose/messages2.html"]
    sizes = sum((tmp_path / "chat" / name).stat().st_size for name in ("messages.html", "messages2.html", "messages3.html"))
    assert files["chat/messages.html"].signature == (4 * 10**18, sizes)


def test_a_linked_part_is_not_read_through_its_link(tmp_path):
    pages = telegram_pages(_page_starts()[:1])
    outside = tmp_path / "outside.html"
    outside.write_text(pages[1], "utf-8")
    write_parts(tmp_path / "content", ["messages.html"], pages)
    (tmp_path / "content" / "messages2.html").symlink_to(outside)
    [first] = read_file(tmp_path / "content" / "messages.html").conversations
    assert said(first) == said(read_alone(tmp_path, pages[0]))
    assert [f.relative for f in discover(tmp_path / "content").files] == ["messages.html"]  # the link leads out


def read_alone(tmp_path: Path, page: str):
    """A page read as a file with no parts."""
    (tmp_path / "alone").mkdir(exist_ok=True)
    (tmp_path / "alone" / "chat.html").write_text(page, "utf-8")
    [conversation] = read_file(tmp_path / "alone" / "chat.html").conversations
    return conversation


def test_the_key_of_an_exports_bytes_covers_every_part(tmp_path):
    pages = telegram_pages(_page_starts()[:1])
    write_parts(tmp_path, ["messages.html", "messages2.html"], pages)
    before = file_content_key(tmp_path / "messages.html", None)
    assert before == read_file(tmp_path / "messages.html").content
    (tmp_path / "messages2.html").write_text(pages[1].replace("Tide Bot", "Tide Boat"), "utf-8")
    assert file_content_key(tmp_path / "messages.html", None) != before


def test_pages_that_are_no_parts_of_one_chat_stay_as_they_were_read(tmp_path):
    """A folder's messages.html and messages2.html that read as other things (a chat and no
    transcript): nothing is joined, nothing lost."""
    (tmp_path / "messages.html").write_text(TELEGRAM, "utf-8")
    (tmp_path / "messages2.html").write_text("<html><body><p>Minutes of the harbour board</p></body></html>", "utf-8")
    result = read_file(tmp_path / "messages.html", "messages.html")
    [chat] = result.conversations
    assert said(chat) == said(read_alone(tmp_path, TELEGRAM))
    assert [d.path for d in result.diagnostics] == ["messages2.html"]  # it says what that page is not


@pytest.fixture
def partitioned(tmp_path):
    """A site whose content is one Discord channel in three partitions."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text('title = "Parts"\nsearch = false\n', "utf-8")
    messages = DISCORD["messages"]
    names = ["tide-desk.json", "tide-desk [part 2].json", "tide-desk [part 3].json"]
    for name, (a, b) in zip(names, zip([0, 1, 3], [1, 3, len(messages)])):
        (project / "content" / name).write_text(json.dumps(dict(DISCORD, messages=messages[a:b])), "utf-8")
    return project


def messages_read(messages: list, project: Path) -> int:
    """How many messages these of the channel's make, read as one file."""
    path = project / "alone.json"
    path.write_text(json.dumps(dict(DISCORD, messages=messages)), "utf-8")
    return read_file(path).conversations[0].message_count


def page_of(project) -> str:
    [page] = (project / "site" / "c").glob("*/index.html")
    return page.read_text("utf-8")


@pytest.mark.parametrize("keep_messages", [False, True], ids=["build", "preview server"])
def test_a_site_shows_a_partitioned_channel_once_and_an_edit_to_a_later_part_shows(partitioned, keep_messages):
    builder = Builder(load_config(None, partitioned), keep_messages=keep_messages)
    result = builder.build(search=False)
    assert not result.failed() and result.conversations == 1
    assert page_of(partitioned).count('<article class="msg') == messages_read(DISCORD["messages"], partitioned)
    part = partitioned / "content" / "tide-desk [part 3].json"
    data = json.loads(part.read_text("utf-8"))
    data["messages"][-1]["content"] = "Low water moved to 12:45."
    part.write_text(json.dumps(data), "utf-8")
    assert not builder.build(search=False).failed()
    assert "Low water moved to 12:45." in page_of(partitioned)


def test_a_broken_part_is_an_error_of_its_own_and_the_rest_is_built(partitioned):
    (partitioned / "content" / "tide-desk [part 2].json").write_text('{"guild": {"name": "Harbour', "utf-8")
    result = Builder(load_config(None, partitioned)).build(search=False)
    errors = [d for d in result.diagnostics if d.level == "error"]
    assert result.failed() and [d.path for d in errors] == ["content/tide-desk [part 2].json"]
    kept = messages_read(DISCORD["messages"][:1] + DISCORD["messages"][3:], partitioned)  # parts 1 and 3
    assert page_of(partitioned).count('<article class="msg') == kept


def test_pages_named_as_parts_that_are_two_chats_are_both_published(tmp_path):
    """A Telegram page and a Discord page that happen to be named messages.html and messages2.html:
    two conversations, each page built from its own messages (read again from the one source listed)."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "antiphon.toml").write_text('title = "Two"\nsearch = false\n', "utf-8")
    (project / "content" / "messages.html").write_text(TELEGRAM, "utf-8")
    discord_page = (FIXTURES / "formats" / "discord.html").read_text("utf-8")
    (project / "content" / "messages2.html").write_text(discord_page, "utf-8")
    result = Builder(load_config(None, project)).build(search=False)
    assert not result.failed() and result.conversations == 2
    pages = sorted(page.read_text("utf-8").count('<article class="msg') for page in (project / "site" / "c").glob("*/index.html"))
    expected = sorted([read_alone(tmp_path, TELEGRAM).message_count,
                       read_file(FIXTURES / "formats" / "discord.html").conversations[0].message_count])
    assert pages == expected


_NAMES = st.sampled_from(["messages.html", "messages2.html", "messages3.html", "messages5.html", "messages02.html",
                          "chat.json", "chat [part 2].json", "chat [part 3].json", "chat [part 2] [part 3].json",
                          "chat [part 1].json", "chat [part 2].txt", "chat.txt", "log [PART 2].csv", "log.csv",
                          "log [part 2].csv", "notes.md", "notes [part 2].md"])


@settings(max_examples=100, deadline=None)
@given(st.sets(_NAMES, max_size=12))
def test_every_file_is_listed_or_read_as_a_part_of_exactly_one_listed_file(tmp_path_factory, names):
    """Nothing is lost to the joining: each file of the folder is listed, or is a later part that
    reading a listed file reads, and no file is read twice."""
    folder = tmp_path_factory.mktemp("names")
    for name in names:
        (folder / name).write_text("{}", "utf-8")
    listed = [Path(file.path) for file in discover(folder).files]
    read = [path.name for first in listed for path in [first, *later_parts(first)]]
    assert sorted(read) == sorted(names)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["", ".html", ".json", ".csv", ".txt", " [part 2].json", "2.html"]),
       st.integers(0, 4))
def test_any_file_name_names_parts_that_name_it_back(stem, suffix, existing):
    """Whatever a file is called: each later part it would have names it as its first part, and has
    no later parts of its own (so no file is read twice)."""
    name = stem + suffix
    parts = later_part_names(name, lambda part: int(re.findall(r"[0-9]+", part)[-1]) <= existing + 1)
    assert len(parts) in (0, existing)
    for part in parts:
        assert first_part(part) == name
        assert later_part_names(part, lambda _: True) == []


_SPEAKERS = ["Ada", "Bo", "Cy (1)"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SPEAKERS), min_size=1, max_size=5), st.integers(0, 5),
       st.sampled_from(_SPEAKERS + ["Dee", ""]), st.integers(0, 7), st.text(max_size=30), st.booleans())
def test_a_reply_line_is_renumbered_only_where_it_names_the_parts_own_message(speakers, before, named, number,
                                                                              rest, as_reply):
    """Garbage, and reply lines right and wrong: only a line naming the part's message at that number
    (by its speaker) moves, by ``before``, and nothing after the line changes."""
    part = conversation(Path("part.html"), [Turn(name, "hello") for name in speakers])
    text = (in_reply_to(named, number) + ("\n\n" + rest if rest else "")) if as_reply else rest
    shown = _reply_renumbered(text, part, before)
    names_it = as_reply and before > 0 and 0 < number <= len(speakers) and speakers[number - 1] == named
    if names_it:
        assert shown == in_reply_to(named, number + before) + text[len(in_reply_to(named, number)):]
    else:
        assert shown == text


def test_a_name_with_braces_is_read_and_listed(tmp_path):
    """Found by the test above: the part names were made with str.format, so a file called 'x{y}.json'
    (any .json, .html or .csv) stopped the build with a KeyError."""
    chat = json.dumps({"messages": [{"role": "user", "content": "Low water?"}, {"role": "assistant", "content": "14:10."}]})
    for name in ("x{y}.json", "x{y} [part 2].json", "{0}.html", "a{.csv"):
        (tmp_path / name).write_text(chat, "utf-8")
    assert [f.relative for f in discover(tmp_path).files] == ["a{.csv", "x{y}.json", "{0}.html"]
    [joined] = read_file(tmp_path / "x{y}.json").conversations
    assert joined.message_count == 4
