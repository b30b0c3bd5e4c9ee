"""``antiphon import SRC… --to content/``: convert exports into native transcripts, one file per conversation.

File names are stable: ``YYYY-MM-DD-title-XXXXXX.md``, where XXXXXX comes from the
conversation's id in the export (or its source file and position), so importing
the same export again finds the same files. An existing file is never
overwritten unless ``--force``; one with the same content is left alone.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from generator.diagnostics import SourceError
from generator.model import Conversation
from generator.readers import SUFFIXES, native, read_file
from generator.sources import is_editor_litter
from generator.urls import slugify


def run(args) -> int:
    target: Path = args.to
    written = unchanged = refused = failed = 0
    for source in _sources(args.sources):
        try:
            result = read_file(source, str(source))
        except SourceError as err:
            print(err.diagnostic, file=sys.stderr)
            failed += 1
            continue
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        failed += any(d.level == "error" for d in result.diagnostics)
        for position, conversation in enumerate(result.conversations):
            path = target / file_name(conversation, source, position)
            text = native.write(conversation)
            if path.exists():
                if path.read_text("utf-8", errors="replace") == text:
                    unchanged += 1
                    continue
                if not args.force:
                    print(f"{path}: exists and differs; not overwritten (use --force)", file=sys.stderr)
                    refused += 1
                    continue
            target.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text(text, "utf-8")
            os.replace(temporary, path)
            written += 1
    print(f"Imported into {target}: {written} written, {unchanged} unchanged, {refused} not overwritten, "
          f"{failed} sources with errors")
    return 1 if refused or failed else 0


def _sources(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix.lower() in SUFFIXES and not is_editor_litter(found):
                    yield found
        else:
            yield path


def file_name(conversation: Conversation, source: Path, position: int) -> str:
    identity = conversation.metadata.get("Conversation id") or conversation.metadata.get("Session") \
        or f"{source.name}:{position}"
    tag = hashlib.sha1(identity.encode("utf-8")).hexdigest()[:6]
    day = f"{conversation.started:%Y-%m-%d}-" if conversation.started else ""
    return f"{day}{slugify(conversation.title)[:60].rstrip('-')}-{tag}.md"
