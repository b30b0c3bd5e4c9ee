"""Readers turn one source file into :class:`~generator.model.Conversation` objects.

One module per format. The reader is chosen by the file's suffix and then by its
content (never by guessing from the name alone):

- ``.md`` ``.markdown`` ``.txt``: Claude Code logs exported to Markdown (``# Claude Conversation Log``) or
  written by the conversation-logger plugin, SpecStory's sessions (Cursor, Claude Code…),
  Cline's and Roo Code's exported tasks,
  native (``# A ↔ B`` + ``---``/``### speaker``), Backrooms logs (``### Name ###``), Discord exports, logs
  whose messages are headed between rules, plain ``Speaker: text``.
- ``.json``: ChatGPT and Claude.ai exports, ShareGPT, OpenAI chat messages, AI-to-AI runner JSON,
  Discord channels (DiscordChatExporter, which also writes ``.txt``), Telegram chats, VS Code's chat exports
  (GitHub Copilot) and message lists;
  ``.jsonl``/``.ndjson``: the same one per line, Claude Code and Codex CLI sessions and SillyTavern chats.
- ``.vtt`` WebVTT and ``.srt`` subtitles.
- ``.html``: Discord channels as DiscordChatExporter's HTML page, Telegram chats as Telegram Desktop's
  (their defaults); any other page is no transcript.

A file no reader claims gives a warning; a file that a reader claims but cannot
read gives an error naming the line (and the JSON path).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError, note, warning
from generator.model import Conversation
from generator.profile import terms_of_messages, terms_of_text
from generator.readers import (aider, backrooms, cctrace, cline, chatgpt, claude_ai, claude_code, claude_console, claude_log,
                               codex, conversation_logger, framed, gemini_cli, gemini_console, jsondoc, native, nested_messages,
                               openai_chat, plaintext, runner, sharegpt, sillytavern, specstory, tagged, telegram,
                               vscode_chat)
from generator.readers.cline import ClineJSON
from generator.readers.clean import decode, json_unsafe_at
from generator.readers.common import keep_damaged_lines
from generator.readers.discord import CSV_HEADER, DiscordCSV, DiscordJSON, DiscordText
from generator.readers.discord_html import DiscordHTML
from generator.readers.parts import joined, later_parts
from generator.readers.telegram_html import TelegramHTML
from generator.readers.subtitles import SRT, WebVTT

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
JSON_SUFFIXES = {".json": False, ".jsonl": True, ".ndjson": True}  # suffix -> one record per line
SUBTITLE_READERS = {".vtt": WebVTT, ".srt": SRT}
HTML_SUFFIX = ".html"
CSV_SUFFIX = ".csv"  # DiscordChatExporter's; other tables are no transcripts
HTML_READERS = (DiscordHTML, TelegramHTML)
SUFFIXES = TEXT_SUFFIXES + tuple(JSON_SUFFIXES) + tuple(SUBTITLE_READERS) + (HTML_SUFFIX, CSV_SUFFIX)

TEXT_READERS = (claude_log, cctrace, conversation_logger, specstory, cline, aider, DiscordText, native, backrooms, claude_console, gemini_console, tagged,
                framed, plaintext)  # the most particular first
# The readers that a file is offered to before the native one: a file one of them claims is theirs,
# whatever the native reader would make of its header.
_BEFORE_NATIVE = TEXT_READERS[:TEXT_READERS.index(native)]
# Last, nested_messages: it takes any JSON with a list of messages in it, the shapes of the others too.
JSON_READERS = (chatgpt, claude_ai, claude_code, codex, gemini_cli, vscode_chat, ClineJSON, DiscordJSON, telegram, sillytavern, sharegpt, openai_chat,
                runner, nested_messages)
_SNIFF_CHARS = 65536
_CLAIMED_AMONG = 8  # leading lines of JSON Lines looked at to choose the reader


@dataclass
class ReadResult:
    format: str  # the reader's name; "" when no reader claimed the file
    conversations: list[Conversation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    content: str = ""  # the key of the bytes read (content_key), when they were read


def read_file(path: Path, display: str | None = None, identity=None, redaction=None, terms: bool = True) -> ReadResult:
    """Read one file. ``display`` is the path shown in diagnostics (relative, usually); ``identity``
    (generator/identity.py), if given, names speakers and titles conversations as the site does;
    ``redaction`` (generator/secrets), if given, replaces secrets in the text before it is read and
    reports those left. ``terms``: find each conversation's terms (a file read again for its page has
    them already: see library.placed).

    Raises only :class:`SourceError`: a reader's own, or any other failure of one, as an error about the file.
    """
    shown = display or str(path)
    later = later_parts(path)
    if later:
        return _read_parts([path, *later], shown, identity, redaction, terms)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(shown, 0, f"cannot read file: {err.strerror}") from None
    return read_bytes(path, data, shown, identity, redaction, terms)


def _read_parts(paths: list[Path], shown: str, identity, redaction, terms: bool) -> ReadResult:
    """An export split over several files (see parts.py): read together where their reader reads
    pages so, else each part read as a file is, then joined. A part that cannot be read is an error of
    its own; the others are read."""
    folder = shown.rpartition("/")[0]
    displays = [shown if path is paths[0] else f"{folder}/{path.name}" if folder else path.name for path in paths]
    whole = _read_together(paths, displays, redaction) or _read_each(paths, displays, redaction)
    for conversation in whole.conversations:  # all read from the one source the archive lists
        conversation.source = paths[0]
    if terms:
        _add_terms(whole, "")
    if identity is not None:
        for conversation in whole.conversations:
            identity.apply(conversation)
    return _fingerprinted(whole, whole.content)


def _read_each(paths: list[Path], displays: list[str], redaction) -> ReadResult:
    results: list[ReadResult] = []
    diagnostics: list[Diagnostic] = []
    for path, display in zip(paths, displays):
        try:
            result = read_bytes(path, path.read_bytes(), display, None, redaction, terms=False)
        except OSError as err:
            diagnostics.append(Diagnostic(display, 0, "error", f"cannot read file: {err.strerror}"))
            continue
        except SourceError as err:
            diagnostics.append(err.diagnostic)
            continue
        results.append(result)
        diagnostics += result.diagnostics
    if not results:
        first = diagnostics[0]
        raise SourceError(first.path, first.line, first.message)
    return ReadResult(results[0].format, joined([r.conversations for r in results], [r.format for r in results]),
                      diagnostics, _parts_key([r.content for r in results]))


class _NotTogether(Exception):
    """A later part is not a page the first part's reader reads with the others, or cannot be read."""


def _read_together(paths: list[Path], displays: list[str], redaction) -> ReadResult | None:
    """The parts as one export, by a reader that reads its parts together (Telegram's pages: a reply can
    name a message on an earlier page; DiscordChatExporter's partitions, as web pages or JSON); None where
    a part is no such part, or cannot be read (then each part is read on its own, and says what is wrong
    with it). The parts are read one at a time."""
    keys: list[str] = []
    notes: list[Diagnostic] = []

    def part(path: Path, display: str):
        """The part's reader, and (file name, what the reader reads, display): the page's text, or the
        JSON's leading records (a channel's whole object)."""
        data = path.read_bytes()
        keys.append(content_key(data, redaction))
        text, found = decode(display, data)
        text = _redacted(path, text, display, redaction, found)
        notes.extend(found + _unsafe_json_note(path, text, display))
        if path.suffix.lower() == HTML_SUFFIX:
            return _html_reader(text), (path.name, text, display)
        leading = jsondoc.leading_records(text, display, False, 1)
        return _json_reader(leading, False), (path.name, leading, display)

    if paths[0].suffix.lower() not in (HTML_SUFFIX, *_PARTS_OF_JSON):
        return None
    try:
        reader, read_first = part(paths[0], displays[0])
    except (OSError, SourceError):
        return None
    if not getattr(reader, "reads_together", False):  # most readers read each part as its own file
        return None
    first = [read_first]

    def parts():
        yield first.pop()  # not held while the later parts are read
        for path, display in zip(paths[1:], displays[1:]):
            try:
                claimed_by, later = part(path, display)
            except (OSError, SourceError):
                raise _NotTogether from None
            if claimed_by is not reader:
                raise _NotTogether
            yield later

    try:
        conversations, diagnostics = reader.read_together(paths[0], parts())
    except Exception:  # a part not of the export, or a reader's bug: each part is read as a file, and says so
        return None
    return ReadResult(reader.NAME, conversations, notes + diagnostics, _parts_key(keys))


# The suffixes of JSON (not JSON Lines) an export's parts may have.
_PARTS_OF_JSON = tuple(suffix for suffix, lines in JSON_SUFFIXES.items() if not lines)


def _html_reader(text: str):
    """The reader that claims an HTML page (None for a page no reader claims)."""
    head = text[:_SNIFF_CHARS]
    return next((r for r in HTML_READERS if r.sniff(head)), None)


def _json_reader(leading: list, lines: bool):
    """The reader of the first of the leading records one claims."""
    return next((r for record in leading for r in JSON_READERS if r.claims(record, lines)), None)


def _redacted(path: Path, text: str, display: str, redaction, notes: list[Diagnostic]) -> str:
    """The text with the redactions made (what was found added to ``notes``)."""
    if redaction is None:
        return text
    text, found = redaction.apply(text, display, json_text=path.suffix.lower() in JSON_SUFFIXES)
    notes += found
    return text


def _unsafe_json_note(path: Path, text: str, display: str) -> list[Diagnostic]:
    unsafe = json_unsafe_at(text) if path.suffix.lower() in JSON_SUFFIXES else -1
    if unsafe == -1:
        return []
    return [note(display, text.count("\n", 0, unsafe) + 1,
                 "control characters (or escapes of them) replaced by visible symbols (␀, ␛, �)")]


def _parts_key(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else hashlib.sha1(" ".join(keys).encode("ascii")).hexdigest()


def read_header_file(path: Path, display: str, identity=None, redaction=None) -> ReadResult | None:
    """A native transcript's conversation without its messages (see :func:`native.read_header`):
    what a large build needs first, cheaply. None for any other file, one whose speakers are not all
    named in its header, or one that cannot be read so: :func:`read_file` reads it (and says what is
    wrong with it)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    try:
        data = path.read_bytes()
        text, notes = decode(display, data)
        decoded = text
        if redaction is not None:
            # Replaced (the title may hold what is redacted), not scanned: reading the file whole
            # for its page scans it, and a large build would otherwise scan each file twice.
            text = redaction.replaced(text)
        head = text[:_SNIFF_CHARS]
        if notes or not native.sniff(head) or any(reader.sniff(head) for reader in _BEFORE_NATIVE):
            return None
        conversation, diagnostics = native.read_header(path, text, display)
        if not native.header_gives_speakers(text, conversation):
            return None  # its speakers are in its messages: the archive's speaker pages need them now
        conversation.terms = terms_of_text(decoded)
        if identity is not None:
            identity.apply(conversation)
    except (OSError, SourceError):
        return None
    except Exception:  # a reader's failure: read_file reports it
        return None
    return _fingerprinted(ReadResult(native.NAME, [conversation], diagnostics), content_key(data, redaction))


def content_key(data: bytes, redaction) -> str:
    """What the conversations read are made from: the bytes, and the redaction applied to them."""
    return _redacted_key(hashlib.sha1(data).hexdigest(), redaction)


def file_content_key(path: Path, redaction) -> str:
    """:func:`content_key` of a file's bytes (and its later parts', see parts.py), read in pieces: an
    export may be larger than a build should hold just to tell that it has not changed."""
    keys = []
    for part in [path, *later_parts(path)]:
        with open(part, "rb") as handle:
            keys.append(_redacted_key(hashlib.file_digest(handle, "sha1").hexdigest(), redaction))
    return _parts_key(keys)


def _redacted_key(content: str, redaction) -> str:
    if redaction is None or not redaction.active:
        return content
    return hashlib.sha1(f"{content}:{redaction.digest()}".encode("ascii")).hexdigest()


def read_bytes(path: Path, data: bytes, display: str, identity=None, redaction=None, terms: bool = True) -> ReadResult:
    content = content_key(data, redaction)
    try:
        text, notes = decode(display, data)
        del data  # a large export is then held once, as text, while it is read
        decoded = text if terms and path.suffix.lower() in TEXT_SUFFIXES else ""
        text = _redacted(path, text, display, redaction, notes)
        result = read_text(path, text, display)
        if terms:
            _add_terms(result, decoded)
        if identity is not None:
            for conversation in result.conversations:
                identity.apply(conversation)
    except SourceError:
        raise
    except RecursionError:
        raise SourceError(display, 0, "nested too deeply to read") from None
    except Exception as err:  # a reader's bug must cost this file only, never the build
        raise SourceError(display, 0, f"could not be read ({type(err).__name__}: {err}); "
                                      "please report this as an Antiphon bug") from None
    result.diagnostics[:0] = notes
    return _fingerprinted(result, content)


def _add_terms(result: ReadResult, decoded: str) -> None:
    """What related conversations are found by: a native transcript's from its text (as read_header_file
    makes them), any other's from its messages."""
    native_file = result.format == native.NAME and len(result.conversations) == 1 and decoded
    for conversation in result.conversations:
        conversation.terms = terms_of_text(decoded) if native_file else terms_of_messages(conversation.messages)


def _fingerprinted(result: ReadResult, content: str) -> ReadResult:
    """``result``, keyed by the bytes it was read from (``content``), and each conversation by them and its place."""
    result.content = content
    for position, conversation in enumerate(result.conversations):
        conversation.fingerprint = f"{content}:{position}"
    return result


def read_text(path: Path, text: str, display: str) -> ReadResult:
    """Read decoded text with the reader its suffix and content call for (readers raise SourceError only)."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        lines = JSON_SUFFIXES[suffix]
        # JSON Lines: the reader of the first of the leading lines one claims, so that a first line
        # damaged into other JSON (a hand edit) does not hide what the file is.
        leading = jsondoc.leading_records(text, display, lines, _CLAIMED_AMONG if lines else 1)
        if not leading:
            return ReadResult("", [], [note(display, 1, f"{NOT_A_TRANSCRIPT}: an empty JSON file")])
        reader = _json_reader(leading, lines)
        if reader is None:
            return _unclaimed(display, "JSON of a shape no reader knows (ChatGPT or Claude.ai export, ShareGPT, "
                                       "OpenAI messages, Claude Code, Codex or Gemini CLI session, SillyTavern chat, "
                                       "Discord channel, Telegram chat, runner JSON), and no list of messages ({role, content}) in it")
        damaged: list[jsondoc.DamagedLine] = []
        # A file that is one conversation is a record of it per line: a line of other JSON is damage too.
        conversations, diagnostics = reader.read(jsondoc.the_rest(leading, text, display, lines, damaged,
                                                                  objects=reader.ONE_CONVERSATION), path, display)
        diagnostics += _damaged_lines(damaged, conversations, display, reader.ONE_CONVERSATION)
        return ReadResult(reader.NAME, conversations, _unsafe_json_note(path, text, display) + diagnostics)
    head = text[:_SNIFF_CHARS]
    if suffix == HTML_SUFFIX:
        reader = _html_reader(head)
        if reader is None:
            return _unclaimed(display, "a web page, not a chat exporter's (DiscordChatExporter's and Telegram's are read)")
        return ReadResult(reader.NAME, *reader.read(path, text, display))
    if suffix == CSV_SUFFIX:
        if not DiscordCSV.sniff(head):
            return _unclaimed(display, "a table, not DiscordChatExporter's CSV (its header: " + CSV_HEADER + ")")
        return ReadResult(DiscordCSV.NAME, *DiscordCSV.read(path, text, display))
    if suffix in SUBTITLE_READERS:
        reader = SUBTITLE_READERS[suffix]
        if not reader.sniff(head):
            return _unclaimed(display, f"no subtitle cues found in this {suffix} file")
        return ReadResult(reader.NAME, *reader.read(path, text, display))
    # Before the readers: a diary's bold fields under its entries ('**Actions:**') would read as a speaker.
    if native.is_diary(head):
        return _unclaimed(display, "a diary or log of entries headed by times ('### 04:11 PM — …'), not a conversation")
    for reader in TEXT_READERS:
        if reader.sniff(head):
            return ReadResult(reader.NAME, *reader.read(path, text, display))
    if _looks_native(head):  # meant as a native transcript: say what is wrong with it
        return ReadResult(native.NAME, *native.read(path, text, display))
    return _unclaimed(display, "no reader recognises this file (expected '# A ↔ B' with '---'/'### speaker' "
                               "messages, '### Name ###' log headers, or 'Speaker: text' lines)")


def _damaged_lines(damaged: list[jsondoc.DamagedLine], conversations: list[Conversation], display: str,
                   one_conversation: bool) -> list[Diagnostic]:
    """Lines of JSON Lines that are not JSON (a session cut off mid-line, a hand edit): where the file
    is one conversation, each is kept on its page as a note, as written; where each line is a
    conversation, that one is lost, which is an error. The other lines are read either way."""
    if not damaged:
        return []
    if one_conversation and len(conversations) == 1:
        keep_damaged_lines(conversations[0], damaged)
        if len(damaged) == 1:
            return [warning(display, damaged[0].line, f"{damaged[0].problem}; the rest was read, and this line is "
                                                      "shown as written in a note on the page")]
        # One warning for the file: a session redacted or cut by a tool can have a hundred such lines.
        shown = ", ".join(str(line.line) for line in damaged[:_DAMAGED_LINES_NAMED])
        more = ", …" if len(damaged) > _DAMAGED_LINES_NAMED else ""
        return [warning(display, damaged[0].line, f"{len(damaged)} lines are not JSON (lines {shown}{more}; the "
                                                  f"first: {damaged[0].problem}); the rest was read, and these "
                                                  "lines are shown as written in notes on the page")]
    return [Diagnostic(display, line.line, "error", f"{line.problem}; left out (the other lines were read)")
            for line in damaged]


_DAMAGED_LINES_NAMED = 5


def _looks_native(head: str) -> bool:
    """Meant as a native transcript, though no reader took it (so its errors are worth showing): a
    '# A ↔ B' title or header fields under its title, its first '---' rule then a '### ' heading, or a
    '### ' heading that recurs (a speaker's), as most of them do. A README or notes ('# Title', then
    sections, one of them named twice) is not. Front matter is no part of it: its '---' lines are
    no rule, and a notes app writes it above any page."""
    head = plaintext.front_matter(head)[1]
    lines = [line for line in head.splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].startswith("# ") and "↔" in lines[0]:
        return True
    if lines[0].startswith("## "):  # a document's section, where a transcript has its title or a speaker
        return False
    field = _HEADER_FIELD.match(lines[1]) if lines[0].startswith("# ") and len(lines) > 1 else None
    rule = re.search(r"^---[ \t]*$", head, re.M)  # a transcript's messages begin at its first rule
    first_message = rule is not None and native.RULE_THEN_HEADING.match("\n" + head[rule.start():]) is not None
    if field:
        # Header fields under a title: a transcript's own ('**Started:**'), or any when its first rule
        # is followed by a message's heading; notes and reports have fields of their own ('**Date:**').
        return field.group(1) in _TRANSCRIPT_FIELDS or first_message
    headings = Counter(line[4:].strip() for line in lines if line.startswith("### "))
    # Speakers' headings come again and again; a README's sections may repeat one name once, and an
    # API reference its '### Examples' under each function's '## ' heading, with no rule between or
    # with rules that open sections, not messages.
    recurring = sum(count for count in headings.values() if count >= 2)
    sectioned = not first_message and any(line.startswith("## ") for line in lines)
    # A document's sections, each its own ('### Purpose', '---', '### 1. Cognitive Worldview'), where
    # a transcript's speakers would have come again by the third message.
    sections_only = len(headings) >= 3 and recurring == 0
    return (lines[0].startswith("### ") or (recurring > 0 and 2 * recurring >= headings.total() and not sectioned)
            or (first_message and not sections_only))


_HEADER_FIELD = re.compile(r"\*\*([A-Za-z][^*\n\d:]*):\*\*")  # '**Started:** …' (but not a diary's '**04:53 AM:**')
_TRANSCRIPT_FIELDS = {"Started", "Ended", "Messages", "Tags", "Summary", "Draft", "Slug", "Participants"}


NOT_A_TRANSCRIPT = "not a transcript"


def _unclaimed(display: str, why: str) -> ReadResult:
    """A file no reader claims: a note (the build summarises them), never an error."""
    return ReadResult("", [], [note(display, 0, f"{NOT_A_TRANSCRIPT}: {why}")])


__all__ = ["NOT_A_TRANSCRIPT", "ReadResult", "SUFFIXES", "decode", "read_bytes", "read_file", "read_header_file", "read_text"]
