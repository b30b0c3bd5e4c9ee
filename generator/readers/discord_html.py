"""Discord channels as DiscordChatExporter saves them by default: an HTML page.

The page opens with the server, the channel and its topic (``preamble__entry``), then groups of
messages by one author (``chatlog__message-group``), each message in its container; the first of a
group carries the author (``chatlog__author``, the account's name in its ``title``), a bot's tag and
the time, the others a short time whose ``title`` is the full one. A message's text
(``chatlog__markdown-preserve``) is Discord's Markdown made HTML, made Markdown again by
html_markdown.py. What follows the text is kept as the JSON export's reader keeps it (discord.py):
embeds, attachments, stickers, reactions, the message a reply answers, and Discord's notices as
notes. Pages of exporters before 2022 (``chatlog__messages``,
``chatlog__author-name``) are read too.
"""

from __future__ import annotations

import re

from generator.diagnostics import note
from generator.readers.common import Turn, conversation, in_reply_to
from generator.readers.discord import (NAME, attachment_text, came_with, channel_metadata, channel_title, days_first,
                                       embed_text, message_time, message_turns, split_tag)
from generator.readers.html_markdown import Dialect, emoji, escaped, inline, markdown
from generator.readers.html_page import Element, PageReader

_GROUP = "chatlog__message-group"
# The page's first message group, or its preamble (after some 35 KB of the exporter's style sheet).
_SNIFF = re.compile(r'class="(?:[^"<>]*\s)?(?:chatlog__message-group|preamble__entries-container)[\s"]')
_REPLY_TO = re.compile(r"scrollToMessage\(\s*event\s*,\s*'(\d+)'")
# Discord's Markdown as the exporter makes it HTML: its quotes and code by class, its text's line
# breaks kept (the page shows them with 'white-space: pre-wrap').
DISCORD = Dialect(quote="chatlog__markdown-quote", quote_content="chatlog__markdown-quote-content",
                  code_block="chatlog__markdown-pre--multiline", inline_code="chatlog__markdown-pre--inline",
                  left_out="chatlog__edited-timestamp")


def _read(path, page: Element, display: str):
    return _read_pages(path, [(path.name, page, display)])


def _read_pages(path, pages):
    """The pages of one channel (its partitions: ``--partition``), in order, as one conversation: a
    reply may answer a message of an earlier partition."""
    fields, turns, first_display = None, [], ""
    said: dict[str, tuple[int, str]] = {}  # a message's id -> its number in the channel, and its author
    for _, page, display in pages:
        if fields is None:
            fields, first_display = _channel(page), display
        messages = [message for group in page.find_all(_GROUP) for message in _messages_of(group)]
        day_first = days_first([when for _, when, _ in messages if when])
        for element, when, author in messages:
            turns += _turns(element, message_time(when, day_first) if when else None, author, said)
            if element.attributes.get("data-message-id"):
                said[element.attributes["data-message-id"]] = (len(turns), author[0])
    if not turns:
        return [], [note(first_display, 1, "an empty channel (the page holds no message); skipped")]
    return [conversation(path, turns, title=channel_title(fields["Guild"], fields["Channel"]),
                         metadata=channel_metadata(fields))], []


def _channel(page: Element) -> dict[str, str]:
    """The server, channel and topic the page's preamble names."""
    entries = [entry.words() for entry in page.find_all("preamble__entry")]
    return {"Guild": entries[0] if entries else "", "Channel": entries[1] if len(entries) > 1 else "",
            "Topic": entries[2] if len(entries) > 2 and not _is_range(entries[2]) else ""}


DiscordHTML = PageReader(NAME, _SNIFF, _read, _read_pages)


def _is_range(entry: str) -> bool:
    return entry.startswith(("After ", "Before ", "Between "))


def _messages_of(group: Element) -> list[tuple[Element, str, tuple[str, str]]]:
    """Each message of a group: its element, its time as written, and its author (name and label)."""
    containers = group.find_all("chatlog__message-container") or group.find_all("chatlog__message")  # before 2022
    author = _author(group)
    header_time = group.find("chatlog__timestamp")
    found = []
    for position, element in enumerate(containers):
        short = element.find("chatlog__short-timestamp")
        when = short.attributes.get("title", "") if short is not None else ""
        if not when and position == 0 and header_time is not None:  # its text, or its title where none
            when = header_time.text() if header_time.text().strip() else header_time.attributes.get("title", "")
        notice = element.find("chatlog__system-notification-author")
        notice_time = element.find("chatlog__system-notification-timestamp")
        if notice_time is not None:
            when = notice_time.text()
        found.append((element, when.strip(), _named(notice) if notice is not None else author))
    return found


def _author(group: Element) -> tuple[str, str]:
    shown = group.find("chatlog__author") or group.find("chatlog__author-name")
    return _named(shown) if shown is not None else ("(unknown)", "")


def _named(element: Element) -> tuple[str, str]:
    """The name shown, and the account's name (with its tag) where it differs."""
    name = element.words() or "(unknown)"
    full = element.attributes.get("title", "").strip()
    if full and full != name:
        return name, full
    return split_tag(name)


def _turns(element: Element, when, author: tuple[str, str], said: dict[str, tuple[int, str]]) -> list[Turn]:
    notice = element.find("chatlog__system-notification-content")
    if notice is not None:
        return [Turn(author[0], f"{author[0]} {' '.join(notice.text().split())}", element.line, when, kind="note")]
    reply = element.find("chatlog__reply-link")
    answered = said.get(_reply_id(reply)) if reply is not None else None
    # The text; where an exporter wrote it straight into the content, beside the '(edited)' mark, that.
    content = element.find("chatlog__markdown-preserve") or element.find("preserve-whitespace") \
        or element.find("chatlog__content")
    after = came_with([_embed(embed) for embed in element.find_all("chatlog__embed")],
                      [_attachment(file) for file in element.find_all("chatlog__attachment")],
                      [sticker.attributes.get("title", "") for sticker in element.find_all("chatlog__sticker--media")],
                      [_reaction(reaction) for reaction in element.find_all("chatlog__reaction")])
    return message_turns(author, markdown(content, DISCORD) if content is not None else "",
                         in_reply_to(answered[1], answered[0]) if answered is not None else "", after,
                         element.line, when)


def _reply_id(link: Element) -> str:
    found = _REPLY_TO.search(link.attributes.get("onclick", ""))
    return found[1] if found else ""


def _embed(embed: Element) -> str:
    title = embed.find("chatlog__embed-title")
    link = title.first("a") if title is not None else None
    shown = inline(link if link is not None else title, DISCORD) if title is not None and title.text().strip() else ""
    description = embed.find("chatlog__embed-description")
    fields = []
    for field in embed.find_all("chatlog__embed-field"):
        name, value = field.find("chatlog__embed-field-name"), field.find("chatlog__embed-field-value")
        fields.append((inline(name, DISCORD) if name is not None else "", markdown(value, DISCORD) if value is not None else ""))
    footer = embed.find("chatlog__embed-footer-text")
    return embed_text(shown, link.attributes.get("href", "") if link is not None else "",
                      markdown(description, DISCORD) if description is not None else "", fields,
                      escaped(footer.words()) if footer is not None else "")


def _attachment(file: Element) -> str:
    link = next((e for e in file.elements() if e.tag == "a" and e.attributes.get("href")), None)
    media = next((e for e in file.elements() if e.tag in ("img", "video", "audio", "source")), None)
    named = file.find("chatlog__attachment-generic-name")
    name = named.words() if named is not None else ""
    if not name and media is not None:
        name = re.sub(r"^(Image|Video|Audio): (.*?)(?: \([^()]*\))?$", r"\2", media.attributes.get("title", "")).strip()
    url = link.attributes["href"] if link is not None else (media.attributes.get("src", "") if media is not None else "")
    return attachment_text(escaped(name), url)


def _reaction(reaction: Element) -> str:
    image = reaction.first("img")
    shown = emoji(image) if image is not None else ""
    count = reaction.find("chatlog__reaction-count")
    counted = count.text().strip() if count is not None else ""
    if not shown:
        return ""
    return f"{shown} {counted}" if counted.isdigit() else shown
