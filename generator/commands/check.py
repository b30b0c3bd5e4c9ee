"""``antiphon check [DIR]``: read every source and report per file, without writing a site."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.commands import ConfigError, config_from_args
from generator.diagnostics import SourceError
from generator.readers import read_file
from generator.sources import ContentError, discover


def run(args) -> int:
    try:
        folder = args.directory.resolve() if args.directory else config_from_args(args).content_path
        files = discover(folder)
    except (ConfigError, ContentError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    totals = {"files": 0, "conversations": 0, "messages": 0, "warnings": 0, "errors": 0}
    width = max((len(f.relative) for f in files), default=4)
    print(f"{'file':<{width}}  {'format':<12} {'conversations':>13} {'messages':>9}  problems")
    for file in files:
        shown = f"{folder.name}/{file.relative}"
        try:
            result = read_file(Path(file.path), shown)
            fmt, conversations, diagnostics = result.format or "-", result.conversations, result.diagnostics
        except SourceError as err:
            fmt, conversations, diagnostics = "-", [], [err.diagnostic]
        messages = sum(len(c.messages) for c in conversations)
        errors = sum(d.level == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        problems = ", ".join(p for p in (f"{errors} errors" if errors else "", f"{warnings} warnings" if warnings else "")
                             if p) or "ok"
        print(f"{file.relative:<{width}}  {fmt:<12} {len(conversations):>13} {messages:>9}  {problems}")
        for diagnostic in diagnostics:
            print(f"  {diagnostic}", file=sys.stderr)
        for key, value in (("files", 1), ("conversations", len(conversations)), ("messages", messages),
                           ("warnings", warnings), ("errors", errors)):
            totals[key] += value
    print(f"{totals['files']} files: {totals['conversations']} conversations, {totals['messages']} messages, "
          f"{totals['warnings']} warnings, {totals['errors']} errors")
    return 1 if totals["errors"] or (args.strict and totals["warnings"]) else 0
