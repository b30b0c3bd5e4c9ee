"""Discord channels as DiscordChatExporter saves them: its plain text (``.txt``), its JSON and its CSV.

Plain text: a header between rules, then each message under its author and time::

    ==============================================================
    Guild: Harbour Office
    Channel: Bots / tide-desk
    ==============================================================

    [7/20/2025 6:36 PM] Tidebot#4410
    The text, over as many lines as it takes.
    {Embed}
    …

JSON: ``{"guild": {…}, "channel": {…}, "messages": [{"timestamp", "content", "author": {"name",
"nickname", "isBot"}, "embeds", "attachments", "reactions", "reference", "type"}]}``.

Each message is its author's (a bot's '#4410' tag is set aside, kept as the label); what a bot
posts as an embed (title, description, fields) and files attached follow the message's text; a
reply says which message it answers; Discord's own notices (a member joined, a message pinned) are
notes. A message that opens with a model's reasoning between ``<think>`` tags keeps it as thinking.
The title is the channel and the server.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

from generator.diagnostics import SourceError
from generator.readers.common import Turn, conversation, in_reply_to, thought_apart
from generator.readers.html_markdown import is_web, link_target
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp
from generator.readers.plaintext import PREFACE

NAME = "discord"
SOURCE_FORMAT = "Discord channel (DiscordChatExporter)"

# -- plain text ---------------------------------------------------------------------------------------

_RULE = re.compile(r"={20,}[ \t]*")
_HEADER = re.compile(r"\A\ufeff?\s*={20,}[ \t]*\r?\nGuild: [^\n]*\r?\nChannel: [^\n]*\r?\n")
_FIELD = re.compile(r"(?P<key>[A-Z][a-z]+): (?P<value>.*)")
_AUTHOR = re.compile(r"\[(?P<when>[^\[\]\n]{6,40})\] (?P<author>\S.{0,99})")
_TAG = re.compile(r"(?P<name>.+)#(?P<tag>\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4}),? +(\d{1,2}):(\d{2})(?::(\d{2}))?(?: *([AaPp])\.? ?[Mm]\.?)?")
_MONTH_NAMED_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?: ?([AaPp][Mm]))?")
_WRITTEN_DATE = re.compile(r"(?:[A-Za-z]+, )?(?:([A-Za-z]{3,9}) (\d{1,2}),?|(\d{1,2}) ([A-Za-z]{3,9})),? (\d{4}),? "
                           r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_EXPORTED = re.compile(r"Exported \d[\d,.]* message\(s\)[ \t]*")


class DiscordText:
    """The plain text export, among the text readers."""
    NAME = NAME

    @staticmethod
    def sniff(head: str) -> bool:
        """The exporter's header: a rule, then the server and the channel."""
        return _HEADER.match(head) is not None

    @staticmethod
    def read(path, text, display):
        return _read_text(path, text, display)


def _read_text(path, text, display):
    lines = text.lstrip("\ufeff").split("\n")
    fields, start = _header_fields(lines)
    body_lines = _without_footer(lines[start:])
    heads = [(number, found) for number, line in enumerate(body_lines)
             if (found := _AUTHOR.fullmatch(line.rstrip("\r"))) is not None]
    day_first = days_first([found["when"] for _, found in heads])
    heads = [(number, found) for number, found in heads if message_time(found["when"], day_first) is not None]
    turns = []
    before = "\n".join(body_lines[:heads[0][0]] if heads else body_lines).strip("\n")
    if before.strip():
        turns.append(Turn(PREFACE, before, start + 1, kind="context"))
    for position, (number, found) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else len(body_lines)
        said = "\n".join(line.rstrip("\r") for line in body_lines[number + 1:end]).strip("\n")
        name, label = split_tag(found["author"].strip())
        for turn in thought_apart(name, said, start + number + 1, message_time(found["when"], day_first)):
            turn.label = label
            turns.append(turn)
    return [conversation(path, turns, title=channel_title(fields.get("Guild", ""), fields.get("Channel", "")),
                         metadata=channel_metadata(fields))], []


def _header_fields(lines: list[str]) -> tuple[dict[str, str], int]:
    """The header's fields ('Guild', 'Channel', 'Topic', 'After', 'Before') and the line after its rules."""
    fields: dict[str, str] = {}
    rules = 0
    for number, line in enumerate(lines):
        if _RULE.fullmatch(line.rstrip("\r")):
            rules += 1
            if rules == 2:
                return fields, number + 1
        elif rules == 1 and (field := _FIELD.fullmatch(line.rstrip("\r"))):
            fields[field["key"]] = field["value"].strip()
    return fields, len(lines)


def _without_footer(lines: list[str]) -> list[str]:
    """The lines without the exporter's closing 'Exported 5 message(s)' between rules."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    closing = [line.rstrip("\r") for line in lines[max(0, end - 3):end]]
    if len(closing) == 3 and _RULE.fullmatch(closing[0]) and _EXPORTED.fullmatch(closing[1]) and _RULE.fullmatch(closing[2]):
        return lines[:end - 3]
    return lines


def days_first(dates: list[str]) -> bool:
    """Whether the file's numeric dates put the day first ('03/09/2026, 16:20', as British English
    writes them) or the month ('7/20/2025 6:36 PM'): by a number past 12 where one shows, else by
    the clock (AM/PM is American)."""
    for date in dates:
        found = _NUMERIC_DATE.fullmatch(date.strip())
        if found and len(found[1]) <= 2:
            if int(found[1]) > 12:
                return True
            if int(found[2]) > 12:
                return False
    return not any(_NUMERIC_DATE.fullmatch(date.strip()) and re.search(r"[AaPp]\.? ?[Mm]", date) for date in dates)


def message_time(text: str, day_first: bool) -> datetime | None:
    """The time of a message header: numeric, in the exporter's locale (see days_first), the exporter's
    form before 2022 ('20-Jul-25 06:36 PM'), or ISO 8601."""
    found = _NUMERIC_DATE.fullmatch(text.strip())
    if found is None:
        return _month_named(text.strip()) or timestamp(text)
    first, second, third, hour, minute, seconds, half = found.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        year = int(third) + (2000 if len(third) == 2 else 0)
        month, day = (int(second), int(first)) if day_first else (int(first), int(second))
    hour = int(hour)
    if half:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, int(minute), int(seconds or 0))
    except ValueError:
        return None


def _month_named(text: str) -> datetime | None:
    """A date with its month's name: '20-Jul-25 06:36 PM' (the exporter before 2022), or written out as its
    HTML's titles write it, 'Thursday, January 29, 2026 1:16 PM' (or day first, '29 January 2026 13:16')."""
    short = _MONTH_NAMED_DATE.fullmatch(text)
    if short is not None:
        day, month, year, hour, minute, half = short.groups()
        return _named_date(int(year) + (2000 if len(year) == 2 else 0), month, day, hour, minute, None, half)
    written = _WRITTEN_DATE.fullmatch(text)
    if written is None:
        return None
    month, day, day_first, month_after, year, hour, minute, second, half = written.groups()
    return _named_date(int(year), month or month_after, day or day_first, hour, minute, second, half)


def _named_date(year: int, month: str, day: str, hour: str, minute: str, second: str | None,
                half: str | None) -> datetime | None:
    if month[:3].lower() not in _MONTHS:
        return None
    clock = int(hour)
    if half:
        if not 1 <= clock <= 12:
            return None
        clock = clock % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(year, _MONTHS.index(month[:3].lower()) + 1, int(day), clock, int(minute), int(second or 0))
    except ValueError:
        return None


def split_tag(author: str) -> tuple[str, str]:
    """The author's name without a bot's (or an older account's) '#4410', and the name as written if it had one."""
    tagged = _TAG.fullmatch(author)
    if tagged and tagged["name"].strip():
        return tagged["name"].strip(), author
    return author, ""


def channel_title(guild: str, channel: str) -> str:
    """'#tide-desk · Harbour Office' (a channel's category, before its name, is left to the facts)."""
    name = channel.rsplit(" / ", 1)[-1].strip()
    if not name:
        return guild
    return f"#{name} · {guild}" if guild else f"#{name}"


def channel_metadata(fields: dict[str, str]) -> dict[str, str]:
    shown = {"Source format": SOURCE_FORMAT}
    for key in ("Guild", "Channel", "Topic", "After", "Before"):
        if fields.get(key, "").strip():
            shown["Server" if key == "Guild" else key] = fields[key]
    return shown


# -- CSV ----------------------------------------------------------------------------------------------

CSV_HEADER = "AuthorID,Author,Date,Content,Attachments,Reactions"
# The exporter names a file after the server and the channel, then the channel's id in brackets.
_CHANNEL_ID = re.compile(r"\s*\[\d+\]\s*$")
_REACTION = re.compile(r"(?P<emoji>.+?) \((?P<count>\d+)\)")


class DiscordCSV:
    """The CSV export: a row for each message (the author's id and name, the date in the exporter's
    locale, the text, the files' addresses and the reactions, each list joined by commas). It names
    neither the server nor the channel: the file's name does."""
    NAME = NAME

    @staticmethod
    def sniff(head: str) -> bool:
        return head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r") == CSV_HEADER

    @staticmethod
    def read(path, text, display):
        rows = _csv_rows(text.lstrip("\ufeff"), display)
        day_first = days_first([row[2] for _, row in rows])
        turns = []
        for line, (_, author, when, content, files, reactions) in rows:
            name, label = split_tag(author.strip() or "(unknown)")
            after = came_with([], [attachment_text(url.rsplit("/", 1)[-1], url) for url in _listed(files)], [],
                              [_csv_reaction(reaction) for reaction in _listed(reactions)])
            turns += message_turns((name, label), content, "", after, line, message_time(when, day_first))
        title = _CHANNEL_ID.sub("", Path(path).stem).strip() or Path(path).stem
        return [conversation(path, turns, title=title, metadata={"Source format": SOURCE_FORMAT})], []


def _csv_rows(text: str, display: str) -> list[tuple[int, list[str]]]:
    """Each message's row of six fields, with the line it starts on (a message's text may hold lines)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))  # a message may be longer than 128 KB
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, start = [], 1
    try:
        next(reader, None)  # the header
        start = reader.line_num + 1
        for row in reader:
            if row:
                rows.append((start, (row + [""] * 6)[:6]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise SourceError(display, start, f"not CSV as the exporter writes it: {error}") from None
    return rows


def _listed(field: str) -> list[str]:
    """A field's list (the exporter joins files and reactions with commas)."""
    return [part.strip() for part in field.split(",") if part.strip()]


def _csv_reaction(reaction: str) -> str:
    found = _REACTION.fullmatch(reaction)
    return f"{found['emoji']} {found['count']}" if found else reaction


# -- JSON ---------------------------------------------------------------------------------------------

# Message types that are Discord's notices, not what someone wrote.
_SPOKEN = {"Default", "Reply", "ThreadStarterMessage", "ChatInputCommand", "ContextMenuCommand", ""}


class DiscordJSON:
    """The JSON export, among the JSON readers."""
    NAME = NAME
    ONE_CONVERSATION = False  # one object: the channel
    reads_together = True  # a channel's partitions (--partition), where a reply may answer an earlier one

    @staticmethod
    def claims(first: Record, lines: bool) -> bool:
        value = first.value
        return (not lines and isinstance(value, dict) and isinstance(value.get("messages"), list)
                and isinstance(value.get("channel"), dict) and isinstance(value.get("guild"), dict))

    @staticmethod
    def read(records, source, display):
        found = []
        for record in records:
            channel = _JSONChannel()
            channel.read(record, display)
            found.append(channel.conversation(source))
        return found, []

    @staticmethod
    def read_together(source, parts):
        """(file name, leading records, display) of each partition of one channel, in order, as one
        conversation: each partition is the one channel object, read one at a time."""
        channel = _JSONChannel()
        for _, leading, display in parts:
            if len(leading) != 1 or leading[0].path != "$":  # an array of channels: not a partition
                raise ValueError(f"{display}: not one channel")
            channel.read(leading[0], display)
        return [channel.conversation(source)], []


class _JSONChannel:
    """A channel read object by object: a reply may answer a message of an earlier partition."""

    def __init__(self):
        self.fields: dict[str, str] = {}  # the first object's
        self.turns: list[Turn] = []
        self.said: dict[str, tuple[int, str]] = {}  # a message's id -> its number in the channel, and its author

    def read(self, record: Record, display: str) -> None:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        if not self.fields:
            guild, channel = dict_of(item.get("guild")), dict_of(item.get("channel"))
            self.fields = {"Guild": text_of(guild.get("name")), "Topic": text_of(channel.get("topic")),
                           "Channel": " / ".join(part for part in (text_of(channel.get("category")),
                                                                   text_of(channel.get("name"))) if part)}
        for path, message in shape.objects(item.get("messages"), f"{record.path}.messages"):
            self.turns += _json_turns(shape, path, message, self.said, record.line)
            if text_of(message.get("id")):
                self.said[message["id"]] = (len(self.turns), _author(message)[0])

    def conversation(self, source: Path):
        return conversation(source, self.turns, title=channel_title(self.fields["Guild"], self.fields["Channel"]),
                            metadata=channel_metadata(self.fields))


def _author(message: dict) -> tuple[str, str]:
    """The name the channel showed (the server's nickname, else the account's), and the account's
    name with its tag when it differs."""
    author = dict_of(message.get("author"))
    account = text_of(author.get("name")).strip()
    shown = text_of(author.get("nickname")).strip() or account or "(unknown)"
    tag = text_of(author.get("discriminator")).strip()
    full = f"{account}#{tag}" if account and tag and tag != "0000" else account
    return shown, full if full and full != shown else ""


def _json_turns(shape: Shape, path: str, message: dict, said: dict[str, tuple[int, str]], line: int) -> list[Turn]:
    """The message's turns; ``said``: the messages before it, for the one a reply answers."""
    answered = said.get(text_of(dict_of(message.get("reference")).get("messageId")))
    after = came_with([_embed(dict_of(embed)) for embed in list_of(message.get("embeds"))],
                      [attachment_text(text_of(dict_of(file).get("fileName")), text_of(dict_of(file).get("url")))
                       for file in list_of(message.get("attachments"))],
                      [text_of(dict_of(sticker).get("name")) for sticker in list_of(message.get("stickers"))],
                      [_reaction(dict_of(reaction)) for reaction in list_of(message.get("reactions"))])
    kind = "message" if text_of(message.get("type")) in _SPOKEN or not isinstance(message.get("type"), str) else "note"
    return message_turns(_author(message), shape.text(message.get("content"), f"{path}.content"),
                         in_reply_to(answered[1], answered[0]) if answered is not None else "", after, line,
                         timestamp(message.get("timestamp")), kind)


def message_turns(author: tuple[str, str], text: str, reply: str, after: list[str], line: int, when,
                  kind: str = "message") -> list[Turn]:
    """A message's turns: its text, after the line naming the message it answers (``reply``) and before
    what came with it (``after``: embeds, files, reactions); reasoning that opens the text between
    ``<think>`` tags is a thinking turn before it. ``author``: the name and its label."""
    turns = thought_apart(author[0], text, line, when, kind)
    thinking = [turn for turn in turns if turn.kind == "thinking"]
    said = next((turn.text for turn in turns if turn.kind != "thinking"), "")
    whole = "\n\n".join(part for part in (reply, said, *after) if part.strip())
    turns = thinking + ([Turn(author[0], whole, line, when, kind)] if whole.strip() or not thinking else [])
    for turn in turns:
        turn.label = author[1]
    return turns


def came_with(embeds: list[str], attachments: list[str], stickers: list[str], reactions: list[str]) -> list[str]:
    """What follows a message's text: its embeds and files as text, its stickers and reactions named
    (those with no name left out)."""
    after = embeds + attachments + [f"Sticker: {sticker}" for sticker in stickers if sticker.strip()]
    if any(reactions):
        after.append("Reactions: " + ", ".join(reaction for reaction in reactions if reaction))
    return after


def embed_text(title: str, url: str, description: str, fields: list[tuple[str, str]], footer: str) -> str:
    """What a bot posted as an embed, as text: its title (a link only to a web address), its description,
    its fields and its footer (each given as Markdown)."""
    lines = []
    if title:
        lines.append(f"**[{title}]({link_target(url)})**" if is_web(url) else f"**{title}**")
    if description.strip():
        lines.append(description)
    lines += [f"**{name}**: {value}" for name, value in fields if name or value.strip()]
    if footer:
        lines.append(f"*{footer}*")
    return "\n\n".join(lines)


def attachment_text(name: str, url: str) -> str:
    """A file attached, by its name: a link only to a web address."""
    name = name.strip() or "a file"
    return f"📎 [{name}]({link_target(url)})" if is_web(url) else f"📎 {name}"


def _embed(embed: dict) -> str:
    return embed_text(text_of(embed.get("title")).strip(), text_of(embed.get("url")),
                      text_of(embed.get("description")),
                      [(text_of(field.get("name")).strip(), text_of(field.get("value")))
                       for field in map(dict_of, list_of(embed.get("fields")))],
                      text_of(dict_of(embed.get("footer")).get("text")).strip())


def _reaction(reaction: dict) -> str:
    emoji = text_of(dict_of(reaction.get("emoji")).get("name")).strip()
    count = reaction.get("count")
    if not emoji:
        return ""
    return f"{emoji} {count}" if isinstance(count, int) and not isinstance(count, bool) else emoji
