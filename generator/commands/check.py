"""``antiphon check [DIR]``: read every source and report per file, without writing a site.
``antiphon check --secrets``: only the possible secrets the site would publish."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.commands import ConfigError, config_from_args
from generator.diagnostics import SourceError, plural, tally
from generator.identity import Identity
from generator.readers import read_file
from generator.secrets import Redaction
from generator.secrets.scan import scan_content
from generator.sources import ContentError, Exclusions, discover


def run(args) -> int:
    if args.secrets:
        return run_secrets(args)
    try:
        config = config_from_args(args)
        redaction = Redaction.of(config.redact)
        folder = args.directory.resolve() if args.directory else config.content_path
        found = discover(folder, Exclusions(config.exclude, folder), config.follow_symlinks)
        files = found.files
        identity = Identity.of(config)
    except (ConfigError, ContentError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    totals = {"files": 0, "conversations": 0, "messages": 0}
    problems = list(found.notes)
    for diagnostic in found.notes:
        print(f"  {diagnostic}", file=sys.stderr)
    width = max((len(f.relative) for f in files), default=4)
    print(f"{'file':<{width}}  {'format':<12} {'conversations':>13} {'messages':>9}  problems")
    for file in files:
        shown = f"{folder.name}/{file.relative}"
        try:
            result = read_file(Path(file.path), shown, identity, redaction)
            fmt, conversations, diagnostics = result.format or "-", result.conversations, result.diagnostics
        except SourceError as err:
            fmt, conversations, diagnostics = "-", [], [err.diagnostic]
        messages = sum(len(c.messages) for c in conversations)
        found = tally(diagnostics) if diagnostics else "ok"
        print(f"{file.relative:<{width}}  {fmt:<12} {len(conversations):>13} {messages:>9}  {found}")
        for diagnostic in diagnostics:
            print(f"  {diagnostic}", file=sys.stderr)
        problems += diagnostics
        for key, value in (("files", 1), ("conversations", len(conversations)), ("messages", messages)):
            totals[key] += value
    print(f"{plural(totals['files'], 'file')}: {plural(totals['conversations'], 'conversation')}, "
          f"{plural(totals['messages'], 'message')}; {tally(problems)}")
    failed = any(d.level == "error" or (args.strict and d.level == "warning") for d in problems)
    return 1 if failed else 0


def run_secrets(args) -> int:
    """Exit status 1 when the site would publish a possible secret (neither redacted nor allowed)."""
    try:
        config = config_from_args(args)
        files, findings = scan_content(config, args.directory.resolve() if args.directory else None)
    except (ConfigError, ContentError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    for finding in findings:
        print(finding)
    where = len({finding.path for finding in findings})
    print(f"{plural(files, 'file')} scanned: {plural(len(findings), 'possible secret')} in {plural(where, 'file')}"
          + ("; redact or allow them in the [redact] table of antiphon.toml" if findings else ""), file=sys.stderr)
    return 1 if findings else 0
