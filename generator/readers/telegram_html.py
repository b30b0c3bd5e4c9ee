"""Telegram chats as Telegram Desktop exports them by default: HTML pages (``messages.html``,
``messages2.html``, … a thousand messages each).

The page's header names the chat (``page_header``); each message is a ``message default`` element
with its sender (``from_name``; a sender's next messages are ``joined`` and name no one), its time in
full in the ``title`` of its ``date details`` (``07.12.2025 10:00:00 UTC+03:00``), its text
(``text``, formatting as HTML and line breaks as ``<br>``, made Markdown again by html_markdown.py),
what it forwards (``forwarded body``), the message it answers (``reply_to``), what was sent with it
(``media_wrap``: a photo, a file, a voice message, a sticker, a poll) and its reactions. Telegram's
own notices (``message service``: a message pinned, a member added) are notes, but the day
headings the page puts between days, which are no message of the chat. A page is a conversation
titled by the chat; the pages of one chat are read together as one (see parts.py), so that a reply to
a message on an earlier page names it too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from generator.diagnostics import note
from generator.readers.common import Turn, conversation, in_reply_to
from generator.readers.html_markdown import Dialect, emoji, escaped, markdown
from generator.readers.html_page import Element, PageReader
from generator.readers.telegram import NAME, media_named, poll_text

TELEGRAM = Dialect(keeps_line_breaks=False)
_SNIFF = re.compile(r'<div class="message (?:default|service)\b|<div class="page_body chat_page"')
_TIME = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?")
_MESSAGE_ID = re.compile(r"message(-?\d+)")
_GO_TO = re.compile(r"go_to_message(-?\d+)")
_VIA = re.compile(r"\s+via\s+@\S+$")
_MEDIA_KINDS = {"media_voice_message": "voice message", "media_video": "video", "media_audio_file": "audio",
                "media_location": "location", "media_contact": "contact", "media_game": "game", "media_invoice": "invoice",
                "media_call": "call", "media_live_location": "live location"}


def _read(path, page: Element, display: str):
    return _read_pages(path, [(path.name, page, display)])


def _read_pages(path, pages):
    """The pages of one chat, in order, as one conversation."""
    chat = _Chat()
    for name, page, display in pages:
        chat.read(name, page, display)
    if not chat.turns:
        return [], [note(chat.first_display, 1, "an empty chat (the page holds no message); skipped")]
    return [conversation(path, chat.turns, title=chat.title or "", metadata={"Source format": "Telegram chat export"})], []


class _Chat:
    """A chat read page by page: a reply may name a message on an earlier page
    (``messages.html#go_to_message5``), and a page's first message may name no sender (it is the last one's)."""

    def __init__(self):
        self.title: str | None = None
        self.first_display = ""
        self.turns: list[Turn] = []
        self.said: dict[tuple[str, str], tuple[int, str]] = {}  # (page, message id) -> its number, and its sender
        self.sender = ""

    def read(self, name: str, page: Element, display: str) -> None:
        if self.title is None:
            header = page.find("page_header")
            title_element = header.find("text") if header is not None else None
            self.title = title_element.words() if title_element is not None else ""
            self.first_display = display
        for message in page.find_all("message"):
            number = _MESSAGE_ID.fullmatch(message.attributes.get("id", ""))
            if message.has("service"):
                text = message.words()
                if text and number is not None and not number[1].startswith("-"):  # a day's heading has an id below 0
                    self.turns.append(Turn("Telegram", escaped(text), message.line, None, kind="note"))
                continue
            body = _child_with_class(message, "body")
            if body is None:
                continue
            named = _child_with_class(body, "from_name")
            if named is not None:
                self.sender = _VIA.sub("", named.words()) or self.sender
            turn = Turn(self.sender or "Deleted Account", _message_text(body, self.said, name), message.line, _time(body))
            self.turns.append(turn)
            if number is not None:
                self.said[name, number[1]] = (len(self.turns), turn.speaker)


TelegramHTML = PageReader(NAME, _SNIFF, _read, _read_pages)


def _message_text(body: Element, said: dict[tuple[str, str], tuple[int, str]], page: str) -> str:
    parts = []
    forwarded = _child_with_class(body, "forwarded")
    if forwarded is not None:
        source = _child_with_class(forwarded, "from_name")
        name = " ".join(_own_text(source).split()) if source is not None else ""
        parts.append(f"↪ Forwarded from {escaped(name)}" if name else "↪ Forwarded")
        body = forwarded
    reply = _child_with_class(body, "reply_to")
    link = reply.first("a") if reply is not None else None
    answered = said.get(_reply_target(link.attributes.get("href", ""), page)) if link is not None else None
    if answered is not None:
        parts.append(in_reply_to(answered[1], answered[0]))
    media = _child_with_class(body, "media_wrap")
    if media is not None:
        parts.append(_media(media))
    text = _child_with_class(body, "text")
    if text is not None:
        parts.append(markdown(text, TELEGRAM))
    reactions = [_reaction(reaction) for reaction in body.find_all("reaction")]
    if any(reactions):
        parts.append("Reactions: " + ", ".join(reaction for reaction in reactions if reaction))
    return "\n\n".join(part for part in parts if part.strip())


def _reply_target(href: str, page: str) -> tuple[str, str] | None:
    """The (page, message id) a reply's link names: '#go_to_message5' on its own page, or
    'messages.html#go_to_message5' on another."""
    other_page, _, anchor = href.partition("#")
    found = _GO_TO.fullmatch(anchor)
    return (other_page or page, found[1]) if found else None


def _child_with_class(element: Element, css_class: str) -> Element | None:
    return next((child for child in element.children if isinstance(child, Element) and child.has(css_class)), None)


def _own_text(element: Element) -> str:
    """The element's text without that of its elements (a forward's sender, without its date)."""
    return "".join(child for child in element.children if isinstance(child, str))


def _time(body: Element) -> datetime | None:
    date = _child_with_class(body, "date")
    found = _TIME.match(date.attributes.get("title", "").strip()) if date is not None else None
    if found is None:
        return None
    day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = found.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        if sign:
            offset = timedelta(hours=int(zone_hours), minutes=int(zone_minutes))
            when = when.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    except ValueError:
        return None
    return when


def _media(media: Element) -> str:
    """What was sent with the text, named as the JSON export's reader names it (telegram.py)."""
    if media.find("photo_wrap") is not None:
        return media_named("photo")
    sticker = media.find("sticker_wrap") or media.find("sticker")
    if sticker is not None:
        image = sticker.first("img") if sticker.tag != "img" else sticker
        shown = emoji(image) if image is not None else ""
        return shown if shown and not shown.startswith(":") else media_named("sticker")
    title = media.find("title")
    if title is not None and title.words() == "Sticker":  # an animated or video sticker: a file of its own
        return media_named("sticker")
    if media.find("media_photo") is not None:
        return media_named("photo")
    poll = media.find("media_poll")
    if poll is not None:
        question = poll.find("question")
        answers = [escaped(answer.words().lstrip("- ")) for answer in poll.find_all("answer")]
        return poll_text(escaped(question.words()) if question is not None else "", answers)
    for css_class, kind in _MEDIA_KINDS.items():
        if media.find(css_class) is not None:
            return media_named(kind)
    file = media.find("media_file") or media.find("media")
    if file is not None:
        title = file.find("title")
        return media_named("file", escaped(title.words()) if title is not None else "")
    return ""


def _reaction(reaction: Element) -> str:
    shown = reaction.words()
    image = reaction.first("img")
    if image is not None and not shown:
        shown = emoji(image)
    return escaped(shown)
