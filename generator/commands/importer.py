"""``antiphon import SRC… --to content/``: convert exports into native transcripts, one file per conversation.

Nothing read is lost: every conversation is written, or found already there, or
reported with the reason it was not written, and the counts add up
(``read 254 = written 246 + unchanged 8``).

File names are stable: ``YYYY-MM-DD-title-XXXXXX.md``, where XXXXXX is a hash of the
conversation's id in the export (a ChatGPT or Claude.ai id, a Claude Code session),
or else of its content; never of its position. Importing the same export again
finds the same files and writes nothing; two different conversations never get
the same name. An existing file that differs (an edit by hand) is never
overwritten unless ``--force``. Each file is checked to read back to the same
conversation before it is written.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from pathlib import Path

from generator.commands import ConfigError, config_from_args
from generator.config import Config
from generator.diagnostics import SourceError, plural
from generator.identity import Identity
from generator.model import Conversation
from generator.readers import native, read_bytes, read_file
from generator.sources import Exclusions, discover
from generator.urls import slugify


def run(args) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    outcomes: Counter = Counter()
    failed = 0
    names: dict[str, str] = {}  # file name -> the text written (or found) under it in this import
    for source, shown in _sources(args.sources, config):
        try:
            result = read_file(source, shown)
        except SourceError as err:
            print(err.diagnostic, file=sys.stderr)
            failed += 1
            continue
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        failed += any(d.level == "error" for d in result.diagnostics)
        for conversation in result.conversations:
            outcome = _import_one(conversation, args.to, names, args.force)
            outcomes[outcome] += 1
    read = sum(outcomes.values())
    parts = " + ".join(f"{outcomes[key]} {key}" for key in ("written", "unchanged", "not overwritten", "unreadable")
                       if outcomes[key] or key in ("written", "unchanged"))
    print(f"Imported into {args.to}: read {read} = {parts}; "
          f"{plural(failed, 'source')} with errors")
    return 1 if failed or outcomes["not overwritten"] or outcomes["unreadable"] else 0


def _sources(paths: list[Path], config: Config):
    """(file, shown path) for each source: files as given, folders as the build would find them."""
    for path in paths:
        if path.is_dir():
            found = discover(path, Exclusions(config.exclude, path), config.follow_symlinks)
            for diagnostic in found.notes:
                print(diagnostic, file=sys.stderr)
            for file in found.files:
                yield Path(file.path), f"{path.name}/{file.relative}"
        else:
            yield path, str(path)


def _import_one(conversation: Conversation, target: Path, names: dict[str, str], force: bool) -> str:
    text = native.write(conversation)
    if not _reads_back(conversation, text):
        print(f"{conversation.source}: '{conversation.title}' would not read back as it is; not written "
              "(please report this as an Antiphon bug)", file=sys.stderr)
        return "unreadable"
    name = file_name(conversation, names, text)
    names[name] = text
    path = target / name
    if path.exists():
        if path.read_text("utf-8", errors="replace") == text:
            return "unchanged"
        if not force:
            print(f"{path}: exists and differs; not overwritten (use --force)", file=sys.stderr)
            return "not overwritten"
    target.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
    return "written"


def _reads_back(conversation: Conversation, text: str) -> bool:
    """Does the native text read back to the same conversation (the model's own fields)?"""
    try:
        [again] = read_bytes(Path("import.md"), text.encode("utf-8"), "import.md").conversations
    except (SourceError, ValueError):
        return False
    return comparable(again) == comparable(conversation)


def comparable(conversation: Conversation) -> tuple:
    """What a conversation says, whatever file it was read from."""
    return (conversation.title, tuple(conversation.speakers), conversation.started, conversation.ended,
            tuple(conversation.tags), conversation.draft,
            tuple((m.speaker, m.text, m.time, m.kind, m.label) for m in conversation.messages))


_NAMING = Identity({}, "", False)  # titles for file names only: a run's title tells its runs apart


def file_name(conversation: Conversation, taken: dict[str, str], text: str) -> str:
    """``YYYY-MM-DD-title-XXXXXX.md``: a stable name, never one ``taken`` by a different text."""
    identity = conversation.metadata.get("Conversation id") or conversation.metadata.get("Session")
    key = identity or "content:" + "\x00".join(map(repr, comparable(conversation)))
    tag = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()
    titled = _NAMING.apply(_copy_for_naming(conversation))
    day = f"{conversation.started:%Y-%m-%d}-" if conversation.started else ""
    stem = f"{day}{slugify(titled.title)[:60].rstrip('-')}"
    for length in (6, 12, 40):
        name = f"{stem}-{tag[:length]}.md"
        if taken.get(name, text) == text:
            return name
    number = 2
    while taken.get(f"{stem}-{tag}-{number}.md", text) != text:
        number += 1
    return f"{stem}-{tag}-{number}.md"


def _copy_for_naming(conversation: Conversation) -> Conversation:
    from dataclasses import replace
    return replace(conversation, metadata=dict(conversation.metadata), tags=list(conversation.tags))
