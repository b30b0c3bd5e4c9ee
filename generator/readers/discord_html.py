"""Discord channels as DiscordChatExporter saves them by default: an HTML page.

The page opens with the server, the channel and its topic (``preamble__entry``), then groups of
messages by one author (``chatlog__message-group``), each message in its container; the first of a
group carries the author (``chatlog__author``, the account's name in its ``title``), a bot's tag and
the time, the others a short time whose ``title`` is the full one. A message's text
(``chatlog__markdown-preserve``) is Discord's Markdown made HTML, which is made Markdown again
here: bold, italics, strikethrough, code and code blocks, quotes, links (to web addresses only),
headings and lists; an emoji is its character (or its ``:name:``). What follows the text is kept as
the JSON export's reader keeps it (discord.py): embeds, attachments, stickers, reactions, the message
a reply answers, and Discord's notices as notes. Pages of exporters before 2022 (``chatlog__messages``,
``chatlog__author-name``) are read too.
"""

from __future__ import annotations

import re

from generator.readers.common import Turn, conversation, in_reply_to
from generator.readers.discord import (NAME, channel_metadata, channel_title, days_first, message_time, message_turns,
                                       split_tag)
from generator.readers.html_page import Element, parse

_GROUP = "chatlog__message-group"
# The page's first message group, or its preamble (after some 35 KB of the exporter's style sheet).
_SNIFF = re.compile(r'class="(?:[^"<>]*\s)?(?:chatlog__message-group|preamble__entries-container)[\s"]')
_REPLY_TO = re.compile(r"scrollToMessage\(\s*event\s*,\s*'(\d+)'")
# What Markdown would take for markup where the page shows it as text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]|]|&(?=#?[A-Za-z0-9]+;))")
# At a line's start: a heading, a quote, a list item, a rule or a heading's underline; and a number
# with '.' or ')' after it, a numbered item.
_LINE_START_MARK = re.compile(r"(?m)^([ \t]*)([-+=#>])")
_LINE_START_NUMBER = re.compile(r"(?m)^([ \t]*\d{1,9})([.)])")


class DiscordHTML:
    """The HTML export: the reader of ``.html`` files."""
    NAME = NAME

    @staticmethod
    def sniff(head: str) -> bool:
        return _SNIFF.search(head) is not None

    @staticmethod
    def read(path, text, display):
        return _read(path, parse(text), display)


def _read(path, page: Element, display):
    entries = [" ".join(entry.text().split()) for entry in page.find_all("preamble__entry")]
    fields = {"Guild": entries[0] if entries else "", "Channel": entries[1] if len(entries) > 1 else "",
              "Topic": entries[2] if len(entries) > 2 and not _is_range(entries[2]) else ""}
    messages = [message for group in page.find_all(_GROUP) for message in _messages_of(group)]
    day_first = days_first([when for _, when, _ in messages if when])
    turns: list[Turn] = []
    said: dict[str, tuple[int, str]] = {}  # a message's id -> its number on the page, and its author
    for element, when, author in messages:
        turns += _turns(element, message_time(when, day_first) if when else None, author, said)
        if element.attributes.get("data-message-id"):
            said[element.attributes["data-message-id"]] = (len(turns), author[0])
    return [conversation(path, turns, title=channel_title(fields["Guild"], fields["Channel"]),
                         metadata=channel_metadata(fields))], []


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
        if not when and position == 0 and header_time is not None:
            when = header_time.attributes.get("title", "") or header_time.text()
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
    name = " ".join(element.text().split()) or "(unknown)"
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
    content = element.find("chatlog__markdown-preserve") or element.find("preserve-whitespace")
    after = [_embed(embed) for embed in element.find_all("chatlog__embed")]
    after += [_attachment(file) for file in element.find_all("chatlog__attachment")]
    after += [f"Sticker: {sticker.attributes['title']}" for sticker in element.find_all("chatlog__sticker--media")
              if sticker.attributes.get("title")]
    reactions = [_reaction(reaction) for reaction in element.find_all("chatlog__reaction")]
    if any(reactions):
        after.append("Reactions: " + ", ".join(reaction for reaction in reactions if reaction))
    return message_turns(author, markdown(content) if content is not None else "",
                         in_reply_to(answered[1], answered[0]) if answered is not None else "", after,
                         element.line, when)


def _reply_id(link: Element) -> str:
    found = _REPLY_TO.search(link.attributes.get("onclick", ""))
    return found[1] if found else ""


def _embed(embed: Element) -> str:
    """What a bot posted as an embed: its title, its description, its fields and its footer."""
    lines = []
    title = embed.find("chatlog__embed-title")
    if title is not None and title.text().strip():
        link = next((e for e in title.elements() if e.tag == "a"), None)
        shown = " ".join(_inline(link if link is not None else title).split())
        url = link.attributes.get("href", "") if link is not None else ""
        lines.append(f"**[{shown}]({_url(url)})**" if _is_web(url) else f"**{shown}**")
    description = embed.find("chatlog__embed-description")
    if description is not None and description.text().strip():
        lines.append(markdown(description))
    for field in embed.find_all("chatlog__embed-field"):
        field_name, value = field.find("chatlog__embed-field-name"), field.find("chatlog__embed-field-value")
        name_text = _inline(field_name).strip() if field_name is not None else ""
        value_text = markdown(value) if value is not None else ""
        if name_text or value_text.strip():
            lines.append(f"**{name_text}**: {value_text}")
    footer = embed.find("chatlog__embed-footer-text")
    if footer is not None and footer.text().strip():
        lines.append(f"*{_escaped(' '.join(footer.text().split()))}*")
    return "\n\n".join(lines)


def _attachment(file: Element) -> str:
    link = next((e for e in file.elements() if e.tag == "a" and e.attributes.get("href")), None)
    media = next((e for e in file.elements() if e.tag in ("img", "video", "audio", "source")), None)
    named = file.find("chatlog__attachment-generic-name")
    name = " ".join(named.text().split()) if named is not None else ""
    if not name and media is not None:
        name = re.sub(r"^(Image|Video|Audio): (.*?)(?: \([^()]*\))?$", r"\2", media.attributes.get("title", "")).strip()
    url = link.attributes["href"] if link is not None else (media.attributes.get("src", "") if media is not None else "")
    name = name or "a file"
    return f"📎 [{_escaped(name)}]({_url(url)})" if _is_web(url) else f"📎 {_escaped(name)}"


def _reaction(reaction: Element) -> str:
    emoji = next((e for e in reaction.elements() if e.tag == "img"), None)
    shown = _emoji(emoji) if emoji is not None else ""
    count = reaction.find("chatlog__reaction-count")
    counted = count.text().strip() if count is not None else ""
    if not shown:
        return ""
    return f"{shown} {counted}" if counted.isdigit() else shown


# -- Discord's Markdown, made HTML by the exporter, made Markdown again ----------------------------------

def markdown(element: Element) -> str:
    """The element's content as Markdown, as the page shows it."""
    return _blocks(element).strip("\n")


def _blocks(element: Element, quoted: bool = False) -> str:
    """``quoted``: inside a quote, where Discord has no quotes of its own (so none is made of one)."""
    out = _Markdown()
    for child in element.children:
        if isinstance(child, str):
            out.text(_escaped_text(child))
        elif child.has("chatlog__markdown-pre--multiline") or child.tag == "pre":
            out.block(_code_block(child))
        elif child.has("chatlog__markdown-quote"):
            inner = _blocks(child.find("chatlog__markdown-quote-content") or child, quoted=True).strip("\n")
            out.block(inner if quoted else "\n".join(f"> {line}" if line else ">" for line in inner.split("\n")))
        elif child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out.block(f"{'#' * int(child.tag[1])} {' '.join(_inline(child).split())}")
        elif child.tag in ("ul", "ol"):
            items = [item for item in child.children if isinstance(item, Element) and item.tag == "li"]
            marks = [f"{n}." for n in range(1, len(items) + 1)] if child.tag == "ol" else ["-"] * len(items)
            out.block("\n".join(_list_item(mark, item, quoted) for mark, item in zip(marks, items)))
        elif child.tag == "br":
            out.text("\n")
        elif child.tag in ("div", "p"):
            out.block(_blocks(child, quoted).strip("\n"))
        else:
            out.text(_inline_element(child, quoted))
    return out.value()


def _list_item(mark: str, item: Element, quoted: bool) -> str:
    first, *rest = _blocks(item, quoted).strip("\n").split("\n")
    return "\n".join([f"{mark} {first}"] + [f"  {line}" if line else "" for line in rest])


class _Markdown:
    """Markdown as it is put together: a block (a quote, a list, a heading, code) gets a blank line on
    each side, as Markdown needs to tell it from the text around it (a line after a quote would go on
    quoting), and no more than that; the text's own line breaks are kept as they are."""

    def __init__(self):
        self._parts: list[str] = []
        self._after_block = False

    def text(self, text: str) -> None:
        if not text:
            return
        if self._after_block:
            text = "\n" * max(0, 2 - (len(text) - len(text.lstrip("\n")))) + text
            self._after_block = False
        self._parts.append(text)

    def block(self, block: str) -> None:
        if not block.strip():
            return
        if self._parts:
            self._parts.append("\n" * max(0, 2 - self._trailing_line_breaks()))
        self._parts.append(block)
        self._after_block = True

    def _trailing_line_breaks(self) -> int:
        count = 0
        for part in reversed(self._parts):
            kept = part.rstrip("\n")
            count += len(part) - len(kept)
            if kept:
                break
        return count

    def value(self) -> str:
        return "".join(self._parts)


def _inline(element: Element, quoted: bool = False) -> str:
    return "".join(_escaped_text(child) if isinstance(child, str) else _inline_element(child, quoted)
                   for child in element.children)


def _inline_element(element: Element, quoted: bool = False) -> str:
    tag = element.tag
    if tag == "img":
        return _escaped(_emoji(element))
    if tag == "br":
        return "\n"
    if element.has("chatlog__markdown-pre--multiline"):
        return _code_block(element)
    if element.has("chatlog__markdown-pre--inline") or tag == "code":
        return _code_span(element.text())
    inner = _blocks(element, quoted) if any(isinstance(c, Element) and c.tag in ("div", "ul", "ol", "pre")
                                            for c in element.children) else _inline(element, quoted)
    if not inner.strip():
        return inner
    if tag in ("strong", "b"):
        return _wrapped(inner, "**")
    if tag in ("em", "i"):
        return _wrapped(inner, "*")
    if tag in ("s", "del", "strike"):
        return _wrapped(inner, "~~")
    if tag == "a":
        url = element.attributes.get("href", "")
        return f"[{inner}]({_url(url)})" if _is_web(url) and "\n" not in inner else inner
    return inner


def _emoji(image: Element) -> str:
    """An emoji's character, or a server's own emoji by its code (':lantern:')."""
    name = image.attributes.get("alt", "").strip()
    if any(ord(character) > 127 for character in name):
        return name
    code = image.attributes.get("title", "").strip()
    return code if code.startswith(":") else f":{name}:" if name else ""


def _wrapped(inner: str, mark: str) -> str:
    """``inner`` between ``mark``s, with any space at its ends outside them (Markdown's rule)."""
    stripped = inner.strip()
    lead, tail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
    return f"{lead}{mark}{stripped}{mark}{tail}"


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else text
    return f"{fence}{padded}{fence}" if text else ""


def _code_block(element: Element) -> str:
    language = next((name[len("language-"):] for name in sorted(element.classes) if name.startswith("language-")), "")
    code = element.text().strip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{re.sub(r'[^A-Za-z0-9_+.#-]', '', language)}\n{code}\n{fence}"


def _escaped_text(text: str) -> str:
    return _LINE_START_NUMBER.sub(r"\1\\\2", _LINE_START_MARK.sub(r"\1\\\2", _escaped(text)))


def _escaped(text: str) -> str:
    """Text the page shows as it is, which Markdown would otherwise take for markup (or for an entity)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _is_web(url: str) -> bool:
    return url.strip().lower().startswith(("https://", "http://"))


def _url(url: str) -> str:
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
