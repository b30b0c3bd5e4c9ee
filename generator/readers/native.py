"""The native transcript format (see README, "Transcript format").

    # Speaker A ↔ Speaker B
    **Started:** 2025-10-26 13:08:38
    **Tags:** poetry, silence
    ---
    ### Speaker A
    body (Markdown; may itself hold ``---`` rules and ``### headings``)
    ---
    ### Speaker B
    ...

A ``---`` line followed (after blank lines) by ``### name`` starts a message when
``name`` is a speaker of the conversation: named in the ``↔`` title or already
seen speaking. When the title names nobody, every such pair starts a message.

A heading may carry the message's time and kind, as imports write them:
``### Claude · 2025-06-11T19:30:05+09:00`` and ``### Claude (tool call)``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError, warning
from generator.model import KIND_LABELS, Conversation, Message
from generator.readers.jsondoc import usable

NAME = "native"
TIME_SEPARATOR = " · "
_KIND_OF_LABEL = {f" ({label})": kind for kind, label in KIND_LABELS.items()}


def sniff(head: str) -> bool:
    """A '# title' first, a header of '**Key:** value' fields, then a '---' line followed by a
    '### speaker' heading."""
    head = head.lstrip("\ufeff")
    first = len(head) - len(head.lstrip())  # the first line that is not blank starts with its first character
    if head[first:first + 2] != "# " or (first and head[first - 1] not in _LINE_BREAKS):
        return False
    # The messages begin at the first rule, as read() takes them: a document whose first rule opens a
    # section ('## Summary') is no transcript, though '---' then '### ' comes further on.
    rule = _RULE.search(head, first)
    return (rule is not None and RULE_THEN_HEADING.match(head, rule.start()) is not None
            and _header_is_fields(head, first) and not is_diary(head))


# A header may have a stray line or two (each a warning); a file whose 'header' holds sections and
# tables is some other tool's report, with its own turns between rules and '### Turn 1' headings
# (read as native, its text before the first rule would be dropped as ignored header lines).
_HEADER_OTHER_LINES = 3


def is_diary(head: str) -> bool:
    """Entries headed by their times ('### 04:11 PM — Fixed the login'), most of them about something
    else: a diary or a log of sessions, whose headings would otherwise become dozens of speakers (a
    chat headed '### 10:14 AM — Ada' names the same few people again and again)."""
    entries, headings = [], 0
    for found in _MESSAGE_START.finditer(head):
        timed = _TIMED_ENTRY.match(found.group(1))
        if timed is None:
            return False
        headings += 1
        entry = found.group(1)[timed.end():].strip()
        if entry:  # an entry left untitled names no one
            entries.append(entry)
    distinct = len(set(entries))
    return headings > 0 and (distinct == len(entries) or (distinct >= 3 and 2 * distinct >= len(entries)))


_TIMED_ENTRY = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?[ \t]*[—–-]")


def _header_is_fields(head: str, first: int) -> bool:
    rule = _RULE.search(head, first)
    header = head[first:rule.start() if rule else len(head)].split("\n")[1:]
    others = sum(1 for line in header if line.strip() and not _META.match(line.strip()))
    return others <= _HEADER_OTHER_LINES


_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines()'s
RULE_THEN_HEADING = re.compile(r"\n---[ \t]*\r?\n(?:[ \t]*\r?\n)*###[ \t]+\S")  # a message begins

ARROW = "↔"
_META = re.compile(r"^\*\*([^*\n]+?):\*\*(.*)$")  # the value is stripped after (a regex would backtrack)
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off", ""}


def read(path: Path, text: str, display: str) -> tuple[list[Conversation], list[Diagnostic]]:
    conversation, first_rule, header_end, meta_lines, diagnostics = _read_head(path, text, display)
    conversation.messages = _read_messages(text, first_rule, header_end, conversation.participants, display)
    _apply_metadata(conversation, meta_lines, display, diagnostics)
    return [conversation], diagnostics


def read_header(path: Path, text: str, display: str) -> tuple[Conversation, list[Diagnostic]]:
    """The conversation without its messages, and the problems of its header: where it goes in the
    archive (slug, order, neighbours) follows from these. Its messages, their count and speakers
    (and any problem with them) are for :func:`read`."""
    conversation, _, _, meta_lines, diagnostics = _read_head(path, text, display)
    _apply_metadata(conversation, meta_lines, display, diagnostics, messages_read=False)
    return conversation, diagnostics


def header_gives_speakers(text: str, conversation: Conversation) -> bool:
    """Whether ``conversation`` (its header, from :func:`read_header`) has all its speakers: its title
    names the participants and no message heading brings in anyone else. As _read_messages reads them,
    a heading outside the participants starts a message only as the first one, or after a tool or
    thinking heading of that name (which always starts one, and is not speech)."""
    rule = _RULE.search(text)
    if rule is None or not conversation.participants:
        return False
    participants, others = set(conversation.participants), set()
    for number, match in enumerate(_MESSAGE_START.finditer(text, rule.start())):
        heading, _, sort = parse_heading(match.group(1).rstrip(" \t"))
        if sort != "message":
            others.add(heading)
        elif heading not in participants and (number == 0 or heading in others):
            return False
    return True


def _read_head(path: Path, text: str, display: str):
    diagnostics: list[Diagnostic] = []
    title, title_line = _read_title(text, display)
    participants = [p.strip() for p in title.split(ARROW) if p.strip()] if ARROW in title else []
    first_rule = _RULE.search(text)  # the title is the first line that is not blank, so this comes after it
    if first_rule is None:
        raise SourceError(display, title_line + 1, "no messages: expected a '---' line, then '### speaker'")
    header = text[:first_rule.start() + 1].split("\n")
    metadata, meta_lines = _read_header(header, title_line, len(header) - 1, display, diagnostics)
    conversation = Conversation(
        title=metadata.get("Title") or title,
        messages=[],
        source=path,
        participants=participants,
        metadata=metadata,
    )
    return conversation, first_rule, len(header) - 1, meta_lines, diagnostics


# Lines are read with str.strip()'s idea of blank, and '---' may carry trailing whitespace. A rule
# is matched with the newline before it (never the first line: the title is), which lets the regex
# engine skip ahead to each newline instead of trying every position.
_RULE = re.compile(r"\n---[^\S\n]*$", re.M)
_BLANK_LINES_THEN_LINE = re.compile(r"\n(?:[^\S\n]*\n)*([^\n]*)")
# The heading's name is stripped of trailing spaces after the match: '(.+?)[ \t]*$' would try every split.
_MESSAGE_START = re.compile(r"\n---[^\S\n]*\n(?:[^\S\n]*\n)*###[ \t]+(\S[^\n]*)", re.M)
_CLOSING_RULE = re.compile(r"\n---[^\S\n]*(?:\n[^\S\n]*)*\Z")  # only blank lines after it


def _read_title(text: str, display: str) -> tuple[str, int]:
    """The '# title' line, which must be the first line that is not blank (and its 0-based number)."""
    first = len(text) - len(text.lstrip())
    if first == len(text):
        raise SourceError(display, 1, "empty file: expected a title line such as '# Alice ↔ Bob'")
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", first)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    number = text.count("\n", 0, line_start)
    if line.startswith("# ") and line[2:].strip():
        return line[2:].strip(), number
    raise SourceError(display, number + 1, "expected a title line such as '# Alice ↔ Bob' first")


def _read_header(lines, title_line, header_end, display, diagnostics):
    metadata: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    for number in range(title_line + 1, header_end):
        line = lines[number]
        if not line.strip():
            continue
        match = _META.match(line)
        if not match:
            diagnostics.append(warning(display, number + 1,
                                       "header line is not '**Key:** value'; it is ignored"))
            continue
        key, value = match.group(1).strip(), match.group(2).strip()
        if key in metadata:
            diagnostics.append(warning(display, number + 1, f"'{key}' given twice; the last one counts"))
        metadata[key] = value
        meta_lines[key] = number + 1
    return metadata, meta_lines


def parse_heading(text: str) -> tuple[str, datetime | None, str]:
    """'Claude (tool call) · 2025-06-11T19:30:05' -> ('Claude', datetime, 'tool_call')."""
    name, when = text, None
    if TIME_SEPARATOR in text:
        head, _, tail = text.rpartition(TIME_SEPARATOR)
        when = parse_datetime(tail)
        if when is not None:
            name = head
    if not name.endswith(")"):  # most headings: no kind label to look for
        return name, when, "message"
    for label, kind in _KIND_OF_LABEL.items():
        if name.endswith(label) and len(name) > len(label):
            return name[:-len(label)], when, kind
    return name, when, "message"


def format_heading(message: Message) -> str:
    heading = message.speaker
    if message.kind in KIND_LABELS:
        heading += f" ({KIND_LABELS[message.kind]})"
    if message.time is not None:
        heading += TIME_SEPARATOR + message.time.isoformat()
    return heading


def _read_messages(text: str, rule: re.Match, rule_line: int, participants: list[str], display: str) -> list[Message]:
    """Messages from the first '---' line on, found by one regex: a '---' line, blank lines, '### name'.

    Such a heading starts a message when ``name`` is a speaker (see the module's docstring);
    otherwise it and its rule are part of the message body. A '---' followed only by blank lines
    ends the transcript. Bodies are sliced whole, never walked line by line.
    """
    first = _MESSAGE_START.match(text, rule.start())
    if first is None:
        following = _BLANK_LINES_THEN_LINE.match(text, rule.end())
        if following is None or not following.group(1).strip():
            return []  # a closing rule and nothing else
        following_line = rule_line + text.count("\n", rule.start() + 1, following.start(1))
        raise SourceError(display, following_line + 1, "expected '### speaker' after the first '---'")
    speakers = set(participants)
    messages: list[Message] = []
    start: re.Match | None = None  # the current message's rule and heading
    name, when, kind, heading_line = "", None, "message", 0
    counted, line = rule.start() + 1, rule_line  # line numbers, counted forward
    match: re.Match | None = first
    while match is not None:
        heading, at, sort = parse_heading(match.group(1).rstrip(" \t"))
        # Tool and thinking headings ('### Tool (tool result)') are written by imports: always messages.
        if start is None or not participants or heading in speakers or sort != "message":
            if start is not None:
                body = _body(text, start.end() + 1, match.start() + 1)
                messages.append(Message(len(messages) + 1, name, body, heading_line, when, kind))
            line += text.count("\n", counted, match.start(1))
            counted = match.start(1)
            start, name, when, kind, heading_line = match, heading, at, sort, line + 1
            speakers.add(heading)
        # Otherwise the rule and heading belong to the body; a mistyped speaker name shows up as a
        # 'Messages:' count warning.
        match = _MESSAGE_START.search(text, match.end())
    closing = _CLOSING_RULE.search(text, start.end())
    body = _body(text, start.end() + 1, closing.start() + 1 if closing else len(text))
    messages.append(Message(len(messages) + 1, name, body, heading_line, when, kind))
    return messages


def _body(text: str, start: int, end: int) -> str:
    """The lines of ``text[start:end]`` without the blank lines around them (and escapes undone)."""
    # Nearly always one blank line, the text, one blank line: sliced as it is, without a copy to trim.
    if (end - start > 3 and text[start] == "\n" and text[end - 2] == "\n" and text[end - 1] == "\n"
            and not text[start + 1].isspace() and not text[end - 3].isspace()):
        body = text[start + 1:end - 2]
    else:
        body = _trim_blank_lines(text[start:end])
    return _ESCAPED_RULE.sub(r"\1", body) if "\\---" in body else body


# In a body, a '---' line followed by blank lines and a '### heading' would start a message: the
# writer puts a backslash before it (and one more before one that has backslashes already), and
# the reader takes one away.
_RULE_BEFORE_HEADING = re.compile(r"^(\\*---[^\S\n]*\n(?:[^\S\n]*\n)*###[ \t])", re.M)
_ESCAPED_RULE = re.compile(r"^\\(\\*---[^\S\n]*\n(?:[^\S\n]*\n)*###[ \t])", re.M)


def escape_body(text: str) -> str:
    """A message body as the native format writes it (see _RULE_BEFORE_HEADING)."""
    return _RULE_BEFORE_HEADING.sub(r"\\\1", text) if "---" in text else text


def _trim_blank_lines(body: str) -> str:
    """The text without its leading and trailing blank lines (the lines between keep their spaces)."""
    first = len(body) - len(body.lstrip())
    if first == len(body):
        return ""
    last = len(body.rstrip())
    end = body.find("\n", last)
    return body[body.rfind("\n", 0, first) + 1:end if end != -1 else len(body)]


def parse_datetime(value: str) -> datetime | None:
    """An ISO date (and time); None if it is none, or if it cannot be compared with others (see jsondoc.usable)."""
    if len(value) > 64:
        return None
    try:
        return usable(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def _apply_metadata(conversation: Conversation, meta_lines: dict[str, int], display, diagnostics,
                    messages_read: bool = True) -> None:
    meta = conversation.metadata
    for key in ("Started", "Ended"):
        if key in meta:
            when = parse_datetime(meta[key])
            if when is None:
                diagnostics.append(warning(display, meta_lines[key],
                                           f"'{key}' is not a date such as 2025-10-26 13:08:38 "
                                           "(or it is out of range); ignored"))
            setattr(conversation, key.lower(), when)
    if "Messages" in meta and messages_read:
        declared = meta["Messages"].strip()
        if not (declared.isascii() and declared.isdigit() and len(declared) < 10):
            diagnostics.append(warning(display, meta_lines["Messages"],
                                       f"'Messages' is not a number: {_shortened(declared)!r}"))
        elif int(declared) != len(conversation.messages):
            diagnostics.append(warning(
                display, meta_lines["Messages"],
                f"header says {int(declared)} messages but {len(conversation.messages)} were read"))
    if LABELS in meta and messages_read:
        _apply_labels(conversation, meta[LABELS])
    if "Tags" in meta:
        conversation.tags = list(dict.fromkeys(t.strip() for t in meta["Tags"].split(",") if t.strip()))
    conversation.summary = meta.get("Summary", "")
    if "Draft" in meta:
        flag = meta["Draft"].strip().lower()
        if flag not in _TRUE | _FALSE:
            diagnostics.append(warning(display, meta_lines["Draft"], f"'Draft' should be true or false, not {flag!r}"))
        conversation.draft = flag in _TRUE


def _apply_labels(conversation: Conversation, text: str) -> None:
    try:
        labels = json.loads(text)
    except ValueError:
        return
    if isinstance(labels, dict):
        for message in conversation.messages:
            label = labels.get(message.speaker)
            if isinstance(label, str) and not message.label:
                message.label = label


def _shortened(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


LABELS = "Labels"  # header key: the labels the source gave speakers ({"Claude 3 Opus (1)": "Claude 1"}, JSON)


def write(conversation: Conversation) -> str:
    """The conversation in the native format; ``read`` gives the same model back."""
    heading = f" {ARROW} ".join(conversation.participants) if conversation.participants else conversation.title
    metadata = dict(conversation.metadata)
    if not conversation.participants and ARROW in heading:  # it would name participants: the title says it
        heading = heading.replace(ARROW, "⟷")
        metadata.setdefault("Title", conversation.title)
    out = [f"# {heading}", ""]
    labels = {m.speaker: m.label for m in reversed(conversation.messages) if m.label}
    if labels:
        metadata[LABELS] = json.dumps(dict(sorted(labels.items())), ensure_ascii=False)
    out += [f"**{key}:** {value}" for key, value in metadata.items()]
    if metadata:
        out.append("")
    for message in conversation.messages:
        out += ["---", "", f"### {format_heading(message)}", ""]
        if message.text:
            out += [escape_body(message.text), ""]
    out += ["---", ""]
    return "\n".join(out)
