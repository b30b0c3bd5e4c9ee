"""Backrooms logs: ``### Name ###`` (or ``### Name [timestamp] ###``) headers, each message's body after it.

- ``### Round 3/30`` lines mark structure, not text.
- A log may open with a header block, metadata rather than a message::

      ### Backrooms Run ###
      Template: emoji
      Models: k2, k2
      Started: 2025-09-20T12:12:26+00:00

- A closing line such as ``Claude 1 has ended the conversation with ^C^C.`` becomes
  the conversation's ``Ending``.
- Only participants start messages: models write their own ``### TASK COMPLETED ###``
  lines inside their turns. A header starts a message when its name has a seat number
  (``Claude 1``), follows a round marker, opens the log, or is written in words rather
  than shouted (``Media Agent``, not ``FATAL ERROR: REALITY MISMATCH``); any other
  header line is text of the current message.
- Seats are named after the models in them, from the header block, the folder and
  the file name (``model1_model2_template_YYYYMMDD_HHMMSS``): see readers/runs.py.
"""

from __future__ import annotations

import re
from collections import Counter

from generator.diagnostics import note
from generator.readers.common import Turn, conversation
from generator.readers.jsondoc import timestamp
from generator.readers.runs import RunName, run_name, seat_names, seat_of

NAME = "backrooms"
_ROUND = re.compile(r"^###[ \t]+Round[ \t]+\d+(?:/(?:\d+|inf))?(?:[ \t]+###)?$", re.I)  # on a stripped line
_TIME = re.compile(r"^(?P<name>.*?\S)[ \t]+\[(?P<time>[^\[\]]*)\]$")
_ENDED = re.compile(r"^(?P<who>.+?) has ended the conversation( with \^C\^C)?\.?$")
_RUN_NAME = "Backrooms Run"
_RUN_HEADER = f"### {_RUN_NAME} ###"
_RUN_KEY = re.compile(r"^(?P<key>[A-Z][A-Za-z ]{0,30}):[ \t]*(?P<value>.*)$")
EMPTY_LOG = "an empty log (the run wrote no messages); skipped"


def _header(line: str) -> tuple[str, str | None] | None:
    """(name, time) of a '### Name ###' or '### Name [time] ###' line; None for any other line.

    String tests, not one regex: '.+?' followed by '[ \\t]+###' retries every split of a long line."""
    if not line.startswith("###") or len(line) < 8:
        return None
    stripped = line.rstrip()
    if not stripped.endswith("###") or len(stripped) < 8 or stripped[3] not in " \t" or stripped[-4] not in " \t":
        return None
    inner = stripped[3:-3].strip()
    if not inner or inner.startswith("#") or inner.endswith("#"):
        return None
    timed = _TIME.match(inner) if inner.endswith("]") else None
    if timed:
        return timed.group("name"), timed.group("time")
    return inner, None


_ROUND_NUMBERS = re.compile(r"\d+(?:/(?:\d+|inf))?")


def _is_round(line: str) -> bool:
    return line.startswith("###") and _ROUND.match(line.rstrip()) is not None


def sniff(head: str) -> bool:
    """A '### Name ###' header, a round marker (a run that wrote nothing else) or the run header block."""
    for line in head.split("\n"):
        if line.startswith("###") and (_header(line) or _is_round(line)):
            return True
    return False


def read(path, text, display):
    lines = text.split("\n")
    metadata, first = _run_header(lines)
    declared = [m.strip() for m in metadata.get("Models", "").split(",") if m.strip()]
    run = run_name(path, declared or None)
    turns, ending, rounds = _turns(lines, first)
    if not any(turn.kind == "message" for turn in turns):
        return [], [note(display, 1, EMPTY_LOG)]
    names = seat_names(list(dict.fromkeys(t.speaker for t in turns)), run.models if run else declared)
    for turn in turns:
        if turn.speaker in names:
            turn.label, turn.speaker = turn.speaker, names[turn.speaker]
    metadata = {"Source format": "Backrooms log", **_run_metadata(run, metadata)}
    if ending:  # said of a seat ('Claude 1 has ended…'): of the model in it, as its messages are
        who = _ENDED.match(ending).group("who")
        metadata["Ending"] = names.get(who, who) + ending[len(who):]
    if rounds:
        metadata["Rounds"] = rounds  # the last round marker: '12/30', or '30/30' when the turn limit was reached
    started = timestamp(metadata.get("Started")) or (run.started if run else None)
    return [conversation(path, turns, started=started, metadata=metadata)], []


def _run_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The header block's keys (Template, Models, Started…) and the index of the first line after it."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or lines[index].strip() != _RUN_HEADER:
        return {}, 0
    metadata: dict[str, str] = {}
    index += 1
    while index < len(lines) and not lines[index].startswith("###"):
        found = _RUN_KEY.match(lines[index].strip())
        if found:
            metadata[found.group("key").strip()] = found.group("value").strip()
        index += 1
    return metadata, index


def _run_metadata(run: RunName | None, header: dict[str, str]) -> dict[str, str]:
    metadata = dict(header)
    if run is not None:
        if run.template:
            metadata.setdefault("Template", run.template)
        if run.models:
            metadata["Models"] = ", ".join(run.models)
        if run.topic:
            metadata.setdefault("Topic", run.topic)
    return metadata


def _turns(lines: list[str], first: int) -> tuple[list[Turn], str, str]:
    """The turns, the runner's ending line, and the last round marker ('12/30')."""
    headers = {}  # line index -> (name, time) of every line shaped like a header
    after_round = set()
    pending_round = False
    rounds = ""
    for index in range(first, len(lines)):
        line = lines[index]
        if not line.startswith("###"):
            if line.strip():
                pending_round = False
            continue
        if _is_round(line):
            pending_round = True
            rounds = _ROUND_NUMBERS.search(line).group()
            continue
        found = _header(line)
        if found:
            headers[index] = found
            if pending_round:
                after_round.add(found[0])
            pending_round = False
    speakers = _participants(headers, after_round)
    turns: list[Turn] = []
    ending = ""
    current: Turn | None = None
    body: list[str] = []
    for index in range(first, len(lines)):
        line = lines[index]
        found = headers.get(index)
        restarted = found is not None and found[0] == _RUN_NAME  # the runner began again in this file: its note
        if restarted or (found and found[0] in speakers):
            if current is not None:
                current.text = "\n".join(body)
            current, body = Turn(found[0], "", index + 1, timestamp(found[1]), "note" if restarted else "message"), []
            turns.append(current)
            continue
        if current is None or _is_round(line):
            continue
        ended = _ENDED.match(line.strip()) if "has ended the conversation" in line else None
        if ended:
            ending = line.strip()
            continue
        body.append(line)
    if current is not None:
        current.text = "\n".join(body)
    return turns, ending, rounds


def _participants(headers: dict[int, tuple[str, str | None]], after_round: set[str]) -> set[str]:
    """The names whose headers start messages (see the module's docstring)."""
    if not headers:
        return set()
    counts = Counter(name for name, _ in headers.values() if name != _RUN_NAME)
    seated = {name for name in counts if seat_of(name) is not None}
    first = headers[min(headers)][0]
    # Runners name their agents in words ('Media Agent (Discord Post)'); a model's own headings shout.
    named = {name for name in counts if not _shouting(name)}
    return seated | after_round | named | {first}


def _shouting(name: str) -> bool:
    """In capitals ('TASK COMPLETED', 'FATAL ERROR: REALITY MISMATCH', 'REGISTRY v0.3'): a model's own heading."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
