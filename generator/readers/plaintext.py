"""Plain ``Speaker: text`` transcripts (also ``**Speaker:**``, ``#### Speaker:`` as chat exporters write
it, IRC ``[12:03] <nick> text``).

A line starting with a speaker label begins a message; the lines after it belong
to that speaker. To tell speakers from ordinary colons, a label counts only if it
is short, is not a URL scheme, a time or a list item (``- Pier: …``), and the same
label starts a line at least twice (or the file has only a few labels, all of them
recurring). Where labels are headings (``#### You:``, or a role alone: ``## User``,
``### 🤖 Assistant``), only headings start messages.
Timestamps like ``[12:03]`` or ``12:03:44`` before the label are kept. A ``# Title`` line before the
first speaker is the title (and YAML front matter's ``title`` and ``date``, with its other fields kept);
any other text there is kept as a folded *context* message.

Logs of AI-to-AI runs label seats (``Claude 1:``, ``GPT4o 2:``): where such labels
are found, only they start messages (``Symbol:`` or ``OOC:`` inside a turn is the
model's text), and they are named after the models the file name gives (readers/runs.py).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from generator.readers.common import Turn, conversation
from generator.readers.jsondoc import timestamp
from generator.readers.runs import run_name, seat_names, seat_of

NAME = "plaintext"
_TIME = r"(?:\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\]|(?P<bare>\d{1,2}:\d{2}:\d{2}))"
_LABEL = re.compile(rf"^(?:{_TIME}[ \t]+)?(?P<heading>#{{1,6}}[ \t]+)?(?:\*\*(?P<bold>[^*:\n]{{1,40}}):\*\*|(?P<name>[^\s:<>*\[\]][^:<>\n]{{0,39}}?):)(?:[ \t]+|$)(?P<rest>.*)$")
_IRC = re.compile(rf"^(?:{_TIME}[ \t]+)?<(?P<nick>[^>\s]{{1,32}})>[ \t]?(?P<rest>.*)$")
PREFACE = "Preface"  # who the text before the first speaker is shown as (a folded context message)
_NOT_SPEAKERS = {"http", "https", "ftp", "mailto", "file", "note", "warning", "error", "todo", "p.s", "ps"}
# A heading that is only a chat role, as chat exporters head messages ('## User', '### 🤖 Assistant').
_ROLE_HEADING = re.compile(r"^#{1,6}[ \t]+(?:[^\w\s]{1,4}[ \t]*)?(?P<role>User|You|Human|Me|Assistant|AI|ChatGPT|Claude|"
                           r"Gemini|Bard|Copilot|Bot|System)[ \t]*:?[ \t]*$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"---[ \t]*\n((?:[^\n]*\n){0,100}?)---[ \t]*(?:\n|$)")
_DATE_KEYS = ("date", "created", "create_time", "created_at", "timestamp")
_TRAILING_RULE = re.compile(r"\n[ \t]*---[ \t]*\n\s*\Z")
_LIST_ITEM = re.compile(r"(?:[-+•]|\d{1,3}[.)])\s")  # '- Pier: …' is a list the model wrote, not a speaker


def _label(line: str):
    """(name, clock, the rest of the line, written as a heading) when the line starts a message."""
    role = _ROLE_HEADING.match(line)
    if role:
        return role.group("role"), None, "", True
    match = _IRC.match(line) or _LABEL.match(line)
    if not match:
        return None
    name = (match.groupdict().get("nick") or match.groupdict().get("bold") or match.group("name") or "").strip()
    if (not name or name.lower() in _NOT_SPEAKERS or re.fullmatch(r"[\d: ]+", name) or len(name.split()) > 4
            or _LIST_ITEM.match(name)):
        return None
    return name, match.group("time") or match.group("bare"), match.group("rest"), bool(match.groupdict().get("heading"))


def sniff(head: str) -> bool:
    labels = [found for line in head.split("\n") if (found := _label(line))]
    counts = Counter(found[0] for found in labels)
    recurring = [name for name, count in counts.items() if count >= 2]
    if len(recurring) >= 2 or (len(recurring) == 1 and sum(counts.values()) >= 3):
        return True
    if len({found[0] for found in labels if found[3]}) >= 2:  # one exchange under two speakers' headings
        return True
    first = next((line for line in head.split("\n") if line.strip()), "")
    found = _label(first)  # a run's log of one turn: 'Claude 1:' alone on the first line
    return found is not None and not found[2].strip() and seat_of(found[0]) is not None


def read(path, text, display):
    labels = [_label(line) for line in text.split("\n")]
    counts = Counter(found[0] for found in labels if found)
    seated = {name for name in counts if seat_of(name) is not None}
    # Chat exporters head each message ('#### You:'): then only such headings start messages, and a
    # 'Note:' line the model wrote stays in its message.
    headed = Counter(found[0] for found in labels if found and found[3])
    by_heading = not seated and (len(headed) >= 2 or any(count >= 2 for count in headed.values()))
    if seated or by_heading:
        speakers = seated or set(headed)
    else:
        speakers = {name for name, count in counts.items() if count >= 2} or set(counts)
    turns: list[Turn] = []
    preface = Turn(PREFACE, "", 1, None, "context")  # what comes before the first speaker
    lines: list[list[str]] = [[]]  # each turn's, the preface's first: joined once (+= on each is quadratic)
    for number, (line, found) in enumerate(zip(text.split("\n"), labels), start=1):
        if found and found[0] in speakers and (found[3] or not by_heading):
            name, clock, rest, _ = found
            turns.append(Turn(name, "", number, _clock(clock)))
            lines.append([rest])
        else:
            lines[-1].append(line)
    for turn, said in zip([preface] + turns, lines):
        turn.text = "".join(part + "\n" for part in said)
        if by_heading and turn is not preface:  # the exporter's rule between messages, not the model's
            turn.text = _TRAILING_RULE.sub("\n", turn.text)
    fields, preface.text = _front_matter(preface.text)
    title = fields.pop("title", "")
    started = next((when for key in _DATE_KEYS if (when := timestamp(fields.pop(key, None))) is not None), None)
    heading = re.match(r"\s*# +(\S[^\n]*)\n?", preface.text)
    if heading:  # an export's '# Title' line
        title, preface.text = title or heading.group(1), preface.text[heading.end():]
    if preface.text.strip():
        turns.insert(0, preface)
    metadata = {"Source format": "plain text", **{key.capitalize(): value for key, value in fields.items()}}
    run = run_name(path) if seated else None
    if run is not None:
        names = seat_names(sorted(seated), run.models)
        for turn in turns:
            if turn.speaker in names:
                turn.label, turn.speaker = turn.speaker, names[turn.speaker]
        if run.template:
            metadata["Template"] = run.template
        if run.models:
            metadata["Models"] = ", ".join(run.models)
        started = run.started
    return [conversation(path, turns, title=title, started=started, metadata=metadata)], []


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` lines of YAML front matter at the start of ``text`` (as exporters write a
    title and a date), and the text after it; nothing and the text itself when it has none."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, text
    fields = {}
    for line in found.group(1).split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip() and key == key.lstrip() and not key.startswith(("-", "#")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return {key: value for key, value in fields.items() if value}, text[found.end():]


def _clock(value: str | None) -> datetime | None:
    if not value:
        return None
    parts = [int(p) for p in value.split(":")] + [0]
    return datetime(1900, 1, 1, parts[0] % 24, parts[1], parts[2]) if parts[1] < 60 and parts[2] < 60 else None
