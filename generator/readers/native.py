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

import re
from datetime import datetime
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError, warning
from generator.model import KIND_LABELS, Conversation, Message

NAME = "native"
TIME_SEPARATOR = " · "
_KIND_OF_LABEL = {f" ({label})": kind for kind, label in KIND_LABELS.items()}


def sniff(head: str) -> bool:
    """A '# title' first, then a '---' line followed by a '### speaker' heading somewhere."""
    lines = head.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    return first.startswith("# ") and bool(re.search(r"^---[ \t]*\r?\n(?:[ \t]*\r?\n)*###[ \t]+\S", head, re.M))

ARROW = "↔"
_META = re.compile(r"^\*\*([^*\n]+?):\*\*[ \t]*(.*?)\s*$")
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off", ""}


def read(path: Path, text: str, display: str) -> tuple[list[Conversation], list[Diagnostic]]:
    lines = text.split("\n")
    diagnostics: list[Diagnostic] = []
    title, title_line = _read_title(lines, display)
    participants = [p.strip() for p in title.split(ARROW) if p.strip()] if ARROW in title else []
    header_end = _find_header_end(lines, title_line, display)
    metadata, meta_lines = _read_header(lines, title_line, header_end, display, diagnostics)
    messages = _read_messages(lines, header_end, participants, display, diagnostics)

    conversation = Conversation(
        title=metadata.get("Title") or title,
        messages=messages,
        source=path,
        participants=participants,
        metadata=metadata,
    )
    _apply_metadata(conversation, meta_lines, display, diagnostics)
    return [conversation], diagnostics


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_rule(line: str) -> bool:
    return line.rstrip() == "---"


def _read_title(lines: list[str], display: str) -> tuple[str, int]:
    for number, line in enumerate(lines):
        if _is_blank(line):
            continue
        if line.startswith("# ") and line[2:].strip():
            return line[2:].strip(), number
        raise SourceError(display, number + 1, "expected a title line such as '# Alice ↔ Bob' first")
    raise SourceError(display, 1, "empty file: expected a title line such as '# Alice ↔ Bob'")


def _find_header_end(lines: list[str], title_line: int, display: str) -> int:
    for number in range(title_line + 1, len(lines)):
        if _is_rule(lines[number]):
            return number
    raise SourceError(display, title_line + 1, "no messages: expected a '---' line, then '### speaker'")


def _read_header(lines, title_line, header_end, display, diagnostics):
    metadata: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    for number in range(title_line + 1, header_end):
        line = lines[number]
        if _is_blank(line):
            continue
        match = _META.match(line)
        if not match:
            diagnostics.append(warning(display, number + 1,
                                       "header line is not '**Key:** value'; it is ignored"))
            continue
        key, value = match.group(1).strip(), match.group(2)
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


def _read_messages(lines, header_end, participants, display, diagnostics) -> list[Message]:
    speakers = set(participants)
    messages: list[Message] = []
    speaker: str | None = None
    heading_line = 0
    body: list[str] = []
    when, kind = None, "message"

    def finish() -> None:
        if speaker is not None:
            messages.append(Message(len(messages) + 1, speaker, _trim_blank_lines(body), heading_line, when, kind))

    number = header_end
    while number < len(lines):
        line = lines[number]
        if _is_rule(line):
            following = number + 1
            while following < len(lines) and _is_blank(lines[following]):
                following += 1
            if following == len(lines):  # a closing rule: only blank lines follow
                break
            match = _HEADING.match(lines[following])
            name, at, sort = parse_heading(match.group(1)) if match else ("", None, "message")
            # Tool and thinking headings ('### Tool (tool result)') are written by imports: always messages.
            starts_message = match is not None and (speaker is None or not participants or name in speakers
                                                    or sort != "message")
            if starts_message:
                finish()
                speaker, heading_line, body, when, kind = name, following + 1, [], at, sort
                speakers.add(speaker)
                number = following + 1
                continue
            if speaker is None:
                raise SourceError(display, following + 1, "expected '### speaker' after the first '---'")
            # Otherwise the rule (and any '### heading' after it) belongs to the message body;
            # a mistyped speaker name shows up as a 'Messages:' count warning.
        body.append(line)
        number += 1
    finish()
    return messages


def _trim_blank_lines(body: list[str]) -> str:
    start, end = 0, len(body)
    while start < end and _is_blank(body[start]):
        start += 1
    while end > start and _is_blank(body[end - 1]):
        end -= 1
    return "\n".join(body[start:end])


def parse_datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _apply_metadata(conversation: Conversation, meta_lines: dict[str, int], display, diagnostics) -> None:
    meta = conversation.metadata
    for key in ("Started", "Ended"):
        if key in meta:
            when = parse_datetime(meta[key])
            if when is None:
                diagnostics.append(warning(display, meta_lines[key],
                                           f"'{key}' is not a date such as 2025-10-26 13:08:38; ignored"))
            setattr(conversation, key.lower(), when)
    if "Messages" in meta:
        declared = meta["Messages"].strip()
        if not declared.isdigit():
            diagnostics.append(warning(display, meta_lines["Messages"], f"'Messages' is not a number: {declared!r}"))
        elif int(declared) != len(conversation.messages):
            diagnostics.append(warning(
                display, meta_lines["Messages"],
                f"header says {int(declared)} messages but {len(conversation.messages)} were read"))
    if "Tags" in meta:
        conversation.tags = list(dict.fromkeys(t.strip() for t in meta["Tags"].split(",") if t.strip()))
    conversation.summary = meta.get("Summary", "")
    if "Draft" in meta:
        flag = meta["Draft"].strip().lower()
        if flag not in _TRUE | _FALSE:
            diagnostics.append(warning(display, meta_lines["Draft"], f"'Draft' should be true or false, not {flag!r}"))
        conversation.draft = flag in _TRUE


def write(conversation: Conversation) -> str:
    """The conversation in the native format; ``read`` gives the same model back."""
    heading = f" {ARROW} ".join(conversation.participants) if conversation.participants else conversation.title
    out = [f"# {heading}", ""]
    out += [f"**{key}:** {value}" for key, value in conversation.metadata.items()]
    if conversation.metadata:
        out.append("")
    for message in conversation.messages:
        out += ["---", "", f"### {format_heading(message)}", ""]
        if message.text:
            out += [message.text, ""]
    out += ["---", ""]
    return "\n".join(out)
