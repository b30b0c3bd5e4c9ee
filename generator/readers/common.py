"""Shared by the readers of other formats: assembling the canonical model from (speaker, text) turns."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
import re
from datetime import datetime, timezone
from pathlib import Path

from generator.model import KIND_LABELS, TELLING_WORDS, Conversation, Message
from generator.readers.jsondoc import content_text, text_of


@dataclass
class Turn:
    speaker: str
    text: str
    line: int = 0
    time: datetime | None = None
    kind: str = "message"
    label: str = ""  # the speaker as the source labels them, when it names them otherwise (a seat)


def conversation(source: Path, turns: list[Turn], title: str = "", started: datetime | None = None,
                 ended: datetime | None = None, metadata: dict[str, str] | None = None,
                 tags: list[str] | None = None) -> Conversation:
    """A Conversation from turns; title, start and end default to what the turns say.

    Fields are made canonical (see :func:`one_line`, :func:`speaker_name`, :func:`body`): what the
    native format can write and read back exactly, so that an import reads back to the same model.
    """
    messages = [Message(index, speaker_name(t.speaker), body(t.text), t.line, t.time, t.kind)
                for index, t in enumerate(turns, start=1)]
    # A label names a speaker as the source does (a seat: 'Claude 1'): one for each speaker.
    labels: dict[str, str] = {}
    for message, turn in zip(messages, turns):
        if turn.label and message.speaker not in labels:
            labels[message.speaker] = one_line(turn.label)
    for message in messages:
        message.label = labels.get(message.speaker, "")
    speakers = list(dict.fromkeys(m.speaker for m in messages if m.kind == "message"))
    # Subtitle and chat-log clock times sit on 1900-01-01: they say when in the recording, not when it was.
    times = [m.time for m in messages if m.time is not None and m.time.year > 1900]
    started = started or (min(times, key=_utc) if times else None)
    ended = ended or (max(times, key=_utc) if times else None)
    metadata = {key: value for key, value in ((_key(k), one_line(v)) for k, v in (metadata or {}).items())
                if key and value}
    for key, when in (("Started", started), ("Ended", ended)):
        if when is not None:
            _time_field(metadata, key, when)
    metadata["Messages"] = str(len(messages))
    tags = list(dict.fromkeys(tag for tag in (one_line(t.replace(",", " ")) for t in tags or []) if tag))
    if tags:
        metadata.setdefault("Tags", ", ".join(tags))
    if "Tags" in metadata:  # a source's own 'Tags' field too: the native format reads it as the tags
        tags = list(dict.fromkeys(t.strip() for t in metadata["Tags"].split(",") if t.strip()))
    title = one_line(title) or " ↔ ".join(speakers) or one_line(source.stem)
    if title != " ↔ ".join(speakers):
        metadata.setdefault("Title", title)
    return Conversation(title=title, messages=messages, source=source, participants=speakers if len(speakers) > 1 else [],
                        started=started, ended=ended, tags=tags, metadata=metadata)


def merge_consecutive(turns: list[Turn], same, separator: str) -> list[Turn]:
    """``turns`` with each run of consecutive turns that ``same(first of the run, next)`` holds for made
    one turn (the first's, its texts joined by ``separator``). Joined once per run: joined turn by turn,
    a long run takes quadratic time."""
    runs: list[tuple[Turn, list[str]]] = []
    for turn in turns:
        if runs and same(runs[-1][0], turn):
            runs[-1][1].append(turn.text)
        else:
            runs.append((turn, [turn.text]))
    for turn, texts in runs:
        turn.text = separator.join(texts)
    return [turn for turn, _ in runs]


def opening_title(text: str, limit: int = 80) -> str:
    """A title from what a message says first: its first line that is not blank, without the marks of
    a Markdown heading, cut at a word within ``limit`` characters ("…" where cut)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    words = one_line(first.lstrip().lstrip("#").lstrip(">"))
    if len(words) <= limit:
        return words
    cut = words[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(" ,;:") + "…"


_GIVEN_TITLE_KEYS = ("title", "topic", "subject")
_GIVEN_TITLE_CHARS = 120


def given_title(places) -> str:
    """The title a JSON source gives in the first of ``places`` (objects) that has one: its 'title',
    'topic' or 'subject', as a title is written; "" for none (the speakers make one)."""
    for place in places:
        for key in _GIVEN_TITLE_KEYS:
            title = text_of(place.get(key))
            if title.strip():
                return opening_title(title, _GIVEN_TITLE_CHARS)
    return ""


def request_title(requests) -> str:
    """A session's title from what the user asked: the first request of a few words (a 'hi', a
    'whoami' or a 'login' to start a session names nothing), else the first request."""
    requests = [text for text in requests if text.strip()]
    telling = next((text for text in requests if len(text.split()) >= TELLING_WORDS), "")
    return opening_title(telling or (requests[0] if requests else ""))


def reads_as_phrase(label: str) -> bool:
    """A label that reads as a phrase, not a name: '&' or '/' in it, a small word ('of the', 'our':
    'Reiterating our guiding principle:', a refrain a model opens its paragraphs with), a first word
    that opens a phrase ('In transformer-based LLMs:', 'This mechanism is:', where a name may start
    with 'The'), or a last word that leads into what follows ('The loop is:', a changelog's 'Added:')."""
    words = label.split()
    return ("&" in label or "/" in label or any(word in _SMALL_WORDS for word in words)
            or (bool(words) and (words[0].lower() in _PHRASE_OPENERS or words[-1].lower() in _PHRASE_ENDS)))


def opens_a_phrase(word: str) -> bool:
    """A word a phrase may open with, a name seldom ('In', 'This', 'When')."""
    return word.lower() in _PHRASE_OPENERS


_SMALL_WORDS = {"of", "the", "and", "for", "to", "with", "in", "on", "a", "an", "vs",
                "our", "my", "your", "their", "its", "this", "that"}
_PHRASE_OPENERS = {"in", "on", "for", "with", "of", "to", "from", "at", "by", "into", "under", "after", "before",
                   "during", "this", "that", "these", "those", "our", "your", "their", "its", "if", "when",
                   "while", "because", "as", "here", "there", "what", "why", "how",
                   # (and the words that join a sentence to the one before: 'But:', 'Not:', 'And yet:')
                   "but", "and", "or", "nor", "so", "yet", "not", "then", "also", "now", "however", "still",
                   "actually", "maybe", "perhaps", "just", "even", "only", "another", "though", "although"}
# (and the words of a changelog's sections, 'Added:', 'Fixed:', that lead into their lists)
_PHRASE_ENDS = {"is", "are", "was", "were", "be", "include", "includes", "including", "means", "follows",
                "added", "changed", "removed", "fixed", "deprecated", "updated", "created", "deleted", "modified",
                "renamed"}


def one_line(text: str) -> str:
    """Text for a title, tag or header value: one line, single spaces (a header line ends at its newline)."""
    return " ".join(text.split())


def _key(key: str) -> str:
    """A header key: one line, no '*' or ':' (which end a '**Key:**')."""
    return one_line(key.replace("*", " ").replace(":", " "))


# A name is written as '### name' (with ' · time' and ' (kind)' after it), and a title as 'A ↔ B'.
_KIND_SUFFIX = re.compile(r" \((?:" + "|".join(re.escape(label) for label in KIND_LABELS.values()) + r")\)$")


def speaker_name(name: str) -> str:
    """A speaker's name as a heading can hold it: one line, never empty, no '↔', no ' · ' (which
    separates a time), no trailing '(tool call)' and the like (which name a kind)."""
    name = one_line(name).replace("↔", "⟷").replace(" · ", " - ") or "(unnamed)"
    return _KIND_SUFFIX.sub(lambda match: " [" + match.group()[2:-1] + "]", name)


def body(text: str) -> str:
    """A message body without the blank lines around it (the native format does not keep them)."""
    first = len(text) - len(text.lstrip())
    if first == len(text):
        return ""
    start = text.rfind("\n", 0, first) + 1
    end = text.find("\n", len(text.rstrip()))
    return text[start:end if end != -1 else len(text)]


def _time_field(metadata: dict[str, str], key: str, when: datetime) -> None:
    """The 'Started' or 'Ended' field, as the conversation's time says: the native format reads the
    time from it. A source's own field under that name that says another time, or none ('Ended: 0'),
    is kept beside it, as written."""
    given = metadata.get(key)
    if given is not None:
        try:
            same = datetime.fromisoformat(given.strip()) == when
        except (ValueError, TypeError):
            same = False
        if same:
            return
        metadata[f"{key} (as written)"] = given
    metadata[key] = when.isoformat(sep=" ")


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone(timezone.utc).replace(tzinfo=None)


# How the roles of chat APIs and exports are shown, when the source names no one.
ROLE_NAMES = {"user": "User", "system": "System", "assistant": "Assistant", "developer": "Developer"}
# Roles whose messages instruct the model rather than speak in the conversation: shown as folded
# context, and not among the participants (a title of 'System ↔ User ↔ GPT-4.1' says too much).
PROMPT_ROLES = {"system", "developer"}


def block_turns(blocks: list, speaker: str, line: int, when: datetime | None, result_speaker: str | None = None,
                describe=None) -> list[Turn]:
    """Turns from Anthropic-style content blocks: text, thinking, tool calls and their results (the
    client's, the API's own server tools', and MCP servers'), documents, images. A block of a type
    not known here is shown as what it holds, folded, rather than lost.

    Tool results are kept whole, however long (whole files, test logs): their page folds them.
    ``describe(name, input)``, if given, may show a tool call better than its JSON (else "").
    """
    turns = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            turns.append(Turn(speaker, text_of(block.get("text")), line, when))
        elif kind == "thinking":
            turns.append(Turn(speaker, text_of(block.get("thinking")), line, when, "thinking"))
        elif kind == "redacted_thinking":  # encrypted by the API: there is nothing to read
            turns.append(Turn(speaker, "*[redacted thinking]*", line, when, "thinking"))
        elif kind == "tool_use" and describe is not None and (described := describe(text_of(block.get("name")),
                                                                                  block.get("input"))):
            turns.append(Turn(speaker, described, line, when, "tool_call"))
        elif kind in ("tool_use", "server_tool_use", "mcp_tool_use"):
            name = text_of(block.get("name"), "tool")
            server = text_of(block.get("server_name"))
            arguments = json.dumps(block.get("input", {}), ensure_ascii=False, indent=2, sort_keys=True)
            turns.append(Turn(speaker, f"**{f'{server}: ' if server else ''}{name}**\n\n{fenced(arguments, 'json')}",
                              line, when, "tool_call"))
        elif kind in ("tool_result", "mcp_tool_result"):
            turns.append(Turn(result_speaker or speaker, _result(_output(block.get("content")), block.get("is_error")),
                              line, when, "tool_result"))
        elif isinstance(kind, str) and kind.endswith("_tool_result"):  # a server tool's: web search, code run…
            content = block.get("content")
            failed = isinstance(content, dict) and "error_code" in content
            turns.append(Turn(speaker, _result(held_text(content), failed), line, when, "tool_result"))
        elif kind == "image":
            turns.append(Turn(speaker, "*[image]*", line, when))
        elif kind in ("document", "search_result"):  # given to the model to read
            turns.append(Turn(speaker, _document(block), line, when, "context"))
        elif kind in _MACHINE_BLOCKS:
            continue
        elif kind is None and isinstance(block.get("text"), str):
            turns.append(Turn(speaker, block["text"], line, when))
        elif held := held_text({key: value for key, value in block.items() if key != "type"}):
            shown = text_of(kind) or json.dumps(kind, ensure_ascii=False)
            turns.append(Turn(speaker, f"{code_span(shown)}\n\n{_result(held)}", line, when, "context"))
    return turns


def _document(block: dict) -> str:
    """A document or search result given to the model: its title, then what it says."""
    title = text_of(block.get("title")) or text_of(block.get("source")) or "Document"
    body = held_text(block.get("content") if "content" in block else block.get("source"))
    return f"{code_span(title)}\n\n{_result(body)}"


_LEAD_IN = 120  # characters before a <think> block on its first line that may still open an answer


def thought_apart(speaker: str, text: str, line: int, when: datetime | None = None, kind: str = "message") -> list[Turn]:
    """A model's answer that opens with its reasoning between ``<think>`` and ``</think>`` (as reasoning
    models write it, and datasets and logs keep it inline): the reasoning as a *thinking* turn, then
    the answer. A few words a bot puts before the block on its first line ('Based on our previous
    interactions, <think>' and a line break) stay the answer's. Any other text is one turn, as it is."""
    start = text.find("<think>")
    lead = text[:start] if start != -1 else ""
    block = start != -1 and (not lead.strip() or (len(lead) <= _LEAD_IN and "\n" not in lead
                                                   and text[start + len("<think>"):start + len("<think>") + 1] in "\r\n"))
    end = text.find("</think>", start) if block else -1
    if end == -1 or kind != "message":
        return [Turn(speaker, text, line, when, kind)]
    thought = text[start + len("<think>"):end].strip("\n")
    answer = (lead if lead.strip() else "") + text[end + len("</think>"):].lstrip("\n")
    turns = [Turn(speaker, thought, line, when, "thinking")] if thought.strip() else []
    return turns + [Turn(speaker, answer, line, when, kind)] if answer.strip() or not turns else turns


def call_text(head: str, body: str, shown: set[str], tool_input: dict, looked_at: tuple[str, ...] = ()) -> str:
    """A tool call shown as what it does: ``head`` (its first line) and ``body`` (a command, a diff, a
    prompt) show the input's keys ``shown``; every other key is listed under the first line, so that
    nothing the call was given is lost. A shown key whose value is not text is listed too, unless it is
    one of ``looked_at`` (shown whole). "" when there is no head: the caller shows the call's JSON."""
    if not head:
        return ""
    others = [f"- {key}: {code_span(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))}"
              for key, value in sorted(tool_input.items())
              if key not in shown or not (isinstance(value, str) or key in looked_at)]
    return "\n\n".join(part for part in (head, "\n".join(others), body) if part)


def diff(old: str, new: str) -> str:
    """The lines that changed from ``old`` to ``new`` (a unified diff without its file names), all of
    them: a file the model wrote is all '+' lines, and none is left out."""
    return "\n".join(list(difflib.unified_diff(old.split("\n"), new.split("\n"), lineterm="", n=2))[2:])


def _output(content) -> str:
    """A tool result's text: its text parts; or, when it holds parts of other kinds (a search's pages,
    as Claude.ai keeps them: title, address and text), what each part holds."""
    parts = content if isinstance(content, list) else [content]
    if all(not isinstance(part, dict) or part.get("type") in (None, "text", "image") for part in parts):
        return content_text(content)
    return held_text(content)


def _result(output: str, failed=False) -> str:
    """A tool's output as a code block, whole, marked when it is an error."""
    return ("**error**\n\n" if failed else "") + fenced(output)


# Blocks with nothing to read: Claude.ai's note of the thinking budget. (A tuple: a block's type may be
# a list, which a set could not look up.)
_MACHINE_BLOCKS = ("token_budget",)
# What a block holds that is for machines: ids, types, signatures, and the API's encrypted copies.
_MACHINE_FIELDS = {"type", "id", "uuid", "tool_use_id", "signature", "encrypted_content", "encrypted_index",
                   "cache_control", "citations", "media_type", "start_timestamp", "stop_timestamp"}
_TEXT_FIELDS = {"text", "content", "data", "stdout", "thinking"}  # shown as they are, without their name


def held_text(value, depth: int = 0) -> str:
    """The readable text a block of any shape holds (a server tool's result, a document, a type not
    known here): each field's text, named unless it is the text itself, in the order given. A file
    the block holds as base64 is named by its type, not spelled out."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if depth > 20:  # deeper than any real block: shown as JSON
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "\n\n".join(text for text in (held_text(item, depth + 1) for item in value) if text)
    if not isinstance(value, dict):
        return ""
    if value.get("type") == "base64" or ("data" in value and "media_type" in value and value.get("type") != "text"):
        return f"[{text_of(value.get('media_type')) or 'a file'}]"
    parts = []
    for key, field in value.items():
        text = held_text(field, depth + 1) if key not in _MACHINE_FIELDS else ""
        if text:
            parts.append(text if key in _TEXT_FIELDS else f"{key}:\n{text}" if "\n" in text else f"{key}: {text}")
    return "\n".join(parts)


def without_closing_rule(lines: list[str], rule: str) -> list[str]:
    """A message's lines without the blank lines at their end and the one ``rule`` line an exporter
    ends a message with (and the blank lines before that): the model's own rules earlier stay."""
    end = _last_text(lines, len(lines))
    if end and lines[end - 1].strip() == rule:
        end = _last_text(lines, end - 1)
    return lines[:end]


def _last_text(lines: list[str], end: int) -> int:
    while end and not lines[end - 1].strip():
        end -= 1
    return end


def in_reply_to(speaker: str, number: int) -> str:
    """The line a chat app's reply opens with, naming the message it answers by its number on the page."""
    return f"↩ In reply to {speaker} (#{number})"


def fenced(text: str, language: str = "") -> str:
    """Text as a fenced code block whose fence is longer than any backtick run inside it."""
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def code_span(text: str) -> str:
    """Text as inline code, whatever backticks it holds (as a block on lines of its own where it has
    line breaks, or only spaces, which inline code would not keep)."""
    if "\n" in text or not text.strip():
        return "\n\n" + fenced(text) + "\n"
    fence = "`" * (_longest_backtick_run(text) + 1)
    padded = f" {text} " if text[0] in "` " or text[-1] in "` " else text
    return f"{fence}{padded}{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for line in text.split("\n") for run in _backtick_runs(line)), default=0)


def _backtick_runs(line: str):
    run = 0
    for char in line:
        if char == "`":
            run += 1
        else:
            if run:
                yield "`" * run
            run = 0
    if run:
        yield "`" * run


UNREADABLE = "Unreadable line"  # who the note holding a line that is not JSON is from


def keep_damaged_lines(conversation: Conversation, damaged) -> None:
    """Lines of the source that could not be read (``jsondoc.DamagedLine``), kept as notes where they
    stood: each before the first message read from a later line. The messages keep their order."""
    notes = [Message(0, UNREADABLE, body(f"Line {line.line} of the file {line.problem.removeprefix('line ')}. "
                                         "As written:\n\n"
                                         + fenced(line.text)), line.line, None, "note")
             for line in sorted(damaged, key=lambda line: line.line)]
    messages, waiting = [], iter(notes)
    note = next(waiting, None)
    for message in conversation.messages:
        while note is not None and message.line > note.line:
            messages.append(note)
            note = next(waiting, None)
        messages.append(message)
    messages += [note] + list(waiting) if note is not None else []
    for index, message in enumerate(messages, start=1):
        message.index = index
    conversation.messages = messages
    conversation.metadata["Messages"] = str(len(messages))


def version_turn(turns: list[Turn]) -> Turn | None:
    """Another version of a branch (readers/tree.py) as one folded block: who said what, in order."""
    turns = [turn for turn in turns if turn.text.strip()]
    if not turns:
        return None
    text = "\n\n".join(f"**{speaker_name(turn.speaker)}:**\n\n{turn.text.strip()}" for turn in turns)
    return Turn(turns[0].speaker, text, turns[0].line, turns[0].time, "version")
