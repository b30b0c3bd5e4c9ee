"""Plain ``Speaker: text`` transcripts (also ``**Speaker:**``, ``#### Speaker:`` as chat exporters write
it, ``**Speaker**: text``, IRC ``[12:03] <nick> text``, and a name in bold under a heading, ``## 💬 **Speaker**``, as bot
frameworks export their conversations).

A line starting with a speaker label begins a message; the lines after it belong
to that speaker. To tell speakers from ordinary colons, a label counts only if it
is short, is not a URL scheme, a time or a list item (``- Pier: …``), and the same
label starts a line at least twice (or the file has only a few labels, all of them
recurring). Where labels are headings (``#### You:``, or a role alone: ``## User``,
``### 🤖 Assistant``), only headings start messages. A heading that is a name in bold is a label when
headings written the same way (level and decoration) give two names or more, one of them again.
Exporters also write their own lines between messages: under headings, a trailing rule; and an
exchange's or turn's heading with rules and its time about it (``### Exchange 2`` then
``*07:47:21 PM*``, or ``---`` then ``### Turn 2``), which are left out of the message before when
messages end so twice or more (the time goes to the next message).
Messages that the exporter quoted whole (``> `` on every line, every message) are unquoted.
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

from generator.readers.common import Turn, conversation, opens_a_phrase, reads_as_phrase, request_title
from generator.readers.jsondoc import timestamp
from generator.readers.runs import MOST_SEATS, model_name, routed_model, run_name, seat_names, seat_of

NAME = "plaintext"
_TIME = r"(?:\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\]|(?P<bare>\d{1,2}:\d{2}:\d{2}))"
# A name in bold may follow an emoji ('🧑‍💻 **user:**', '🤖 **model:**', as a chat formatter writes them).
_EMOJI = r"[^\x00-\x7f\w\s]{1,8}[ \t]*(?=\*\*)"
_LABEL = re.compile(rf"^(?:{_TIME}[ \t]+)?(?P<heading>#{{1,6}}[ \t]+)?(?:(?:{_EMOJI})?\*\*(?P<bold>[^*:\n]{{1,40}}):\*\*|"
                    rf"(?:{_EMOJI})?\*\*(?P<outer>[^*\n]{{1,40}}?)\*\*:|(?P<name>[^\s:<>*\[\]][^:<>\n]{{0,39}}?):)(?:[ \t]+|$)(?P<rest>.*)$")
# '<nick> text': a space and text after the nick, and no '/', '!' or '?' first, so that a model's
# HTML ('<div>', '<div>Hello</div>', '</div>', '<!-- … -->') names no one.
_IRC = re.compile(rf"^(?:{_TIME}[ \t]+)?<(?P<nick>[^>\s/!?][^>\s]{{0,31}})>[ \t]+(?P<rest>\S.*)$")
PREFACE = "Preface"  # who the text before the first speaker is shown as (a folded context message)
_NOT_SPEAKERS = {"http", "https", "ftp", "mailto", "file", "note", "warning", "error", "todo", "p.s", "ps"}
# A heading that is only a chat role, as chat exporters head messages ('## User', '### 🤖 Assistant').
_ROLE_HEADING = re.compile(r"^#{1,6}[ \t]+(?:[^\w\s]{1,4}[ \t]*)?(?P<role>User|You|Human|Me|Assistant|AI|ChatGPT|Claude|"
                           r"Gemini|Bard|Copilot|Bot|System)[ \t]*:?[ \t]*$", re.IGNORECASE)
# A heading that is a name in bold ('## 💬 **Dotty**'): its shape is what comes before the name.
_BOLD_HEADING = re.compile(r"^(?P<shape>#{1,6}[ \t]+(?:[^\w\s*]{1,4}[ \t]*)?\*\*)(?P<name>[^*:\n]{1,40}?)\*\*[ \t]*:?[ \t]*$")
_SYSTEM = re.compile(r"system(?: prompt)?", re.IGNORECASE)  # an exporter's heading over the prompt: a note
# A name in bold and when the message was sent, alone on its line ('**Human** - 2024-07-19 02:14:10 UTC'),
# as an exporter of Claude's chats heads each message: a heading of its own shape (see _label).
_STAMPED_NAME = re.compile(r"\*\*(?P<name>[^*:\n]{1,40}?)\*\*[ \t]+[-–—][ \t]+(?P<when>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}"
                           r"(?::\d{2}(?:\.\d{1,6})?)?(?:[ \t]*UTC|Z|[+-]\d{2}:?\d{2})?)[ \t]*")
STAMPED = "**-"  # the shape of such a line
# An exporter's 'Created: 2024-07-19 02:14:01 UTC' lines under the title, up to its rule.
_PLAIN_FIELD = re.compile(r"(?P<key>[A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}):[ \t]+(?P<value>\S.*)")
# What an exporter writes after a message, before the next: an exchange's or turn's heading, with
# rules, blank lines and its time in italics about it (see _without_exchange_tails). Looked for in a
# message's last characters only.
_CLOCK_LINE = r"[*_](?P<{}>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[ \t]*[AaPp][Mm])?)[*_][ \t]*\n"
_EXCHANGE_TAIL = re.compile(r"\n(?:[ \t]*\n|---[ \t]*\n|" + _CLOCK_LINE.format("before") + r")*(?P<heading>#{1,6}[ \t]+[^\n]*)\n"
                            r"(?:[ \t]*\n|---[ \t]*\n|" + _CLOCK_LINE.format("after") + r")*\Z")
_TAIL_CHARS = 600
_HTML_TAG = re.compile(r"<[^<>\n]*>")
_WORDS_AFTER_NUMBER = re.compile(r"\d[^\n\d]*?[^\W\d_]")  # a letter after a number: a heading's own words
_SELF_LINK = re.compile(r"\[([^\]\s]+)\]\(([^()\s]+)\)")
_FRONT_MATTER_LINES = 102  # (its fields and its two rules, as _FRONT_MATTER takes them)
_ITALIC_DATE = re.compile(r"\s*([*_])(?P<when>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\1[ \t]*(?:\n[ \t]*)*"
                          r"(?:---[ \t]*(?:\n|\Z))?")
_BOLD_FIELD = re.compile(r"\*\*([^*:\n]{1,40})(?::\*\*|\*\*:)[ \t]*(.*)")  # '**Date:** 2025-10-20' under the title
_FRONT_MATTER = re.compile(r"---[ \t]*\n((?:[^\n]*\n){0,100}?)---[ \t]*(?:\n|$)")
_DATE_KEYS = ("date", "created", "create_time", "created_at", "timestamp")
_TRAILING_RULE = re.compile(r"\n[ \t]*---[ \t]*\n\s*\Z")
_EXPORTER_FOOTER = re.compile(r"\n\s*---[ \t]*\nPowered by \[(?P<name>[^\]\n]+)\]\((?P<url>[^()\s]+)\)[ \t]*\s*\Z")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \t]*([AaPp][Mm]))?")
_CLOCK_NAME = re.compile(r"[\d: ]+(?:[AaPp]\.?[Mm]\.?)?")  # a diary's '**08:23 AM:**' is a time, not a speaker
_LIST_ITEM = re.compile(r"(?:[-+•]|\d{1,3}[.)])\s")  # '- Pier: …' is a list the model wrote, not a speaker
# A chat copied from its web page: 'You said' (Gemini) or 'You said:' (ChatGPT) alone on a line heads
# the user's message, and the assistant's is headed the same way ('Gemini said', 'ChatGPT said:'), in
# a copy kept as Markdown as a heading ('## ChatGPT said:').
_SAID_LINE = re.compile(r"(?:#{1,6}[ \t]+)?(?P<name>[A-Z][\w.\-]{0,24}(?: [A-Z0-9][\w.\-]{0,24}){0,2}) said:?[ \t]*")
SAID = "said"  # the shape of such a label (see _label)
_PRONOUNS = {"He", "She", "It", "They", "We", "I", "Someone", "Nobody", "Everyone"}
_COPIED_FROM = re.compile(r"\s*(?P<line>Conversation with [^\n]{1,40}?)[ \t]*(?:\n|\Z)")  # Gemini's first line


def _labels(lines: list[str]) -> list:
    """Each line's label (see _label), or None; a name in bold under a heading is one only when
    headings of its shape give two names or more, one of them twice (a document's '## **Usage**' is not)."""
    labels = [_label(line) for line in lines]
    # A name that labels lines only inside code blocks ('Kitty 1: meow' in the art a model drew, a
    # config's 'version:') is no speaker; a speaker's name keeps every line it starts, for a fence
    # left open in one message would otherwise hide the messages after it.
    coded = {number for start, end in _fenced_code(lines) for number in range(start, end)}
    outside = {found[0] for number, found in enumerate(labels) if found and number not in coded}
    labels = [found if found is None or found[0] in outside else None for found in labels]
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("# "):
        labels[first] = None  # '# Conversation: Ada & Echo' is the title
    # Front matter's fields ('model: undefined') are the file's, not a speaker's.
    head = "\n".join(lines[:_FRONT_MATTER_LINES])
    fields_end = head.count("\n", 0, len(head) - len(front_matter(head)[1]))
    labels[:fields_end] = [None] * fields_end
    shapes: dict[str, Counter] = {}
    for found in labels:
        if found and found[3].endswith("**"):
            shapes.setdefault(found[3], Counter())[found[0]] += 1
    unqualified = {shape for shape, names in shapes.items() if len(names) < 2 or max(names.values()) < 2}
    heads = _copied_chat_heads(labels)
    if heads is not None:  # only they start messages: 'Layer 1:' in ChatGPT's answer is its text
        return [found if found and (found[3] == SAID or found[0] in heads) else None for found in labels]
    if any(found and found[3] == SAID for found in labels):
        unqualified.add(SAID)  # 'Gemini said' outside a copied chat is a line of a story
    return [None if found and found[3] in unqualified else found for found in labels]


def _copied_chat_heads(labels: list) -> set[str] | None:
    """In a chat copied from its web page, the names that head the person's messages beside the
    'X said' lines (none, where 'You said' does; a hand-kept copy may label them 'user:' instead);
    None when the text is no such copy: 'You said' and another's 'said', or a person's role and an
    assistant's 'said' ('ChatGPT said:')."""
    said = {found[0] for found in labels if found and found[3] == SAID}
    if "You" in said and len(said) >= 2:
        return set()
    plain = {found[0] for found in labels if found and found[3] != SAID}
    person = {name for name in plain if name.lower() in _PERSON_ROLES}
    # (where an assistant's role labels lines too, as 'Assistant:', a 'ChatGPT said' is a line it wrote)
    if (person and any(name.lower() in _ASSISTANT_ROLES for name in said)
            and not any(name.lower() in _ASSISTANT_ROLES for name in plain)):
        return person
    return None


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _fenced_code(lines: list[str]) -> list[tuple[int, int]]:
    """The line ranges of fenced code blocks that are closed (a fence left open, as a cut-off answer
    leaves it, holds nothing: the labels after it still start messages)."""
    blocks, opened = [], None
    for number, line in enumerate(lines):
        if not line.lstrip(" ").startswith(("```", "~~~")):
            continue
        fence = _FENCE.match(line)
        if fence is None:
            continue
        if opened is None:
            opened = (number, fence.group(1))
        elif fence.group(1)[0] == opened[1][0] and len(fence.group(1)) >= len(opened[1]) and not line[fence.end():].strip():
            blocks.append((opened[0], number + 1))
            opened = None
    return blocks


def _label(line: str):
    """(name, clock, the rest of the line, the heading's shape or "") when the line starts a message."""
    role = _ROLE_HEADING.match(line)
    if role:
        return role.group("role"), None, "", "#"
    stamped = _STAMPED_NAME.fullmatch(line) if line.startswith("**") else None
    if stamped and stamped.group("name").strip():
        return stamped.group("name").strip(), stamped.group("when"), "", STAMPED
    bold = _BOLD_HEADING.match(line)
    if bold and bold.group("name").strip() and bold.group("name").strip().lower() not in _NOT_SPEAKERS:
        return bold.group("name").strip(), None, "", bold.group("shape")
    said = _SAID_LINE.fullmatch(line) if " said" in line else None  # a test in C first: every line is asked
    if said and not _told(said.group("name")):
        return said.group("name"), None, "", SAID
    match = _IRC.match(line) or _LABEL.match(line)
    if not match:
        return None
    found = match.groupdict()
    # An IRC nick without its channel mode ('<@gull>', '<+tern>'): the same person before and after op.
    nick = (found.get("nick") or "").lstrip("@+%~&")
    name = (nick or found.get("bold") or found.get("outer") or found.get("name") or "").strip()
    if (not name or name.lower() in _NOT_SPEAKERS or _CLOCK_NAME.fullmatch(name) or len(name.split()) > 4
            or _LIST_ITEM.match(name) or name.count('"') % 2):  # 'echo "key: value"' is a command
        return None
    heading = bool(match.groupdict().get("heading"))
    if heading and match.group("rest").strip():
        return None  # '### Dream & Aetheris: a subtitle' heads a section; exporters write '#### You:' alone
    return name, match.group("time") or match.group("bare"), match.group("rest"), "#" if heading else ""


def _told(name: str) -> bool:
    """Whether 'NAME said' tells of someone rather than heads a message ('He said', 'When I said')."""
    words = name.split()
    return any(word in _PRONOUNS for word in words) or opens_a_phrase(words[0])


def sniff(head: str) -> bool:
    lines = head.split("\n")
    found_on = _labels(lines)
    if _stamped_export(lines, found_on):  # before the document checks: the model's 'Step 1:' is its text
        return True
    labels = [found for found in found_on if found]
    counts = Counter(found[0] for found in labels)
    if len(counts) >= 2 and _copied_chat_heads(found_on) is not None:  # one exchange is a chat already
        return True
    # One exchange: the labels after it ('**What becomes impossible:**' in the answer) are its text.
    if _one_exchange_of_roles(found_on) and not _mostly_before_first_label(lines, found_on):
        return True
    if _named_by_title(lines, counts):  # '# Claude Opus ↔ GLM 5' over '**Claude:**' and '**GLM 5:**'
        return True
    if (_sections(Counter(found[0] for found in labels if not found[3])) or _fields_under_headings(lines, found_on)
            or _titled_document(lines, found_on)):
        return False
    recurring = [name for name, count in counts.items() if count >= 2]
    if len(recurring) >= 2:
        return True
    if len(recurring) == 1 and counts[recurring[0]] >= 3:  # a summary's '**Overall:**' twice is no monologue
        return not _mostly_before_first_label(lines, found_on)
    headed = Counter(found[0] for found in labels if found[3])
    if len(headed) >= 2 and _headings_name_speakers(headed):  # one exchange under two speakers' headings
        return True
    first = next((line for line in lines if line.strip()), "")
    found = _label(first)  # a run's log of one turn: 'Claude 1:' alone on the first line
    return found is not None and not found[2].strip() and seat_of(found[0]) is not None


def _seats(labels: list, counts: Counter, models: int) -> set[str]:
    """The labels that are a run's seats ('Claude 1', 'O1 2'): for each seat number the label that
    starts the most lines, when it starts at least a quarter as many as the busiest seat. Where the
    file name gives two models or more, a seat past them must be named as one of theirs ('Claude 3'
    beside 'Claude 1'). A model's own numbered lines ('**Day 5:**' in a diary it writes, 'Room 3: The
    Quiet Stair' in a list) are its text, and 'Day 1' is not the first seat."""
    by_number: dict[int, str] = {}
    for found in labels:
        seat = seat_of(found[0]) if found else None
        if seat is not None and (seat[1] not in by_number or counts[found[0]] > counts[by_number[seat[1]]]):
            by_number[seat[1]] = found[0]
    if models >= 2:
        stems = {seat_of(name)[0] for number, name in by_number.items() if number <= models}
        by_number = {number: name for number, name in by_number.items()
                     if number <= models or seat_of(name)[0] in stems}
    if len(by_number) > MOST_SEATS:  # 'PROMPT 1:' to 'PROMPT 84:', a numbered list a model wrote
        return set()
    busiest = max((counts[name] for name in by_number.values()), default=0)
    return {name for name in by_number.values() if 4 * counts[name] >= busiest}


_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(\S.*)")


def _titled_document(lines: list[str], labels: list) -> bool:
    """Whether the text opens as a Markdown document does: a '# Title', '**Date:**' fields under it,
    then text without a label up to its first rule, and after that a section's heading ('## What Was
    Removed'). Its '**Status:**' and '**Risk:**' lines are its fields, not a chat. A run's report
    opens so too, but its turns start before the first rule ('**tern-small**: …'), and a bot
    framework's export heads its messages with names ('## 💬 **Wren**') or roles ('## User')."""
    if any(found and (found[3].endswith("**") or _ROLE_HEADING.match(line)) for line, found in zip(lines, labels)):
        return False
    filled = [number for number, line in enumerate(lines) if line.strip()]
    if len(filled) < 3 or not lines[filled[0]].startswith("# ") or not _BOLD_FIELD.match(lines[filled[1]]):
        return False
    fields_end = next((number for number in filled[1:] if not _BOLD_FIELD.match(lines[number])), None)
    rule = next((number for number in filled if lines[number].strip() == "---"), None)
    if fields_end is None or rule is None or any(labels[number] for number in range(fields_end, rule)):
        return False
    after = next((number for number in filled if number > rule), None)
    return after is not None and _MARKDOWN_HEADING.fullmatch(lines[after].strip()) is not None and labels[after] is None


def _fields_under_headings(lines: list[str], labels: list) -> bool:
    """Whether the text is a document whose sections each open with a field: '### Empty content'
    then '**Decision**: show "(No content)"' and '**Rationale**:'. A third or more of its labels
    (three at least) come right after a heading, each heading another. An exporter's headings
    between messages ('### Exchange 2', '### Turn 3') differ only in their numbers, and a chat's
    message seldom ends with a heading."""
    plain = under = 0
    headings: set[str] = set()
    for number, found in enumerate(labels):
        if not found or found[3]:
            continue
        plain += 1
        before = number - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        heading = _MARKDOWN_HEADING.fullmatch(lines[before].strip()) if before >= 0 else None
        if heading:
            under += 1
            headings.add(re.sub(r"\d+", "#", heading.group(1)))
    return under >= 3 and 3 * under >= plain and len(headings) == under


def _sections(counts: Counter) -> bool:
    """Whether the labels that recur ('**Key Actions & Decisions:**', '**Outcome of the Session:**') are
    mostly phrases, as a report's sections are named, rather than names: a summary written in sections
    (one per session it sums up) is no chat between its headings. A model's '**Pros & Cons:**' in a
    chat is outnumbered by the speakers' labels."""
    recurring = {name: count for name, count in counts.items() if count >= 2}
    phrases = sum(count for name, count in recurring.items() if reads_as_phrase(name))
    return phrases >= 4 and 2 * phrases >= sum(recurring.values())


def _headings_name_speakers(headed: Counter) -> bool:
    """Whether the names that headings give (how often each) are speakers: two (one exchange), or
    one that comes again. More than two, none of them again, are a document's sections
    ('### What Was Done:', '### Next Steps:'), as an assistant writes them in its answer."""
    return len(headed) == 2 or any(count >= 2 for count in headed.values())


def _mostly_before_first_label(lines: list[str], labels: list) -> bool:
    """Whether most of the text's lines come before its first label. With one speaker only, that is
    a document with a recurring bold field ('**Start here:** [a link]' under each section of a
    folder's index), not a chat: a one-speaker log starts with its speaker."""
    first = next(number for number, found in enumerate(labels) if found)
    before = sum(1 for line in lines[:first] if line.strip())
    return before > sum(1 for line in lines[first:] if line.strip())


# Names a chat gives the person and the assistant by their roles (or the initials 'H' and 'A').
_PERSON_ROLES = {"user", "you", "human", "me", "h"}
_ASSISTANT_ROLES = {"assistant", "ai", "chatgpt", "claude", "gemini", "bard", "copilot", "bot", "a"}
_ROLES = _PERSON_ROLES | _ASSISTANT_ROLES


def _turns_of_two_roles(labels: list) -> bool:
    """Whether a person's role and an assistant's ('You', 'Claude') label the first message (the
    first label that recurs: a header's '**Model:**' comes once) and others, and take turns strictly:
    one after the other, never twice in a row. A run of models ('Claude', 'GPT-4o', 'Gemini') does
    not; nor does a document or another chat quoting one."""
    counts = Counter(found[0] for found in labels if found)
    first = next((found[0] for found in labels if found and counts[found[0]] >= 2), "")  # past the fields
    roles = [found[0] for found in labels if found and found[0].lower() in _ROLES]
    kinds = {name.lower() in _PERSON_ROLES for name in set(roles)}
    return (first.lower() in _ROLES and len(set(roles)) == 2 and kinds == {True, False} and len(roles) >= 4
            and all(one != other for one, other in zip(roles, roles[1:])))


def _named_by_title(lines: list[str], counts: Counter) -> set[str]:
    """The labels that a title naming the participants ('# Vibetest: Claude Opus 4.6 ↔ GLM 5', as the
    native format writes it) names, when two or more of them recur and they start most of the
    labelled lines ('Claude', 'GLM 5'): the speakers, whatever headings they are under (a heading for
    each round of the talk); the labels they write ("**Here's what I notice:**") are their text."""
    first = next((line for line in lines if line.strip()), "")
    if not first.startswith("# ") or "↔" not in first:
        return set()
    sides = [side.lower() for side in first[2:].split("↔")]
    named = {name for name, count in counts.items()  # (the test in C first: most labels are in no side)
             if count >= 2 and any(name.lower() in side and _as_words(name.lower()).search(side) for side in sides)}
    enough = len(named) >= 2 and 2 * sum(counts[name] for name in named) > sum(counts.values())
    return named if enough else set()


def _as_words(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _one_exchange_of_roles(labels: list) -> bool:
    """Whether the labels are one exchange: a person's role, then an assistant's, each alone on its
    line ('**USER:**', '**ASSISTANT:**'), as a script that saves each call to a model writes it. No
    other label comes before the person's; a label after the assistant's is its text."""
    found = [label for label in labels if label]
    roles = [label for label in found if label[0].lower() in _ROLES]
    if len(roles) != 2 or found[0] is not roles[0]:
        return False
    person, assistant = roles
    return (person[0].lower() in _PERSON_ROLES and assistant[0].lower() in _ASSISTANT_ROLES
            and not person[2].strip() and not assistant[2].strip())


def _stamped_export(lines: list[str], labels: list) -> bool:
    """Whether an exporter heads the messages with stamped names ('**Human** - 2024-07-19 02:14:10
    UTC'): two names, or one again, or one after the rule that ends the header (a first message
    longer than what is sniffed, or a chat of one message)."""
    stamped = [number for number, found in enumerate(labels) if found and found[3] == STAMPED]
    if _headings_name_speakers(Counter(labels[number][0] for number in stamped)):
        return True
    before = [line for line in lines[:stamped[0]] if line.strip()] if stamped else []
    return bool(before) and before[-1].strip() == "---"


def read(path, text, display):
    text_lines = text.split("\n")
    labels = _labels(text_lines)
    if _stamped_export(text_lines, labels):
        # Only the exporter's stamped names start messages: a '### If you use bash:' the model wrote
        # stays in its answer.
        labels = [found if found and found[3] == STAMPED else None for found in labels]
    counts = Counter(found[0] for found in labels if found)
    # A copied chat's 'You said' lines start its messages: a 'Phase 1:' the model wrote is no seat of a run.
    heads = _copied_chat_heads(labels)
    copied = heads is not None
    named = set() if copied else _named_by_title(text_lines, counts)
    if named:
        labels = [found if found and found[0] in named else None for found in labels]
        counts = Counter(found[0] for found in labels if found)
    elif not copied and (_turns_of_two_roles(labels) or _one_exchange_of_roles(labels)):
        # A person's chat with an assistant ('You:', 'Claude:'): the other labels are what the
        # assistant wrote ('ETYMOLOGIST:' in a scene it plays, 'Analogy:' in an answer).
        labels = [found if found and found[0].lower() in _ROLES else None for found in labels]
        counts = Counter(found[0] for found in labels if found)
    run = run_name(path)
    seats = set() if copied or named else _seats(labels, counts, len(run.models) if run is not None else 0)
    # A run's seats speak more than any other label recurs; where 'User:' and 'Assistant:' say more,
    # a 'Step 1:' is the assistant's list, neither a seat nor a speaker.
    others = sum(count for name, count in counts.items() if name not in seats and count >= 2)
    seated = seats if sum(counts[name] for name in seats) >= others else set()
    # Chat exporters head each message ('#### You:'): then only such headings start messages, and a
    # 'Note:' line the model wrote stays in its message.
    headed = Counter(found[0] for found in labels if found and found[3])
    by_heading = not seated and _headings_name_speakers(headed)
    if copied:  # only its 'You said' lines (and a person's role) start messages, as _labels left them
        speakers = {found[0] for found in labels if found}
    elif seated or by_heading:
        speakers = seated or set(headed)
    else:
        speakers = {name for name, count in counts.items() if count >= 2 and name not in seats} or set(counts)
        # A section the model names in its answers ('**Pros & Cons:**') is its text, beside names that speak.
        speakers = {name for name in speakers if not reads_as_phrase(name)} or speakers
    turns: list[Turn] = []
    preface = Turn(PREFACE, "", 1, None, "context")  # what comes before the first speaker
    lines: list[list[str]] = [[]]  # each turn's, the preface's first: joined once (+= on each is quadratic)
    for number, (line, found) in enumerate(zip(text_lines, labels), start=1):
        if found and found[0] in speakers and (found[3] or not by_heading):
            name, clock, rest, _ = found
            turns.append(Turn(name, "", number, _stamp(clock) if found[3] == STAMPED else _clock(clock)))
            lines.append([rest])
        else:
            lines[-1].append(line)
    for turn, said in zip([preface] + turns, lines):
        turn.text = "".join(part + "\n" for part in said)
        if by_heading and turn is not preface:  # the exporter's rule between messages, not the model's
            turn.text = _TRAILING_RULE.sub("\n", turn.text)
    if not by_heading:
        _without_separating_rules(turns)
    _without_exchange_tails([preface] + turns)
    if by_heading:
        _unquoted(turns)
        _times_on_top(turns)
        for turn in turns:
            if _SYSTEM.fullmatch(turn.speaker):
                turn.kind = "note"
    fields, preface.text = front_matter(preface.text)
    title = fields.pop("title", "")
    heading = re.match(r"\s*# +(\S[^\n]*)\n?", preface.text)
    if heading:  # an export's '# Title' line
        title, preface.text = title or heading.group(1), preface.text[heading.end():]
        # '**Date:** …' lines under it (or 'Created: …' up to a rule), as well as front matter or
        # instead: the exporter's, under the title, say what the chat was; front matter may be a
        # notes app's (when the file was made).
        under, preface.text = _bold_fields(preface.text)
        if not under:
            under, preface.text = _plain_fields(preface.text)
        if not under:
            under, preface.text = _italic_date(preface.text)
        fields.update(under)
    if "date" in fields and "time" in fields and timestamp(f"{fields['date']} {fields['time']}") is not None:
        fields["date"] = f"{fields['date']} {fields.pop('time')}"
    # A date in a form not read ('6/7/2026 11:58:31': June or July?) stays with the other fields.
    started = None
    # Messages that say when each was sent say when the chat started (see conversation()): a date in
    # the fields says it only for messages that do not.
    dated = any(turn.time is not None and turn.time.year > 1900 for turn in turns)
    for key in () if dated else _DATE_KEYS:
        if (started := _stamp(fields.get(key, ""))) is not None:
            del fields[key]
            break
    if by_heading and set(headed) == {"Prompt", "Response"}:  # a browser extension's export of a chat
        answering = _assistant_at(fields.get("link", ""))
        for turn in turns:
            turn.speaker = {"Prompt": "User", "Response": answering}.get(turn.speaker, turn.speaker)
        # The extension signs the file under the last answer: the signature goes to the metadata.
        footer = _EXPORTER_FOOTER.search(turns[-1].text) if turns else None
        if footer:
            turns[-1].text = turns[-1].text[:footer.start()] + "\n"
            fields["exported with"] = f"{footer['name']} ({footer['url']})"
    _assistant_named(title, turns, fields)
    source_format = "plain text"
    people = {"You"} | (heads or set())
    if copied:
        source_format = _copied_chat(preface, turns, people)
    if preface.text.strip():
        turns.insert(0, preface)
    if copied:
        title = title or request_title(turn.text for turn in turns if turn.speaker in people and turn.kind == "message")
    metadata = {"Source format": source_format, **{key if key.isupper() else key.replace("_", " ").capitalize(): value for key, value in fields.items()}}
    run = run if seated else None
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


def _copied_chat(preface: Turn, turns: list[Turn], people: set[str]) -> str:
    """The source format of a chat copied from its web page (see _SAID_LINE), whose first line may say where
    ('Conversation with Gemini'). Text before the first label, when that is the assistant's, is the
    user's first message (``people``: the names the person's messages go by), the start of which was
    copied without its 'You said'."""
    source_format = "plain text"
    top = _COPIED_FROM.match(preface.text)
    if top:
        source_format = f"plain text ({top.group('line')})"
        preface.text = preface.text[top.end():]
    if preface.text.strip() and turns and turns[0].speaker not in people:
        preface.speaker, preface.kind = "You", "message"
    return source_format


def _times_on_top(turns: list[Turn]) -> None:
    """An exporter's time on the first line of every message ('2026/6/7 11:58:28'), two messages or
    more: each message's time, not its text."""
    found = [_TIME_ON_TOP.match(turn.text) for turn in turns]
    if len(turns) < 2 or not all(found):
        return
    try:
        times = [_time_on_top(top) for top in found]
    except ValueError:  # 2026/2/30: not a time after all
        return
    for turn, top, time in zip(turns, found, times):
        turn.time, turn.text = time, turn.text[top.end():]


def _time_on_top(top: re.Match) -> datetime:
    """The time a _TIME_ON_TOP match gives (ValueError when there is no such day)."""
    if top.group("date"):
        return datetime(*map(int, top.group("date").split("/")), *map(int, top.group("clock").split(":")))
    month, day, year = map(int, top.group("us_date").split("/"))
    hour, minute, *second = map(int, top.group("us_clock").split(":"))
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} on a 12-hour clock")
    return datetime(year, month, day, hour % 12 + (12 if top.group("half") == "PM" else 0), minute, *second)


# As the extension writes it in the browser's language: '2026/6/7 11:58:28', or in American English
# '8/13/2026, 4:51:45 PM' (month first: a comma and AM or PM are that locale's alone).
_TIME_ON_TOP = re.compile(r"[ \t]*\n?(?:(?P<date>\d{4}/(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])) "
                          r"(?P<clock>(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)"
                          r"|(?P<us_date>(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])/\d{4}), "
                          r"(?P<us_clock>1?\d:[0-5]\d(?::[0-5]\d)?) (?P<half>AM|PM))[ \t]*\n(?:[ \t]*\n)*")
# Who answers in a chat exported with its page's link ('**Link:** https://chatgpt.com/c/…').
_ASSISTANTS = {"chatgpt.com": "ChatGPT", "chat.openai.com": "ChatGPT", "claude.ai": "Claude",
               "gemini.google.com": "Gemini", "grok.com": "Grok", "chat.deepseek.com": "DeepSeek"}


def _assistant_at(link: str) -> str:
    host = re.search(r"https?://([^/\s\])]+)", link)
    return _ASSISTANTS.get(host.group(1).lower(), "Assistant") if host else "Assistant"


def _assistant_named(title: str, turns: list[Turn], fields: dict[str, str]) -> None:
    """In a chat of a person's role and an assistant's ('USER', 'ASSISTANT'), the assistant is the model
    the title names by its OpenRouter id ('Voice Conversation: z-ai/glm-4.7'), as a script that saves
    each call writes it: the model speaks, its role is the label."""
    spoken = {turn.speaker.lower() for turn in turns if turn.kind == "message"}
    assistant = spoken & _UNNAMED_ASSISTANTS
    model = routed_model(title) if len(spoken) == 2 and assistant and spoken - assistant <= _PERSON_ROLES else None
    if model is None:
        return
    for turn in turns:
        if turn.speaker.lower() in assistant:
            turn.label, turn.speaker = turn.speaker, model_name(model)
    fields.setdefault("model", model)


_UNNAMED_ASSISTANTS = {"assistant", "ai", "bot", "a"}


def _without_separating_rules(turns: list[Turn]) -> None:
    """Leave out the rule after each message ('---'), when every message before the last ends with
    one: the exporter's line between messages, not the text's own (a model's closing rule in one
    answer stays)."""
    if len(turns) < 2 or not all(_TRAILING_RULE.search(turn.text) for turn in turns[:-1]):
        return
    for turn in turns:
        turn.text = _TRAILING_RULE.sub("\n", turn.text)


def _without_exchange_tails(turns: list[Turn]) -> None:
    """Leave out what the exporter wrote after each message (see _EXCHANGE_TAIL), when two messages
    or more end so, the preface counted (else the heading is the model's); the time it gives is the
    next message's, and so is a heading that says more than its number ('## Round 2 — On Prisms'),
    which opens the next message."""
    tails = [_EXCHANGE_TAIL.search("\n" + turn.text[-_TAIL_CHARS:]) for turn in turns]
    if sum(1 for tail in tails if tail) < 2:
        return
    for position, (turn, tail) in enumerate(zip(turns, tails)):
        if tail is None:
            continue
        cut = len(turn.text) - (len(tail.group(0)) - 1)  # the match began at the newline added before
        turn.text = turn.text[:max(cut, 0)] + "\n"
        following = turns[position + 1] if position + 1 < len(turns) else None
        if following is not None and following.time is None:
            following.time = _clock(tail.group("after") or tail.group("before"))
        if _WORDS_AFTER_NUMBER.search(_HTML_TAG.sub("", tail.group("heading"))):  # not '<a name="pair2">
            if following is None:
                turn.text += "\n" + tail.group("heading") + "\n"  # nothing follows: it stays where it was
            else:
                following.text = tail.group("heading") + "\n\n" + following.text.lstrip("\n")


def _unquoted(turns: list[Turn]) -> None:
    """Every message quoted whole ('> ' on every line) is the exporter's way: the quotes go."""
    if len(turns) < 2 or not all(_quoted_whole(turn.text) for turn in turns):
        return
    for turn in turns:
        turn.text = "\n".join(line.lstrip(" ")[1:].removeprefix(" ") if line.strip() else line
                              for line in turn.text.split("\n"))


def _quoted_whole(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(line.lstrip(" ").startswith(">") for line in lines)


def _bold_fields(text: str) -> tuple[dict[str, str], str]:
    """The '**Key:** value' lines at the start of ``text`` (blank lines between), and the text after
    them and the rule that ends them, if one does."""
    fields, lines = {}, text.split("\n")
    end = 0
    for number, line in enumerate(lines):
        found = _BOLD_FIELD.fullmatch(line.strip())
        if found and found.group(2).strip():
            value = found.group(2).strip()
            link = _SELF_LINK.fullmatch(value)  # '[https://…](https://…)', as exporters write a link
            fields[found.group(1).strip().lower()] = link.group(1) if link and link.group(1) == link.group(2) else value
            end = number + 1
        elif line.strip():
            if fields and line.strip() == "---":
                end = number + 1
            break
    return fields, "\n".join(lines[end:])


def _plain_fields(text: str) -> tuple[dict[str, str], str]:
    """The 'Key: value' lines at the start of ``text`` (blank lines between), when a rule ends them,
    and the text after the rule; else nothing and the text itself (a chat's first 'Ada: hello')."""
    fields, lines = {}, text.split("\n")
    for number, line in enumerate(lines):
        found = _PLAIN_FIELD.fullmatch(line.strip())
        if found:
            key = found.group("key")
            fields[key if key.isupper() else key.lower()] = found.group("value").strip()  # 'UUID' stays so
        elif line.strip() == "---" and fields:
            return fields, "\n".join(lines[number + 1:])
        elif line.strip():
            break
    return {}, text


def _italic_date(text: str) -> tuple[dict[str, str], str]:
    """A date and time alone in italics at the start of ``text`` ('*2025-12-27 20:12:18*', as a
    script that saves its calls writes it under the title), and the text after it and the rule that
    ends the header, if one does; else nothing and the text itself."""
    found = _ITALIC_DATE.match(text)
    if found is None or _stamp(found.group("when")) is None:
        return {}, text
    return {"date": found.group("when")}, text[found.end():]


def _stamp(value: str) -> datetime | None:
    """A date and time as exporters write them ('2024-07-19 02:14:10 UTC', '2025-08-05T12:38:44Z')."""
    return timestamp(value[:-3].rstrip() + "+00:00" if value.endswith("UTC") else value)


def front_matter(text: str) -> tuple[dict[str, str], str]:
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
    """A clock time ('12:03', '12:03:44', '07:47:11 PM') on 1900-01-01, or None."""
    found = _CLOCK.fullmatch(value or "")
    if found is None:
        return None
    hours, minutes, seconds, noon = found.groups()
    hours, minutes, seconds = int(hours), int(minutes), int(seconds or 0)
    if noon:
        hours = hours % 12 + (12 if noon.upper() == "PM" else 0)
    return datetime(1900, 1, 1, hours % 24, minutes, seconds) if minutes < 60 and seconds < 60 else None
