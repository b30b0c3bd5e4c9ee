"""Claude Code sessions as the conversation-logger plugin writes them, as text or as Markdown.

Its text log (``2026-03-04_09-12-05_<session>_conversation-log.txt``)::

    ================================================================================
    👤 USER (09:12:05):
    What the user typed
    --------------------------------------------------------------------------------
    🤖 CLAUDE [2026-03-04 09:12:31]:
    ● What Claude said.

    ● Bash(command=pytest -q)

      ⎿  12 passed
    ================================================================================

What the user gave while Claude worked comes before Claude's head, each ended by a rule: ``👤 USER
(answer):`` and the answer, or ``👤 USER (plan approved)`` alone. Earlier versions wrote ``USER:`` with
no time, under a ``[2026-03-04 09:12:05] Session: <id>`` line framed by two rules.

Its Markdown log (``…_conversation-log.md``)::

    # Conversation Log — 2026-03-05

    ---

    ## 👤 User — 14:02:11

    What the user typed

    ## 🤖 Claude — 14:02:40

    What Claude said.

    ### 🛠️ Tool: `Edit`
    > file_path=chart.py

    ````
    the tool's output
    ````

What the user gave while Claude worked is headed ``## 💬 User`` (an answer), ``## ✅ User`` (a plan
approved), ``## ❌ User`` (a tool refused) or ``## ⚡ User`` (an interruption), its kind in bold on a
quote line under the head.

A message starts only at a head where the plugin writes one: after a rule in the text log, after a
blank line in the Markdown log, never inside a tool's output (a log that a tool printed stays output).
The plugin writes clock times only: the day is the log's (its title, or its file's name), and the
next day once the clock goes back.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from generator.readers.claude_console import CLAUDE, TOOL, USER
from generator.readers.common import Turn, conversation, fenced, request_title, without_closing_rule
from generator.readers.plaintext import PREFACE

NAME = "conversation-logger"
_SOURCE = "Claude Code log (conversation-logger)"
_DATE = r"\d{4}-\d\d-\d\d"
_CLOCK = r"\d\d:\d\d:\d\d"
_NAMED_DAY = re.compile(rf"({_DATE})[_ T]")  # the file's name: '2026-03-04_09-12-05_<session>_…'

# The text log.
_EXCHANGE_RULE, _PROMPT_RULE = "=" * 80, "-" * 80
_USER_HEAD = re.compile(r"(?:👤 )?USER(?: \((?P<label>[^()\n]*)\))?(?P<colon>:?)")
_CLAUDE_HEAD = re.compile(rf"(?:🤖 )?CLAUDE \[(?P<when>{_DATE} {_CLOCK})\]:")
_SESSION_HEAD = re.compile(rf"\[(?P<when>{_DATE} {_CLOCK})\] Session: (?P<session>\S+)")
_PART = "● "
_OUTPUT = re.compile(r"  ⎿  ?")
_TOOL_CALL = re.compile(r"● (?P<call>[A-Za-z_][\w.-]*\(.*\))")
_NOT_DONE = ("Interrupted", "Tool use rejected")  # what the plugin writes in an output's place

# The Markdown log.
_MARKDOWN_TITLE = re.compile(rf"# Conversation Log(?: — (?P<day>{_DATE}))?")
_MARKDOWN_HEAD = re.compile(rf"## (?P<mark>👤|💬|✅|❌|⚡|🤖) (?P<who>User|Claude) — (?P<clock>{_CLOCK})")
_KIND_LINE = re.compile(r"> \*\*(?P<kind>[^*\n]+)\*\*(?::[ \t]*(?P<reason>.*))?")
_SESSION_LINE = re.compile(r"> Session: `(?P<session>[^`\n]*)`")
_TOOL_HEADING = re.compile(r"### 🛠\ufe0f? Tool: `(?P<name>[^`\n]*)`")
_FENCE = re.compile(r"`{3,}")


def sniff(head: str) -> bool:
    """A head of the text log after its rule (the robot's head, or the user's with its emoji: a bare
    'USER:' between rules is any framed log's), or the Markdown log's title and one of its heads."""
    head = head.lstrip("\ufeff")
    if head.lstrip().startswith("# Conversation Log"):
        lines = head.split("\n")
        title = next(line for line in lines if line.strip())
        return bool(_MARKDOWN_TITLE.fullmatch(title.strip())) and any(_MARKDOWN_HEAD.fullmatch(line.rstrip())
                                                                      for line in lines)
    if _EXCHANGE_RULE not in head:
        return False
    return any(_CLAUDE_HEAD.fullmatch(line) or line.startswith("👤 USER") and _USER_HEAD.fullmatch(line)
               for line in _after_rules(head.split("\n")))


def read(path, text, display):
    text = text.lstrip("\ufeff")
    day = _named_day(path.name)
    if text.lstrip().startswith("# Conversation Log"):
        turns, metadata, day = _markdown_turns(text.split("\n"), day)
    else:
        turns, metadata = _text_turns(text.split("\n"), day)
    title = request_title(turn.text for turn in turns if turn.speaker == USER and turn.kind == "message")
    started = datetime.combine(day, time()) if day and not any(turn.time for turn in turns) else None
    return [conversation(path, turns, title=title, started=started,
                         metadata={"Source format": _SOURCE, **metadata})], []


def _named_day(name: str) -> date | None:
    found = _NAMED_DAY.match(name)
    return _day(found[1]) if found else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Clock:
    """Times of day made whole: on the log's day, the next day once the clock goes back."""

    def __init__(self, day: date | None):
        self.day, self.last = day, None

    def at(self, clock: str) -> datetime | None:
        if self.day is None:
            return None
        try:
            when = datetime.combine(self.day, time.fromisoformat(clock))
        except ValueError:
            return None
        if self.last is not None and when < self.last:
            self.day += timedelta(days=1)
            when += timedelta(days=1)
        self.last = when
        return when

    def seen(self, when: datetime) -> None:
        """A full time the log wrote: its day is the day from then on."""
        self.day, self.last = when.date(), when


def _full_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


# -- the text log ---------------------------------------------------------------------------------

def _after_rules(lines: list[str]):
    """Each line that follows one of the plugin's rules."""
    for before, line in zip(lines, lines[1:]):
        if before.rstrip() in (_EXCHANGE_RULE, _PROMPT_RULE):
            yield line.rstrip()


def _text_turns(lines: list[str], day: date | None) -> tuple[list[Turn], dict[str, str]]:
    heads = [(at, head) for at, head in ((at, _text_head(lines[at].rstrip())) for at in range(1, len(lines))
                                         if lines[at - 1].rstrip() in (_EXCHANGE_RULE, _PROMPT_RULE)) if head]
    clock, metadata = _Clock(day), {}
    turns = _preface(lines[:heads[0][0] - 1] if heads else lines, 1)
    for number, (at, head) in enumerate(heads):
        end = heads[number + 1][0] - 1 if number + 1 < len(heads) else len(lines)  # the next head's rule
        body = without_closing_rule(lines[at + 1:end], _EXCHANGE_RULE)
        if head.re is _SESSION_HEAD:
            metadata.setdefault("Session", head["session"])
            if (when := _full_time(head["when"])) is not None:
                clock.seen(when)
            turns += _preface(body, at + 2)
        elif head.re is _CLAUDE_HEAD:
            when = _full_time(head["when"])
            if when is not None:
                clock.seen(when)
            turns += _claude_parts(body, at + 2, when)
        else:
            turns += _user_turns(head, body, at + 1, clock)
    return turns, metadata


def _text_head(line: str) -> re.Match | None:
    user = _USER_HEAD.fullmatch(line)
    if user and (user["colon"] or user["label"]):  # a follow-up with no text has a label and no colon
        return user
    return _CLAUDE_HEAD.fullmatch(line) or _SESSION_HEAD.fullmatch(line)


def _preface(lines: list[str], line: int) -> list[Turn]:
    """What the plugin did not write as a message (rules aside): kept, folded, as a context message."""
    if all(not text.strip() or text.rstrip() in (_EXCHANGE_RULE, _PROMPT_RULE, "---") for text in lines):
        return []
    return [Turn(PREFACE, "\n".join(lines).strip("\n"), line, kind="context")]


def _user_turns(head: re.Match, body: list[str], line: int, clock: _Clock) -> list[Turn]:
    label = (head["label"] or "").strip()
    when = clock.at(label) if re.fullmatch(_CLOCK, label) else None
    text = "\n".join(body).strip("\n")
    if not head["colon"]:  # a follow-up that is only its kind
        return [Turn(USER, label + ("\n\n" + text if text else ""), line, kind="note")]
    return [Turn(USER, text, line, when)] if text.strip() else []


def _claude_parts(body: list[str], line: int, when: datetime | None) -> list[Turn]:
    """Claude's answer: its words, each tool called (``● Name(…)``) and each output (``  ⎿  …`` on
    each of its lines). A part starts after a blank line, as the plugin parts them (an output also
    right under its call, as earlier versions wrote it); the mark that starts it is the plugin's."""
    turns: list[Turn] = []
    words: list[str] = []
    words_at = line
    at = 0
    while at < len(body):
        text = body[at]
        starts_part = at == 0 or not body[at - 1].strip() or bool(_TOOL_CALL.fullmatch(body[at - 1].rstrip()))
        if starts_part and _OUTPUT.match(text):
            end = at
            while end < len(body) and _OUTPUT.match(body[end]):
                end += 1
            turns += _said(words, words_at, when)
            words = []
            output = "\n".join(_OUTPUT.sub("", part, count=1) for part in body[at:end])
            turns.append(Turn(CLAUDE, output, line + at, when, kind="note") if output.startswith(_NOT_DONE)
                         else Turn(TOOL, fenced(output), line + at, when, kind="tool_result"))
            at = end
            continue
        call = _TOOL_CALL.fullmatch(text.rstrip()) if starts_part else None
        if call and (at + 1 == len(body) or not body[at + 1].strip() or _OUTPUT.match(body[at + 1])):
            turns += _said(words, words_at, when)
            words = []
            turns.append(Turn(CLAUDE, fenced(call["call"]), line + at, when, kind="tool_call"))
        elif starts_part and text.startswith(_PART):
            if not words:
                words_at = line + at
            words.append(text[len(_PART):])
        elif words or text.strip():
            if not words:
                words_at = line + at
            words.append(text)
        at += 1
    return turns + _said(words, words_at, when)


def _said(words: list[str], line: int, when: datetime | None) -> list[Turn]:
    text = "\n".join(words).strip("\n")
    return [Turn(CLAUDE, text, line, when)] if text.strip() else []


# -- the Markdown log -----------------------------------------------------------------------------

def _markdown_turns(lines: list[str], day: date | None) -> tuple[list[Turn], dict[str, str], date | None]:
    title_at = next(at for at, text in enumerate(lines) if text.strip())
    title = _MARKDOWN_TITLE.fullmatch(lines[title_at].strip())
    if title and title["day"] and (named := _day(title["day"])) is not None:
        day = named
    heads = _markdown_heads(lines, title_at + 1)
    clock, metadata = _Clock(day), {}
    turns = _preface(lines[title_at + 1:heads[0][0]] if heads else lines[title_at + 1:], title_at + 2)
    for number, (at, head) in enumerate(heads):
        end = heads[number + 1][0] if number + 1 < len(heads) else len(lines)
        body = without_closing_rule(lines[at + 1:end], "---")  # the rule the plugin writes before each request
        when = clock.at(head["clock"])
        if head["who"] == "Claude":
            turns += _claude_sections(body, at + 2, when)
        else:
            turns += _markdown_user_turns(head["mark"], body, at + 1, when, metadata)
    return turns, metadata, day


def _markdown_heads(lines: list[str], start: int) -> list[tuple[int, re.Match]]:
    """The heads, each after a blank line, none inside a tool's output (the fence after a tool's heading)."""
    heads = []
    fence, after_tool = "", False
    for at in range(start, len(lines)):
        text = lines[at].rstrip()
        if fence:
            fence = "" if text == fence else fence
            continue
        if _TOOL_HEADING.fullmatch(text):
            after_tool = True
            continue
        if after_tool and _FENCE.fullmatch(text):
            fence, after_tool = text, False
            continue
        if after_tool and text and not text.startswith("> "):
            after_tool = False
        head = _MARKDOWN_HEAD.fullmatch(text)
        if head and not lines[at - 1].strip():
            heads.append((at, head))
            after_tool = False
    return heads


def _markdown_user_turns(mark: str, body: list[str], line: int, when: datetime | None,
                         metadata: dict[str, str]) -> list[Turn]:
    turns = []
    first = body[0].rstrip() if body else ""
    if mark == "👤" and (session := _SESSION_LINE.fullmatch(first)):
        metadata.setdefault("Session", session["session"])
        body = body[1:]
    elif mark != "👤" and (kind := _KIND_LINE.fullmatch(first)):
        body = body[1:]
        if mark != "💬":  # a plan approved, a tool refused, an interruption: what happened, not words
            reason = (kind["reason"] or "").strip()
            turns.append(Turn(USER, kind["kind"] + (f": {reason}" if reason else ""), line, when, kind="note"))
    text = "\n".join(body).strip("\n")
    if text.strip():
        turns.append(Turn(USER, text, line + 1, when))
    return turns


def _claude_sections(body: list[str], line: int, when: datetime | None) -> list[Turn]:
    """Claude's answer: its words, and each tool's heading (with its parameters' quote line) and output."""
    turns: list[Turn] = []
    words: list[str] = []
    words_at = line
    at = 0
    while at < len(body):
        text = body[at].rstrip()
        tool = _TOOL_HEADING.fullmatch(text)
        if tool is None:
            kind = _KIND_LINE.fullmatch(text) if at == 0 or not body[at - 1].strip() else None
            if kind and kind["kind"] in ("Tool Rejected", "Interrupted"):
                turns += _said(words, words_at, when)
                words = []
                reason = (kind["reason"] or "").strip()
                turns.append(Turn(CLAUDE, kind["kind"] + (f": {reason}" if reason else ""), line + at, when, kind="note"))
            else:
                if not words:
                    words_at = line + at
                words.append(body[at])
            at += 1
            continue
        turns += _said(words, words_at, when)
        words = []
        parameters = ""
        if at + 1 < len(body) and body[at + 1].startswith("> "):
            parameters = body[at + 1][2:].strip()
            at += 1
        turns.append(Turn(CLAUDE, fenced(f"{tool['name']}({parameters})"), line + at, when, kind="tool_call"))
        at += 1
        while at < len(body) and not body[at].strip():
            at += 1
        if at < len(body) and _FENCE.fullmatch(fence := body[at].rstrip()):
            end = next((close for close in range(at + 1, len(body)) if body[close].rstrip() == fence), len(body))
            output = "\n".join(body[at + 1:end])
            turns.append(Turn(TOOL, fenced(output), line + at, when, kind="tool_result"))
            at = end + 1
    return turns + _said(words, words_at, when)
