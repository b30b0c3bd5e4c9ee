"""Backrooms logs: ``### Name ###`` (or ``### Name [timestamp] ###``) headers, each message's body after it.

``### Round 3/30`` lines mark structure, not text; a closing line such as
``Claude 1 has ended the conversation with ^C^C.`` becomes the conversation's end
note. A file name like ``model1_model2_template_YYYYMMDD_HHMMSS.txt`` gives
participants, template and date when the body does not.
"""

from __future__ import annotations

import re
from datetime import datetime

from generator.diagnostics import warning
from generator.readers.common import Turn, conversation
from generator.readers.jsondoc import timestamp

NAME = "backrooms"
_HEADER = re.compile(r"^###[ \t]+(?P<name>.+?)(?:[ \t]+\[(?P<time>[^\]]+)\])?[ \t]+###[ \t]*$")
_ROUND = re.compile(r"^###[ \t]+Round[ \t]+\d+(?:/(?:\d+|inf))?[ \t]*(?:###)?[ \t]*$", re.I)
_ENDED = re.compile(r"^(?P<who>.+?) has ended the conversation( with \^C\^C)?\.?[ \t]*$")
_FILE_NAME = re.compile(r"^(?P<a>[^_]+)_(?P<b>[^_]+)_(?P<template>.+)_(?P<date>\d{8})_(?P<time>\d{6})$")


def sniff(head: str) -> bool:
    return any(_HEADER.match(line) and not _ROUND.match(line) for line in head.splitlines())


def read(path, text, display):
    turns: list[Turn] = []
    diagnostics = []
    ended_by = ""
    current: Turn | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if _ROUND.match(line):
            continue
        header = _HEADER.match(line)
        if header:
            current = Turn(header.group("name").strip(), "", number, timestamp(header.group("time")))
            turns.append(current)
            continue
        ended = _ENDED.match(line.strip())
        if ended and current is not None:
            ended_by = line.strip()
            continue
        if current is not None:
            current.text += line + "\n"
    metadata = {"Source format": "Backrooms log"}
    started = None
    name = _FILE_NAME.match(path.stem)
    if name:
        metadata["Template"] = name.group("template")
        try:
            started = datetime.strptime(name.group("date") + name.group("time"), "%Y%m%d%H%M%S")
        except ValueError:
            started = None
    if ended_by:
        metadata["Ending"] = ended_by
    if not turns:
        diagnostics.append(warning(display, 1, "no '### Name ###' messages: an empty log"))
        if name:
            return [conversation(path, [], title=f"{name.group('a')} ↔ {name.group('b')}", started=started,
                                 metadata=metadata)], diagnostics
        return [], diagnostics
    return [conversation(path, turns, started=started, metadata=metadata)], diagnostics
